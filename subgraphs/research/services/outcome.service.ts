/**
 * The trial's outcome measures per arm, computed from the platform's own data: the employment
 * episodes and pathway periods the pathways subgraph publishes, the health insurers' benefit
 * statements billing publishes, and this subgraph's allocations. Aggregates only (R19): no id, no
 * date of a person. A reader of exact counts (schema/policy.ts COUNT_READERS: its exact CONSORT flow
 * and extracts give the same people per arm) gets every figure; any other reader every count under
 * SMALL_CELL_THRESHOLD suppressed together with the cells it could be derived from (a share's
 * complement). A fixed number of statements, whatever the size.
 *
 * Who is counted: people randomised (R6) whose research consent (R1f) is in force, in the arm they
 * were allocated to whatever happened next (intention to treat), followed from the month their
 * first pathway was registered.
 */
import { InvalidInputError } from '../../../schema/errors.js';
import { DISCLOSURE_CONTROL } from '../../../schema/policy.js';
import { suppressSums } from '../../kit/disclosure.js';
import type { Region } from '../../kit/domain.js';
import { queryRows, type SqlRunner } from '../../kit/raw-sql.js';
import { TrialArm } from '../entities/allocation.entity.js';

/** Counts below this are never published, nor the cells they can be derived from (DOMAIN.md: commonly < 5). */
export const SMALL_CELL_THRESHOLD = DISCLOSURE_CONTROL.threshold;
/** At most ten years in one request. */
const MAX_MONTHS = 120;
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

export interface Share {
  numerator: number | null;
  denominator: number | null;
  share: number | null;
  suppressed: boolean;
}

export interface BenefitPerMonth {
  people: number | null;
  personMonths: number | null;
  personMonthsWithStatement: number | null;
  meanCents: number | null;
  medianCents: number | null;
  suppressed: boolean;
}

export interface QuarterRate {
  quarter: string;
  inPathway: number | null;
  competitivelyEmployed: number | null;
  rate: number | null;
  suppressed: boolean;
}

export interface ArmOutcomes {
  arm: TrialArm;
  people: number | null;
  /** Person-months (numerator: working on benefit; denominator: all of the arm's). */
  workingWhileOnBenefit: Share;
  benefitPerMonth: BenefitPerMonth;
  competitiveEmploymentRate: QuarterRate[];
}

export interface TrialOutcomes {
  from: string;
  to: string;
  region?: Region;
  smallCellThreshold: number;
  arms: ArmOutcomes[];
}

const isSmall = (count: number) => count > 0 && count < SMALL_CELL_THRESHOLD;

/** A share as it is, for a reader of exact counts. */
export function exactShare(numerator: number, denominator: number): Share {
  return { numerator, denominator, share: denominator === 0 ? null : round(numerator / denominator, 4), suppressed: false };
}

/**
 * A share of people: its numerator, complement and denominator are three counts tied by one sum,
 * published under the pilot's one disclosure rule (kit/disclosure.ts): a small numerator or
 * complement hides both (either reveals the other), a small denominator hides everything.
 */
export function suppressedShare(numerator: number, denominator: number): Share {
  if (denominator === 0) return { numerator: 0, denominator: 0, share: null, suppressed: false };
  const [hiddenDenominator, hiddenNumerator, hiddenComplement] = suppressSums(
    { values: [denominator, numerator, denominator - numerator], margin: [true, false, false], equations: [[0, 1, 2]] },
    DISCLOSURE_CONTROL,
  );
  if (hiddenDenominator) return { numerator: null, denominator: null, share: null, suppressed: true };
  if (hiddenNumerator || hiddenComplement) return { numerator: null, denominator, share: null, suppressed: true };
  return { numerator, denominator, share: round(numerator / denominator, 4), suppressed: false };
}

/**
 * A share of person-months, published only when at least SMALL_CELL_THRESHOLD people contributed
 * months of each kind (working on benefit, and not): fewer would let a reader learn of those few.
 */
