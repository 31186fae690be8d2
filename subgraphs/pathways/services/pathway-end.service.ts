/**
 * The end of a pathway (R16) and the physician's follow-up file (R14): the referent job
 * coach ends the pathway, and the physician of record is informed in the same
 * transaction — a pathway never ends without the physician's file knowing it.
 */
import { ConflictError, InvalidInputError, NotFoundError } from '../../../schema/errors.js';
import type { Identity } from '../../../schema/identity.js';
import { categoryOf } from '../../../schema/policy.js';
import { accessCondition } from '../../kit/access/decide.js';
import { ledgerByParticipant } from '../../kit/access/ledger.js';
import { visibleOrNull } from '../../kit/access/guard.js';
import type { SubgraphContext } from '../../kit/context.js';
import { belgianToday } from '../../kit/domain.js';
import { findInOrder, queryRows } from '../../kit/raw-sql.js';
import { assertUuid } from '../../kit/validation.js';
import { PathwayEndReason, PathwayEntity, PathwayStatus } from '../entities/pathway.entity.js';
import { PhysicianMessageEntity, PhysicianMessageKind } from '../entities/physician-message.entity.js';
import { pathwaysById } from './pathway.service.js';

export interface EndPathwayRequest {
  pathwayId: string;
  endedOn: string;
  reason: PathwayEndReason;
  note?: string | null;
}

export class PathwayEndService {
  constructor(private readonly context: SubgraphContext) {}

  async end(request: EndPathwayRequest, coach: Identity): Promise<PathwayEntity> {
    const id = assertUuid('input.pathwayId', request.pathwayId);
    const pathway = await visibleOrNull(this.context, 'Pathway', await this.context.loaders.load(pathwaysById, id));
    // Only the referent job coach ends the pathway (R11, R16); to anyone else there is no such pathway.
    if (!pathway || pathway.jobCoach !== coach.subject) throw new NotFoundError('Pathway');
    if (pathway.status !== PathwayStatus.OPEN) throw new ConflictError('The pathway has already ended');
    if (request.endedOn > belgianToday()) throw new InvalidInputError('input.endedOn', 'is in the future');
    if (request.endedOn < pathway.registeredAt.toISOString().slice(0, 10)) throw new InvalidInputError('input.endedOn', 'is before the pathway was registered');
    const note = request.note?.trim() ?? '';
    if (note.length > 2000) throw new InvalidInputError('input.note', 'must be at most 2000 characters');
    const physician = (await this.context.loaders.load(ledgerByParticipant, pathway.participantId))?.physicianSubject;
    if (!physician) throw new ConflictError('The person has no physician of record to inform (R16)');

    await this.context.em.transactional(async (em) => {
      const managed = await em.findOneOrFail(PathwayEntity, { id });
      managed.status = PathwayStatus.ENDED;
      managed.endedOn = request.endedOn;
      managed.endReason = request.reason;
      managed.endedBy = coach.subject;
      em.create(PhysicianMessageEntity, {
        participantId: managed.participantId,
        pathwayId: managed.id,
        physicianSubject: physician,
        kind: PhysicianMessageKind.PATHWAY_ENDED,
        body: `Pathway ${managed.registryNumber} ended on ${request.endedOn} (${request.reason}).${note ? ` ${note}` : ''}`,
        sentBy: coach.subject,
      });
    });
    return this.context.em.findOneOrFail(PathwayEntity, { id }, { refresh: true });
  }

  /** The physician's follow-up file: messages about the people whose consent covers them (R14, R18). */
  async inbox(physician: Identity, filter: { unreadOnly: boolean; participantId?: string }, first: number, offset: number): Promise<PhysicianMessageEntity[]> {
    const visible = accessCondition(physician, categoryOf('PhysicianMessage', 'id')!);
    const rows = await queryRows<{ id: string }>(
      this.context,
      `select m.id from pathways.physician_message m join access.ledger l on l.participant_id = m.participant_id
       where m.physician_subject = ? and ${visible.sql} ${filter.unreadOnly ? 'and m.read_at is null' : ''} ${filter.participantId ? 'and m.participant_id = ?' : ''}
       order by m.sent_at desc, m.id limit ? offset ?`,
      [physician.subject, ...visible.params, ...(filter.participantId ? [filter.participantId] : []), first, offset],
    );
    return findInOrder(this.context.em, PhysicianMessageEntity, rows.map((row) => row.id));
  }

  async markRead(messageId: string, physician: Identity): Promise<PhysicianMessageEntity> {
    const message = await visibleOrNull(this.context, 'PhysicianMessage', await this.context.em.findOne(PhysicianMessageEntity, { id: assertUuid('id', messageId) }));
    if (!message || message.physicianSubject !== physician.subject) throw new NotFoundError('Message');
    if (!message.readAt) {
      message.readAt = new Date();
      await this.context.em.flush();
    }
    return message;
  }
}
