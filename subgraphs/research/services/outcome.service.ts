/**
 * The trial's outcome measures per arm, computed from the platform's own data: the employment
 * episodes and the pathways' ends (a death) the pathways subgraph publishes, the health insurers' benefit
 * statements billing publishes, and this subgraph's allocations. Aggregates only (R19): no id, no
 * date of a person. A reader of exact counts (schema/policy.ts COUNT_READERS: its exact CONSORT flow
 * and extracts give the same people per arm) gets every figure; any other reader every count under
 * SMALL_CELL_THRESHOLD suppressed together with the cells it could be derived from (a share's
 * complement). A fixed number of statements, whatever the size.
 *
 * Who is counted (intention to treat, DOMAIN.md): every person randomised (R6) whose research consent (R1f) is in
 * force, in the arm drawn whatever happened next, followed from the month of randomisation (month 0) to month 30
 * (schema/policy.ts FOLLOW_UP_MONTHS), whether their pathway is open, ended or barely begun: the pathway is a
 * covariate of the extract, never a filter of a measure. Follow-up ends earlier at death (a pathway ended DECEASED).
 *
 * A withdrawal of the research consent takes the person out of every measure and extract, their months before the
 * withdrawal too. The consent (R1f, seed 002: "agrees to take part in a scientific study", the signed form) names no
 * use of data after it is withdrawn, and R19 gives research the data "of people who gave research consent": without
 * a consent that says earlier data stay, none stays. The cost is known and reported: the CONSORT flow counts them as
 * withdrawn, so a reader sees how many randomised people the intention-to-treat figures lack.
 */
import { InvalidInputError } from '../../../schema/errors.js';
import { DISCLOSURE_CONTROL, FOLLOW_UP_MONTHS } from '../../../schema/policy.js';
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
  inFollowUp: number | null;
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
  /** The same measures per month since randomisation (0..FOLLOW_UP_MONTHS), over the window's calendar months. */
  byMonthSinceRandomisation: MonthSinceRandomisation[];
}

