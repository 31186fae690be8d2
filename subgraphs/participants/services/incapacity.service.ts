/**
 * R16: the advising physician does not end the recognition of incapacity or invalidity
 * while the person's pathway is not completely finished.
 */
import { InvalidInputError } from '../../../schema/errors.js';
import { loadFresh, lockById, runCommand } from '../../kit/command.js';
import type { SubgraphContext } from '../../kit/context.js';
import { belgianToday } from '../../kit/domain.js';
import { queryRows } from '../../kit/raw-sql.js';
import { assertUuid } from '../../kit/validation.js';
import { ParticipantEntity } from '../entities/participant.entity.js';

export class IncapacityService {
  constructor(private readonly context: SubgraphContext) {}

  endRecognition(participantId: string, endedOn: string, idempotencyKey: string): Promise<ParticipantEntity> {
    return runCommand(this.context, {
      action: 'endIncapacityRecognition',
      idempotencyKey,
      args: { participantId, endedOn },
      validate: () => {
        if (endedOn > belgianToday()) throw new InvalidInputError('endedOn', { id: 'date.future' });
        return assertUuid('participantId', participantId);
      },
      // Locked for the check: a pathway opened meanwhile would see the recognition still running.
      target: async (tx, id) => {
        const participant = await lockById(tx, ParticipantEntity, id);
        if (!participant) return undefined;
        const [open] = await queryRows(
          tx,
          "select 1 from pathways.published_pathway p where p.participant_id = ? and p.status = 'OPEN'",
          [id],
        );
        return {
          participantId: id,
          state: { noOpenPathway: !open, recognitionRunning: !participant.incapacityEndedOn },
        };
      },
      apply: async (tx, id) => {
        (await tx.em.findOneOrFail(ParticipantEntity, { id })).incapacityEndedOn = endedOn;
        return id;
      },
      answer: (id) => loadFresh(this.context.em, ParticipantEntity, id),
    });
  }
}
