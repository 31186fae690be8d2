/**
 * The end of a pathway (R16) and the physician's follow-up file (R14): the referent job
 * coach ends the pathway, and the physician of record is informed in the same
 * transaction — a pathway never ends without the physician's file knowing it.
 */
import { ConflictError, InvalidInputError } from '../../../schema/errors.js';
import { FREE_TEXT_CATEGORIES, ON_CONSENT_WITHDRAWN } from '../../../schema/policy.js';
import { loadFresh, lockById, runCommand } from '../../kit/command.js';
import type { SubgraphContext } from '../../kit/context.js';
import { belgianToday, DataCategoryValue } from '../../kit/domain.js';
import { assertUuid, cleanText } from '../../kit/validation.js';
import { PathwayEndReason, PathwayEntity, PathwayStatus } from '../entities/pathway.entity.js';
import { PhysicianMessageEntity, PhysicianMessageKind } from '../entities/physician-message.entity.js';
import type { PathwayEndedParams } from './localised-text.js';
import { assertNotBeforeRegistration, pathwayTarget } from './pathway.service.js';

export interface EndPathwayRequest {
  pathwayId: string;
  endedOn: string;
  reason: PathwayEndReason;
  note?: string | null;
  noteCategory?: DataCategoryValue | null;
}

export class PathwayEndService {
  constructor(private readonly context: SubgraphContext) {}

  /** The referent job coach ends the pathway; the physician of record is informed in the same transaction (R16). */
  end(request: EndPathwayRequest, idempotencyKey: string): Promise<PathwayEntity> {
    return runCommand(this.context, {
      action: 'endPathway',
      idempotencyKey,
      args: request,
      validate: () => {
        const id = assertUuid('input.pathwayId', request.pathwayId);
        if (request.endedOn > belgianToday()) throw new InvalidInputError('input.endedOn', { id: 'date.future' });
        if (request.reason === ON_CONSENT_WITHDRAWN.pathway.endsWithReason)
          throw new InvalidInputError('input.reason', { id: 'pathwayEnd.consentWithdrawnReason' });
        const note = cleanText('input.note', request.note, { max: 2000, min: 0, multiline: true });
        if (note && !request.noteCategory)
          throw new InvalidInputError('input.noteCategory', { id: 'note.categoryRequired' });
        if (note && !(FREE_TEXT_CATEGORIES as readonly string[]).includes(request.noteCategory!))
          throw new InvalidInputError('input.noteCategory', {
            id: 'text.categoryOneOf',
            params: { categories: FREE_TEXT_CATEGORIES.join(', ') },
          });
        return { id, note, noteCategory: note ? request.noteCategory! : DataCategoryValue.ADMINISTRATIVE };
      },
      target: (tx, { id }) => pathwayTarget(tx, id),
      apply: async (tx, { id, note, noteCategory }) => {
        const pathway = await tx.em.findOneOrFail(PathwayEntity, { id });
        assertNotBeforeRegistration(pathway, 'input.endedOn', request.endedOn); // the Belgian day of the registration
        const physician = tx.ledger(pathway.participantId)?.physicianSubject;
        if (!physician) throw new ConflictError({ id: 'conflict.noPhysicianToInform' });
        pathway.status = PathwayStatus.ENDED;
        pathway.endedOn = request.endedOn;
        pathway.endReason = request.reason;
        pathway.endedBy = tx.identity.subject;
        pathway.endedAt = new Date();
        tx.em.create(PhysicianMessageEntity, {
          participantId: pathway.participantId,
          pathwayId: pathway.id,
          physicianSubject: physician,
          kind: PhysicianMessageKind.PATHWAY_ENDED,
          body: `Pathway ${pathway.registryNumber} ended on ${request.endedOn} (${request.reason}).${note ? ` ${note}` : ''}`,
          // Told in the reader's language when read (localised-text.ts); the body above is the record as written.
          messageId: 'physicianMessage.pathwayEnded',
          messageParams: {
            registryNumber: pathway.registryNumber,
            on: request.endedOn,
            reason: request.reason,
            note: note ?? '',
          } satisfies PathwayEndedParams,
          bodyCategory: noteCategory,
          sentBy: tx.identity.subject,
        });
        return id;
      },
      answer: (id) => loadFresh(this.context.em, PathwayEntity, id),
    });
  }

  /** The physician's follow-up file: messages about the people whose consent covers them (R14, R18). */
  markRead(messageId: string, idempotencyKey: string): Promise<PhysicianMessageEntity> {
    return runCommand(this.context, {
      action: 'markPhysicianMessageRead',
      idempotencyKey,
      args: { messageId },
      validate: () => assertUuid('id', messageId),
      target: async (tx, id) => {
        const message = await lockById(tx, PhysicianMessageEntity, id);
        return message
          ? { participantId: message.participantId, notice: message.notice, state: { messageUnread: !message.readAt } }
          : undefined;
      },
      apply: async (tx, id) => {
        (await tx.em.findOneOrFail(PhysicianMessageEntity, { id })).readAt = new Date();
        return id;
      },
      answer: (id) => loadFresh(this.context.em, PhysicianMessageEntity, id),
    });
  }
}