export interface MonthSinceRandomisation {
  month: number;
  people: number | null;
  workingWhileOnBenefit: Share;
  benefitPerMonth: BenefitPerMonth;
  competitiveJob: Share;
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
  return {
    numerator,
    denominator,
    share: denominator === 0 ? null : round(numerator / denominator, 4),
    suppressed: false,
  };
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
export function suppressedMonthlyShare(
  months: number,
  personMonths: number,
  peopleCounted: number,
  peopleNotCounted: number,
): Share {
  if (personMonths === 0) return { numerator: 0, denominator: 0, share: null, suppressed: false };
  if (peopleCounted < SMALL_CELL_THRESHOLD || peopleNotCounted < SMALL_CELL_THRESHOLD)
    return { numerator: null, denominator: personMonths, share: null, suppressed: true };
  return { numerator: months, denominator: personMonths, share: round(months / personMonths, 4), suppressed: false };
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

export function validateWindow(from: string, to: string): { fromDay: string; toDay: string } {
  if (!MONTH.test(from)) throw new InvalidInputError('from', { id: 'input.month' });
  if (!MONTH.test(to)) throw new InvalidInputError('to', { id: 'input.month' });
  if (to < from) throw new InvalidInputError('to', { id: 'date.beforeOther', params: { other: 'from' } });
  const months =
    (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 + Number(to.slice(5)) - Number(from.slice(5)) + 1;
  if (months > MAX_MONTHS)
    throw new InvalidInputError('to', { id: 'outcome.windowTooLong', params: { max: MAX_MONTHS } });
  return { fromDay: `${from}-01`, toDay: `${to}-01` };
}

/**
 * The people counted (see the module's comment), in a region or all: `region` is a SQL text expression (a parameter
 * `?`, used twice, or `null`). Each with `followed_from` (the first day of month 0: the month of randomisation, Belgian
 * time), `followed_until` (the last day followed: the end of month 30, or the day of death) and `last_month` (its month).
 * The analysis dataset (dataset.sql.ts) reads the same people.
 */
export const peopleCte = (region: string) => `people as (
    select f.participant_id, f.arm, f.followed_from, f.followed_until, date_trunc('month', f.followed_until)::date as last_month
    from (
      select a.participant_id, a.arm, date_trunc('month', a.allocated_at at time zone 'Europe/Brussels')::date as followed_from,
             least((date_trunc('month', a.allocated_at at time zone 'Europe/Brussels') + interval '${FOLLOW_UP_MONTHS + 1} months' - interval '1 day')::date,
                   (select min(c.ended_on) from pathways.published_pathway_course c where c.participant_id = a.participant_id and c.end_reason = 'DECEASED')) as followed_until
      from research.allocation a
      join access.ledger l on l.participant_id = a.participant_id and l.research_consent
      where (${region}::text is null or a.region = ${region}::text)) f)`;
const PEOPLE = peopleCte('?');

/** Months from month 0 (the month of randomisation, a first day) to a month (a first day): SQL over two date expressions. */
export const monthsSince = (from: string, month: string) =>
  `((extract(year from ${month}) - extract(year from ${from})) * 12 + extract(month from ${month}) - extract(month from ${from}))::int`;

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
 * Outcome (c), one person and a span of days: a competitive job held on some day of the span, whatever the pathway
 * (intention to treat: a job after the pathway ended counts as one during it). The caller bounds the span by the follow-up.
 */
export const competitiveJobHeld = (participant: string, spanStart: string, spanEnd: string) =>
  `exists (
                  select 1 from pathways.published_employment_episode e
                  where e.participant_id = ${participant} and e.competitive
                    and e.starts_on <= ${spanEnd} and (e.ends_on is null or e.ends_on >= ${spanStart}))`;

type MonthlyRow = {
  arm: TrialArm;
  month_index: number | null;
  people: string;
  working_months: string;
  working_people: string;
  idle_people: string;
  unstated_people: string;
  person_months: string;
  with_statement: string;
  competitive_people: string;
  mean: string | null;
  median: string | null;
};

export class OutcomeService {
  constructor(private readonly runner: SqlRunner) {}

  async measures(from: string, to: string, region?: Region | null, exact = false): Promise<TrialOutcomes> {
    const { fromDay, toDay } = validateWindow(from, to);
    const stratum = region ?? null;
    // (a), (b) and the competitive job of each month: the person-months of the window inside each person's follow-up,
    // over the whole window per arm and per month since randomisation (one statement: grouping sets).
    const monthly = await queryRows<MonthlyRow>(
      this.runner,
      `with ${PEOPLE},
       person_months as (
         select pe.participant_id, pe.arm, m::date as month, ${monthsSince('pe.followed_from', 'm::date')} as month_index,
                least((m + interval '1 month' - interval '1 day')::date, pe.followed_until) as month_end
         from people pe cross join lateral generate_series(greatest(pe.followed_from, ?::date), least(pe.last_month, ?::date), interval '1 month') m),
       observed as (
         select pm.participant_id, pm.arm, pm.month, pm.month_index, s.amount_cents,
                ${workingOnBenefit('pm.participant_id', 'pm.month', 's')} as working,
                ${competitiveJobHeld('pm.participant_id', 'pm.month', 'pm.month_end')} as competitive
         from person_months pm left join billing.published_benefit_statement s on s.participant_id = pm.participant_id and s.month = pm.month)
       select arm, month_index, count(distinct participant_id) as people, count(*) filter (where working) as working_months,
              count(distinct participant_id) filter (where working) as working_people, count(distinct participant_id) filter (where not working) as idle_people,
              count(*) as person_months, count(amount_cents) as with_statement, count(distinct participant_id) filter (where amount_cents is null) as unstated_people,
              count(distinct participant_id) filter (where competitive) as competitive_people,
              avg(coalesce(amount_cents, 0)) as mean, percentile_cont(0.5) within group (order by coalesce(amount_cents, 0)) as median
       from observed group by grouping sets ((arm), (arm, month_index))`,
      [stratum, stratum, fromDay, toDay],
    );
    // (c): per quarter, the people in follow-up on some day of it, whatever their pathway, and those of them holding a
    // competitive job on some day of the quarter while followed.
    const quarterly = await queryRows<{
      arm: TrialArm;
      quarter: Date | string;
      in_follow_up: string;
      employed: string;
    }>(
      this.runner,
      `with ${PEOPLE},
       quarters as (
         select q::date as q_start, (q + interval '3 months' - interval '1 day')::date as q_end
         from generate_series(date_trunc('quarter', ?::date), ?::date, interval '3 months') q),
       spells as (
         select pe.arm, qu.q_start,
                ${competitiveJobHeld('pe.participant_id', 'greatest(qu.q_start, pe.followed_from)', 'least(qu.q_end, pe.followed_until)')} as employed
         from people pe join quarters qu on pe.followed_from <= qu.q_end and pe.followed_until >= qu.q_start)
       select arm, to_char(q_start, 'YYYY-MM-DD') as quarter, count(*) as in_follow_up, count(*) filter (where employed) as employed
       from spells group by arm, q_start`,
      [stratum, stratum, fromDay, toDay],
    );
    const quarters = quarterStarts(fromDay, toDay);
    const small = (count: number) => !exact && isSmall(count);
    const share = exact ? exactShare : suppressedShare;
    const hiddenShare: Share = { numerator: null, denominator: null, share: null, suppressed: true };
    const benefit = (row: MonthlyRow | undefined, hidden: boolean): BenefitPerMonth => ({
      people: hidden ? null : Number(row?.people ?? 0),
      personMonths: hidden ? null : Number(row?.person_months ?? 0),
      // The months without a statement would single out the few people they belong to.
      personMonthsWithStatement:
        hidden || small(Number(row?.unstated_people ?? 0)) ? null : Number(row?.with_statement ?? 0),
      meanCents: hidden || !row?.mean ? null : Math.round(Number(row.mean)),
      medianCents: hidden || !row?.median ? null : Math.round(Number(row.median)),
      suppressed: hidden,
    });
    return {
      from,
      to,
      region: region ?? undefined,
      smallCellThreshold: exact ? 0 : SMALL_CELL_THRESHOLD,
      arms: [TrialArm.IPS, TrialArm.CONTROL].map((arm) => {
        const row = monthly.find((r) => r.arm === arm && r.month_index === null);
        const people = Number(row?.people ?? 0);
        const hidden = small(people);
        return {
          arm,
          people: hidden ? null : people,
          workingWhileOnBenefit: hidden
            ? hiddenShare
            : exact
              ? exactShare(Number(row?.working_months ?? 0), Number(row?.person_months ?? 0))
              : suppressedMonthlyShare(
                  Number(row?.working_months ?? 0),
                  Number(row?.person_months ?? 0),
                  Number(row?.working_people ?? 0),
                  Number(row?.idle_people ?? 0),
                ),
          benefitPerMonth: benefit(row, hidden),
          competitiveEmploymentRate: quarters.map((start) => {
            const cell = quarterly.find((r) => r.arm === arm && String(r.quarter).slice(0, 10) === start);
            const rate = share(Number(cell?.employed ?? 0), Number(cell?.in_follow_up ?? 0));
            return {
              quarter: quarterName(start),
              inFollowUp: rate.denominator,
              competitivelyEmployed: rate.numerator,
              rate: rate.share,
              suppressed: rate.suppressed,
            };
          }),
          // One month of each person: its shares are shares of people, under the same rule as the quarterly rate.
          byMonthSinceRandomisation: Array.from({ length: FOLLOW_UP_MONTHS + 1 }, (_, month) => {
            const cell = monthly.find(
              (r) => r.arm === arm && r.month_index !== null && Number(r.month_index) === month,
            );
            const followed = Number(cell?.people ?? 0);
            const hiddenMonth = small(followed);
            return {
              month,
              people: hiddenMonth ? null : followed,
              workingWhileOnBenefit: hiddenMonth ? hiddenShare : share(Number(cell?.working_months ?? 0), followed),
              benefitPerMonth: benefit(cell, hiddenMonth),
              competitiveJob: hiddenMonth ? hiddenShare : share(Number(cell?.competitive_people ?? 0), followed),
            };
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