export function suppressedMonthlyShare(months: number, personMonths: number, peopleCounted: number, peopleNotCounted: number): Share {
  if (personMonths === 0) return { numerator: 0, denominator: 0, share: null, suppressed: false };
  if (peopleCounted < SMALL_CELL_THRESHOLD || peopleNotCounted < SMALL_CELL_THRESHOLD) return { numerator: null, denominator: personMonths, share: null, suppressed: true };
  return { numerator: months, denominator: personMonths, share: round(months / personMonths, 4), suppressed: false };
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

export function validateWindow(from: string, to: string): { fromDay: string; toDay: string } {
  if (!MONTH.test(from)) throw new InvalidInputError('from', { id: 'input.month' });
  if (!MONTH.test(to)) throw new InvalidInputError('to', { id: 'input.month' });
  if (to < from) throw new InvalidInputError('to', { id: 'date.beforeOther', params: { other: 'from' } });
  const months = (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 + Number(to.slice(5)) - Number(from.slice(5)) + 1;
  if (months > MAX_MONTHS) throw new InvalidInputError('to', { id: 'outcome.windowTooLong', params: { max: MAX_MONTHS } });
  return { fromDay: `${from}-01`, toDay: `${to}-01` };
}

/**
 * The people counted (see the module's comment), in a region or all: `region` is a SQL text
 * expression (a parameter `?`, used twice, or `null`). The analysis dataset (dataset.sql.ts) reads the same people.
 */
export const peopleCte = (region: string) => `people as (
    select a.participant_id, a.arm, date_trunc('month', min(pp.started_on))::date as followed_from
    from research.allocation a
    join access.ledger l on l.participant_id = a.participant_id and l.research_consent
    join pathways.published_pathway_period pp on pp.participant_id = a.participant_id
    where (${region}::text is null or a.region = ${region}::text)
    group by a.participant_id, a.arm)`;
const PEOPLE = peopleCte('?');

/**
 * Outcome (a), one person-month: the health insurer's statement `s` says partial work was authorised
 * and a job that is not an in-company training ran during the month (`participant`, `month`: SQL expressions).
 */
export const workingOnBenefit = (participant: string, month: string, statement: string) =>
  `coalesce(${statement}.partial_work_authorised, false) and exists (
                  select 1 from pathways.published_employment_episode e
                  where e.participant_id = ${participant} and e.contract_type <> 'IN_COMPANY_TRAINING'
                    and e.starts_on <= (${month} + interval '1 month' - interval '1 day')::date and (e.ends_on is null or e.ends_on >= ${month}))`;

/**
 * Outcome (c), one pathway period `pp` and a span of days: a competitive job held during the part of
 * the span the pathway was open (the IPS standard measure's numerator).
 */
export const competitiveInPathway = (participant: string, spanStart: string, spanEnd: string) =>
  `exists (
                  select 1 from pathways.published_employment_episode e
                  where e.participant_id = ${participant} and e.competitive
                    and e.starts_on <= least(${spanEnd}, coalesce(pp.ended_on, ${spanEnd}))
                    and (e.ends_on is null or e.ends_on >= greatest(${spanStart}, pp.started_on)))`;

export class OutcomeService {
  constructor(private readonly runner: SqlRunner) {}

  async measures(from: string, to: string, region?: Region | null, exact = false): Promise<TrialOutcomes> {
    const { fromDay, toDay } = validateWindow(from, to);
    const stratum = region ?? null;
    // (a) and (b): person-months of the window from the month each person's follow-up began.
    const monthly = await queryRows<{ arm: TrialArm; people: string; working_months: string; working_people: string; idle_people: string; unstated_people: string; person_months: string; with_statement: string; mean: string | null; median: string | null }>(
      this.runner,
      `with ${PEOPLE},
       person_months as (
         select pe.participant_id, pe.arm, m::date as month
         from people pe join generate_series(?::date, ?::date, interval '1 month') m on m::date >= pe.followed_from),
       observed as (
         select pm.participant_id, pm.arm, pm.month, s.amount_cents,
                ${workingOnBenefit('pm.participant_id', 'pm.month', 's')} as working
         from person_months pm left join billing.published_benefit_statement s on s.participant_id = pm.participant_id and s.month = pm.month)
       select arm, count(distinct participant_id) as people, count(*) filter (where working) as working_months,
              count(distinct participant_id) filter (where working) as working_people, count(distinct participant_id) filter (where not working) as idle_people,
              count(*) as person_months, count(amount_cents) as with_statement, count(distinct participant_id) filter (where amount_cents is null) as unstated_people,
              avg(coalesce(amount_cents, 0)) as mean, percentile_cont(0.5) within group (order by coalesce(amount_cents, 0)) as median
       from observed group by arm`,
      [stratum, stratum, fromDay, toDay],
    );
    // (c): per quarter, the people whose pathway was open in it, and those of them with a competitive job during it.
    const quarterly = await queryRows<{ arm: TrialArm; quarter: Date | string; in_pathway: string; employed: string }>(
      this.runner,
      `with ${PEOPLE},
       quarters as (
         select q::date as q_start, (q + interval '3 months' - interval '1 day')::date as q_end
         from generate_series(date_trunc('quarter', ?::date), ?::date, interval '3 months') q),
       spells as (
         select pe.participant_id, pe.arm, qu.q_start,
                bool_or(${competitiveInPathway('pe.participant_id', 'qu.q_start', 'qu.q_end')}) as employed
         from people pe
         join pathways.published_pathway_period pp on pp.participant_id = pe.participant_id
         join quarters qu on pp.started_on <= qu.q_end and (pp.ended_on is null or pp.ended_on >= qu.q_start)
         group by pe.participant_id, pe.arm, qu.q_start)
       select arm, to_char(q_start, 'YYYY-MM-DD') as quarter, count(*) as in_pathway, count(*) filter (where employed) as employed
       from spells group by arm, q_start`,
      [stratum, stratum, fromDay, toDay],
    );
    const quarters = quarterStarts(fromDay, toDay);
    const small = (count: number) => !exact && isSmall(count);
    const share = exact ? exactShare : suppressedShare;
    return {
      from,
      to,
      region: region ?? undefined,
      smallCellThreshold: exact ? 0 : SMALL_CELL_THRESHOLD,
      arms: [TrialArm.IPS, TrialArm.CONTROL].map((arm) => {
        const row = monthly.find((r) => r.arm === arm);
        const people = Number(row?.people ?? 0);
        const hidden = small(people);
        return {
          arm,
          people: hidden ? null : people,
          workingWhileOnBenefit: hidden
            ? { numerator: null, denominator: null, share: null, suppressed: true }
            : exact
              ? exactShare(Number(row?.working_months ?? 0), Number(row?.person_months ?? 0))
              : suppressedMonthlyShare(Number(row?.working_months ?? 0), Number(row?.person_months ?? 0), Number(row?.working_people ?? 0), Number(row?.idle_people ?? 0)),
          benefitPerMonth: {
            people: hidden ? null : people,
            personMonths: hidden ? null : Number(row?.person_months ?? 0),
            // The months without a statement would single out the few people they belong to.
            personMonthsWithStatement: hidden || small(Number(row?.unstated_people ?? 0)) ? null : Number(row?.with_statement ?? 0),
            meanCents: hidden || !row?.mean ? null : Math.round(Number(row.mean)),
            medianCents: hidden || !row?.median ? null : Math.round(Number(row.median)),
            suppressed: hidden,
          },
          competitiveEmploymentRate: quarters.map((start) => {
            const cell = quarterly.find((r) => r.arm === arm && String(r.quarter).slice(0, 10) === start);
            const rate = share(Number(cell?.employed ?? 0), Number(cell?.in_pathway ?? 0));
            return { quarter: quarterName(start), inPathway: rate.denominator, competitivelyEmployed: rate.numerator, rate: rate.share, suppressed: rate.suppressed };
          }),
        };
      }),
    };
  }
}

/** First days of the quarters that meet the window, e.g. 2019-01-01, 2019-04-01… */
export function quarterStarts(fromDay: string, toDay: string): string[] {
  const starts: string[] = [];
  let year = Number(fromDay.slice(0, 4));
  let month = Math.floor((Number(fromDay.slice(5, 7)) - 1) / 3) * 3 + 1;
  for (;;) {
    const start = `${year}-${String(month).padStart(2, '0')}-01`;
    if (start > toDay) return starts;
    starts.push(start);
    month += 3;
    if (month > 12) [year, month] = [year + 1, 1];
  }
}

export const quarterName = (start: string) => `${start.slice(0, 4)}-Q${(Number(start.slice(5, 7)) + 2) / 3}`;
