/**
 * The health insurer's monthly benefit statements: what the person's own OA paid them each
 * month (benefit type, amount in cents, days, whether work was authorised under art. 100 §2,
 * R15). One per person and month, never changed: a second one for the same month is a CONFLICT.
 * The outcome measures of the trial (research subgraph) read them through the published view.
 */
import { InvalidInputError } from '../../../schema/errors.js';
import { followUpFacts, inFollowUp } from '../../kit/access/ledger.js';
import { loadFresh, runCommand } from '../../kit/command.js';
import { groupedBy, type SubgraphContext } from '../../kit/context.js';
import { belgianToday } from '../../kit/domain.js';
import { queryOneRow } from '../../kit/raw-sql.js';
import { assertUuid } from '../../kit/validation.js';
import { BenefitStatementEntity, BenefitType } from '../entities/benefit-statement.entity.js';

export interface BenefitStatementRequest {
  participantId: string;
  month: string;
  benefitType: BenefitType;
  amountCents: number;
  days: number;
  partialWorkAuthorised: boolean;
}

/** The first month of the pilot (DOMAIN.md: 2016–2023): nothing earlier is an outcome of it. */
export const FIRST_MONTH = '2016-01';
/** At most 10 000 € a month: a larger figure is a typing error, not a benefit. */
export const MAX_AMOUNT_CENTS = 1_000_000;
const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

export const statementsByParticipant = groupedBy<string, BenefitStatementEntity>(
  (participantIds, { em }) =>
    em.find(BenefitStatementEntity, { participantId: { $in: [...participantIds] } }, { orderBy: { month: 'asc' } }),
  (statement) => statement.participantId,
);

/** Checks a statement; BAD_USER_INPUT naming the field. Returns the month as its first day. */
export function validateStatement(request: BenefitStatementRequest, today: string = belgianToday()) {
  const participantId = assertUuid('input.participantId', request.participantId);
  const month = MONTH.exec(request.month);
  if (!month) throw new InvalidInputError('input.month', { id: 'input.month' });
  if (request.month > today.slice(0, 7)) throw new InvalidInputError('input.month', { id: 'benefit.monthFuture' });
  if (request.month < FIRST_MONTH)
    throw new InvalidInputError('input.month', { id: 'benefit.beforePilot', params: { first: FIRST_MONTH } });
  if (!Number.isInteger(request.amountCents) || request.amountCents < 0 || request.amountCents > MAX_AMOUNT_CENTS) {
    throw new InvalidInputError('input.amountCents', { id: 'benefit.amount', params: { max: MAX_AMOUNT_CENTS } });
  }
  const daysInMonth = new Date(Date.UTC(Number(month[1]), Number(month[2]), 0)).getUTCDate();
  if (!Number.isInteger(request.days) || request.days < 0 || request.days > daysInMonth)
    throw new InvalidInputError('input.days', { id: 'benefit.days', params: { max: daysInMonth } });
  if (request.days === 0 && request.amountCents > 0)
    throw new InvalidInputError('input.amountCents', { id: 'benefit.noDaysNoAmount' });
  return { ...request, participantId, month: `${request.month}-01` };
}

export class BenefitStatementService {
  constructor(private readonly context: SubgraphContext) {}

  /**
   * The person's own health insurer records the month it paid, whether or not a pathway is open, for a randomised person
   * up to month 30 of their follow-up (ACTIONS `inFollowUp`; months before randomisation are the baseline); a second
   * statement for the month is a CONFLICT.
   */
  record(request: BenefitStatementRequest, idempotencyKey: string): Promise<BenefitStatementEntity> {
    return runCommand(this.context, {
      action: 'recordBenefitStatement',
      idempotencyKey,
      args: request,
      validate: () => validateStatement(request),
      target: async (tx, { participantId, month }) => {
        const facts = await queryOneRow<{ known: boolean; recorded: boolean; died_on: string | null }>(
          tx,
          `select exists (select 1 from access.ledger where participant_id = ?) as known,
                  exists (select 1 from billing.benefit_statement where participant_id = ? and month = ?) as recorded,
                  (select to_char(min(c.ended_on), 'YYYY-MM-DD') from pathways.published_pathway_course c where c.participant_id = ? and c.end_reason = 'DECEASED') as died_on`,
          [participantId, participantId, month, participantId],
        );
        if (!facts.known) return undefined;
        // A month belongs to the follow-up when its first day does (month 30 included; a month begun before a death too).
        return {
          participantId,
          state: {
            noStatementForMonth: !facts.recorded,
            inFollowUp: inFollowUp(await followUpFacts(tx, participantId), month, facts.died_on),
          },
        };
      },
      apply: (tx, input) => {
        const statement = tx.em.create(BenefitStatementEntity, {
          participantId: input.participantId,
          healthInsurer: tx.identity.organisation, // the relation held: the person's own health insurer
          month: input.month,
          benefitType: input.benefitType,
          amountCents: input.amountCents,
          days: input.days,
          partialWorkAuthorised: input.partialWorkAuthorised,
          recordedBy: tx.identity.subject,
        });
        return Promise.resolve(statement.id);
      },
      answer: (id) => loadFresh(this.context.em, BenefitStatementEntity, id),
    });
  }
}
