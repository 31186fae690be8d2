/**
 * R16: the advising physician does not end the recognition of incapacity or invalidity
 * while the person's pathway is not completely finished.
 */
import { LockMode } from '@mikro-orm/core';
import { ConflictError, InvalidInputError, NotFoundError } from '../../../schema/errors.js';
import type { Identity } from '../../../schema/identity.js';
import { visibleOrNull } from '../../kit/access/guard.js';
import { ledgerByParticipant } from '../../kit/access/ledger.js';
import type { SubgraphContext } from '../../kit/context.js';
import { belgianToday } from '../../kit/domain.js';
import { queryRows } from '../../kit/raw-sql.js';
import { assertUuid } from '../../kit/validation.js';
import { ParticipantEntity } from '../entities/participant.entity.js';

export class IncapacityService {
  constructor(private readonly context: SubgraphContext) {}

  async endRecognition(participantId: string, endedOn: string, physician: Identity): Promise<ParticipantEntity> {
    const id = assertUuid('participantId', participantId);
    return this.context.em.transactional(async (em) => {
      // Locked for the check: a pathway opened meanwhile would see the recognition still running.
      const participant = await visibleOrNull(this.context, 'Participant', await em.findOne(ParticipantEntity, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE }));
      const ledger = participant && (await this.context.loaders.load(ledgerByParticipant, id));
      if (!participant || ledger?.physicianSubject !== physician.subject) throw new NotFoundError('Participant');
      if (endedOn > belgianToday()) throw new InvalidInputError('endedOn', 'is in the future');
      if (participant.incapacityEndedOn) throw new ConflictError('The recognition of incapacity has already ended');
      const [open] = await queryRows<{ pathway_id: string }>(
        { em, sqlCounter: this.context.sqlCounter },
        "select p.pathway_id from pathways.published_pathway p where p.participant_id = ? and p.status = 'OPEN'",
        [id],
      );
      if (open) throw new ConflictError('The pathway is still open: the recognition of incapacity cannot end before it does (R16)');
      participant.incapacityEndedOn = endedOn;
      return participant;
    });
  }
}
