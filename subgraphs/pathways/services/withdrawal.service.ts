/**
 * What the withdrawal of the information-sharing consent does to a pathway (R16, R18), as the policy
 * says (schema/policy.ts ON_CONSENT_WITHDRAWN): applied once per event from the outbox, in its own
 * transaction, with the pathway locked — the open pathway ends with reason CONSENT_WITHDRAWN on the
 * day of the withdrawal, and the physician of record gets a notice saying only that (NOTICES).
 * Applied to a pathway already ended (a replay, or an end recorded first) it changes nothing.
 */
import { LockMode } from '@mikro-orm/postgresql';
import { ON_CONSENT_WITHDRAWN } from '../../../schema/policy.js';
import { DataCategoryValue } from '../../kit/domain.js';
import type { OutboxConsumerDefinition, OutboxEvent } from '../../kit/outbox.js';
import { queryRows, type SqlRunner } from '../../kit/raw-sql.js';
import { PathwayEndReason, PathwayEntity, PathwayStatus } from '../entities/pathway.entity.js';
import { PhysicianMessageEntity, PhysicianMessageKind } from '../entities/physician-message.entity.js';
import type { PathwayEndedParams } from './localised-text.js';

interface Withdrawal {
  withdrawnOn: string;
  withdrawnBy: string;
}

/** The notice's text: the pathway, the day and the reason (ON_CONSENT_WITHDRAWN.informs.says), nothing else. */
export function withdrawalNotice(pathway: PathwayEntity): string {
  return `Pathway ${pathway.registryNumber} ended on ${pathway.endedOn} (${pathway.endReason}).`;
}

export async function applyConsentWithdrawn(tx: SqlRunner, event: OutboxEvent): Promise<void> {
  const participantId = event.participantId;
  if (!participantId) return;
  const { withdrawnOn, withdrawnBy } = event.payload as unknown as Withdrawal;
  // The pathway first, then the ledger row: the order every command locks them in.
  const open = await tx.em.find(
    PathwayEntity,
    { participantId, status: PathwayStatus.OPEN },
    { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true },
  );
  if (open.length === 0) return;
  const [ledger] = await queryRows<{ physician_subject: string | null }>(
    tx,
    'select physician_subject from access.ledger where participant_id = ? for update',
    [participantId],
  );
  for (const pathway of open) {
    const registeredOn = pathway.registeredAt.toISOString().slice(0, 10);
    pathway.status = PathwayStatus.ENDED;
    pathway.endedOn = withdrawnOn < registeredOn ? registeredOn : withdrawnOn;
    pathway.endReason = ON_CONSENT_WITHDRAWN.pathway.endsWithReason as PathwayEndReason;
    pathway.endedBy = withdrawnBy;
    pathway.endedAt = event.recordedAt;
    if (ledger?.physician_subject) {
      tx.em.create(PhysicianMessageEntity, {
        participantId,
        pathwayId: pathway.id,
        physicianSubject: ledger.physician_subject,
        kind: ON_CONSENT_WITHDRAWN.informs.messageKind as PhysicianMessageKind,
        body: withdrawalNotice(pathway),
        // Told in the reader's language when read (localised-text.ts): the same facts, nothing else.
        messageId: 'physicianMessage.pathwayEnded',
        messageParams: {
          registryNumber: pathway.registryNumber,
          on: pathway.endedOn,
          reason: pathway.endReason,
          note: '',
        } satisfies PathwayEndedParams,
        bodyCategory: DataCategoryValue.ADMINISTRATIVE,
        sentBy: withdrawnBy,
        sentAt: event.recordedAt,
        notice: true,
      });
    }
  }
}

/** The events the pathways subgraph applies. */
export const pathwaysOutbox: OutboxConsumerDefinition = {
  handlers: { [ON_CONSENT_WITHDRAWN.event]: applyConsentWithdrawn },
};
