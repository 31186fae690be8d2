/**
 * The anonymous screening log (CONSORT 2010 enrolment): an advising physician logs each person
 * assessed for the pilot and not referred — the month, the region, and why (declined, or which R1
 * condition was not met) — with no identity at all: no NISS, name, birth date, postcode or free
 * text, and never an R2 ground (zero exclusion), which neither the input nor the table can hold.
 * A physician reads the counts of their own entries; the research subgraph counts every entry,
 * without the physician, through participants.published_screening_entry.
 */
import { InvalidInputError } from '../../../schema/errors.js';
import { runCommand } from '../../kit/command.js';
import type { SubgraphContext } from '../../kit/context.js';
import { belgianToday, EligibilityCondition, Region, ScreeningOutcome } from '../../kit/domain.js';
import { queryOneRow, queryRows } from '../../kit/raw-sql.js';

export interface ScreeningRequest {
  screenedIn: string;
  region: Region;
  outcome: ScreeningOutcome;
  unmetCondition?: EligibilityCondition | null;
}

export interface ValidScreening {
  month: string;
  region: Region;
  outcome: ScreeningOutcome;
  unmetCondition: EligibilityCondition | null;
}

export interface ScreeningEntryView {
  id: string;
  screenedIn: string;
  region: Region;
  outcome: ScreeningOutcome;
  unmetCondition: EligibilityCondition | null;
  recordedAt: Date;
}

export interface ScreeningCountsView {
  screened: number;
  declined: number;
  unmetConditions: { condition: EligibilityCondition; count: number }[];
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** Pure checks; BAD_USER_INPUT naming the field. The enums (GraphQL and the table's checks) hold the rest. */
export function validateScreening(request: ScreeningRequest, today: string = belgianToday()): ValidScreening {
  if (!MONTH.test(request.screenedIn) || request.screenedIn > today.slice(0, 7))
    throw new InvalidInputError('input.screenedIn', { id: 'screening.month' });
  const condition = request.unmetCondition ?? null;
  if (
    request.outcome === ScreeningOutcome.R1_NOT_MET &&
    (condition === null || !Object.values(EligibilityCondition).includes(condition))
  ) {
    throw new InvalidInputError('input.unmetCondition', { id: 'screening.conditionRequired' });
  }
  if (request.outcome === ScreeningOutcome.DECLINED && condition !== null)
    throw new InvalidInputError('input.unmetCondition', { id: 'screening.conditionOnlyWhenNotMet' });
  return {
    month: `${request.screenedIn}-01`,
    region: request.region,
    outcome: request.outcome,
    unmetCondition: condition,
  };
}

export class ScreeningService {
  constructor(private readonly context: SubgraphContext) {}

  record(request: ScreeningRequest, idempotencyKey: string): Promise<ScreeningEntryView> {
    return runCommand(this.context, {
      action: 'recordScreening',
      idempotencyKey,
      args: request,
      validate: () => validateScreening(request),
      target: () => Promise.resolve(undefined), // a new entry, of no one (ACTIONS.recordScreening createsTarget)
      apply: async (tx, entry) => {
        const row = await queryOneRow<{ id: string }>(
          tx,
          `insert into participants.screening_entry (id, screened_in, region, health_insurer, physician_subject, outcome, unmet_condition, idempotency_key, requested_by, request_fingerprint)
           values (gen_random_uuid(), ?, ?, ?, ?, ?, ?, ?, ?, ?) returning id`,
          [
            entry.month,
            entry.region,
            tx.identity.organisation,
            tx.identity.subject,
            entry.outcome,
            entry.unmetCondition,
            tx.idempotency.idempotencyKey,
            tx.idempotency.requestedBy,
            tx.idempotency.requestFingerprint,
          ],
        );
        return row.id;
      },
      answer: async (id) => {
        const row = await queryOneRow<{
          id: string;
          screened_in: string;
          region: Region;
          outcome: ScreeningOutcome;
          unmet_condition: EligibilityCondition | null;
          recorded_at: Date;
        }>(
          this.context,
          `select id, to_char(screened_in, 'YYYY-MM') as screened_in, region, outcome, unmet_condition, recorded_at from participants.screening_entry where id = ?`,
          [id],
        );
        return {
          id: row.id,
          screenedIn: row.screened_in,
          region: row.region,
          outcome: row.outcome,
          unmetCondition: row.unmet_condition,
          recordedAt: new Date(row.recorded_at),
        };
      },
    });
  }

  /** The caller's own entries, counted (one statement): a physician sees nothing of another's log. */
  async ownCounts(from?: string | null, to?: string | null): Promise<ScreeningCountsView> {
    if (from != null && !MONTH.test(from)) throw new InvalidInputError('from', { id: 'input.month' });
    if (to != null && !MONTH.test(to)) throw new InvalidInputError('to', { id: 'input.month' });
    const rows = await queryRows<{
      outcome: ScreeningOutcome;
      unmet_condition: EligibilityCondition | null;
      n: string;
    }>(
      this.context,
      `select outcome, unmet_condition, count(*) as n from participants.screening_entry
       where health_insurer = ? and physician_subject = ? and (?::text is null or screened_in >= (?::text || '-01')::date) and (?::text is null or screened_in <= (?::text || '-01')::date)
       group by outcome, unmet_condition`,
      [
        this.context.identity.organisation,
        this.context.identity.subject,
        from ?? null,
        from ?? null,
        to ?? null,
        to ?? null,
      ],
    );
    const count = (predicate: (row: (typeof rows)[number]) => boolean) =>
      rows.filter(predicate).reduce((sum, row) => sum + Number(row.n), 0);
    return {
      screened: count(() => true),
      declined: count((row) => row.outcome === ScreeningOutcome.DECLINED),
      unmetConditions: Object.values(EligibilityCondition).map((condition) => ({
        condition,
        count: count((row) => row.unmet_condition === condition),
      })),
    };
  }
}
