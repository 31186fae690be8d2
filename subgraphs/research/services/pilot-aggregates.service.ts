/**
 * The pilot's aggregates for integrators' regional dashboards and the roles that run the pilot
 * (R18, R19), computed in SQL from the same published views as everything else — never a copy —
 * and published through the disclosure rule (schema/policy.ts DISCLOSURE_CONTROL,
 * subgraphs/kit/disclosure.ts) to suppressed readers; a reader that obtains exact counts elsewhere gets
 * every table exact (COUNT_READERS: one disclosure system per reader).
 *
 * Each measure is ONE table over fixed dimensions, in which every person (or pathway) is counted
 * in exactly one interior cell, with all its margins; it is suppressed once, and a query's
 * region only picks a slice of it. So the region totals of a slice equal those of the national
 * table, and subtracting two queries reveals nothing the table does not publish.
 *
 * - REFERRALS: IPS partner (within its region) × quarter of the referral × the stage the referral
 *   has reached (referred only; registered, not randomised; randomised IPS; randomised control),
 *   stages grouped into NOT_REGISTERED and REGISTERED. A partner's capacity used is the
 *   REGISTERED margin over all quarters.
 * - ACTIVITY: partner × quarter × arm × whether the person held a competitive job during the
 *   quarter while in the pathway: the IPS programmes' quarterly competitive employment rate.
 * - ACTIVITY_BY_YEAR: the same per calendar year, the level above the quarter. A person in a pathway
 *   is counted once a year, not once per quarter, so a year is not the sum of its quarters: it is its
 *   own table, with cells large enough to publish a rate per partner and arm where a quarter's cells
 *   are too small to read (a partner of 60 pathways has a handful of people per quarter and arm).
 * - ENDINGS: partner × quarter of the end × arm × end reason (a consent withdrawal among them, R18).
 * - QUESTIONNAIRES: region × arm × wave × the wave's state (R12).
 *
 * Each query returns, beside a cell's count `n`, the sum `ks` of its people's record keys
 * (record-key.sql.ts): the cell key method (DISCLOSURE_CONTROL.method CELL_KEY) draws the cell's noise
 * from it, and a margin's from its parts' sums added (kit/disclosure.ts). The secret stays in SQL.
 */
import { createHash } from 'node:crypto';
import { DISCLOSURE_CONTROL } from '../../../schema/policy.js';
import { publishTable, TOTAL, type Dimension, type SuppressedTable } from '../../kit/disclosure.js';
import { Region } from '../../kit/domain.js';
import { aggregateSnapshots } from '../../kit/data-version.js';
import { queryRows, type SqlRunner } from '../../kit/raw-sql.js';
import { fidelityBand, type FidelityBand } from './fidelity-scale.js';
import { CELL_KEY_SECRET, recordKey } from './record-key.sql.js';
import { quarterName } from './outcome.service.js';
import { CATALOGUES, type Language } from '../../../schema/i18n/index.js';

type DimensionLabels = (typeof CATALOGUES)['en']['dimensions'];

/** A dimension member's label in a language: quarters and conventions' codes stand for themselves. */
export function memberLabel(language: Language, dimension: string, member: string): string {
  const labels = CATALOGUES[language].dimensions;
  if (member === TOTAL) return labels.total['*'];
  if (dimension === 'quarter' || dimension === 'year') return member;
  if (dimension === 'partner') {
    if (member in labels.region) return labels.region[member as keyof DimensionLabels['region']];
    const outside = /^(\w+):OUTSIDE_CATCHMENT$/.exec(member);
    return outside
      ? `${labels.partner.OUTSIDE_CATCHMENT} (${labels.region[outside[1] as keyof DimensionLabels['region']] ?? outside[1]})`
      : member;
  }
  const own = (labels as Record<string, Record<string, string> | undefined>)[dimension];
  const label = own?.[member];
  if (label === undefined) throw new Error(`no ${language} label for ${dimension} ${member}`);
  return label;
}

export enum AggregateMeasureValue {
  REFERRALS = 'REFERRALS',
  ACTIVITY = 'ACTIVITY',
  ACTIVITY_BY_YEAR = 'ACTIVITY_BY_YEAR',
  ENDINGS = 'ENDINGS',
  QUESTIONNAIRES = 'QUESTIONNAIRES',
}

/** Suppressed tables by fingerprint of their dimensions and counts (oldest dropped first). */
const SUPPRESSED_TABLES = new Map<string, SuppressedTable>();
const CACHED_TABLES = 64;

/** IPS-25 item CASELOAD_SIZE: an employment specialist holds at most 20 people (DOMAIN.md, IPS-25). */
export const CASELOAD_GUIDELINE = 20;

/** A partner member for referrals whose postcode no convention serves (kept per region, so the region totals hold). */
export const outsideCatchment = (region: Region) => `${region}:OUTSIDE_CATCHMENT`;

const REGIONS = [Region.FLANDERS, Region.WALLONIA, Region.BRUSSELS] as const;
const ARMS = ['IPS', 'CONTROL', 'NOT_RANDOMISED'] as const;
const STAGES = { NOT_REGISTERED: ['REFERRED'], REGISTERED: ['AWAITING_RANDOMISATION', 'IPS', 'CONTROL'] } as const;
const EMPLOYMENT = ['COMPETITIVE_JOB', 'NO_COMPETITIVE_JOB'] as const;
const END_REASONS = [
  'EMPLOYMENT_SUSTAINED',
  'PARTICIPANT_WITHDREW',
  'MOVED_OUT_OF_REGION',
  'HEALTH',
  'DECEASED',
  'PILOT_ENDED',
  'OTHER',
  'CONSENT_WITHDRAWN',
] as const;
const WAVES = ['0', '1', '2', '3', '4', '5'] as const;
const WAVE_STATES = ['SCHEDULED', 'DUE', 'OPEN', 'COMPLETED', 'MISSED'] as const;

/** The fixed members (and group names) of the categorical dimensions, by dimension name: every one has a label per language. */
export const CATEGORICAL_MEMBERS: Readonly<Record<string, readonly string[]>> = {
  stage: [...Object.values(STAGES).flat(), ...Object.keys(STAGES)],
  arm: ARMS,
  employment: EMPLOYMENT,
  reason: END_REASONS,
  region: REGIONS,
  wave: WAVES,
  state: WAVE_STATES,
};

export interface AggregateTableResult {
  measure: AggregateMeasureValue;
  threshold: number;
  /** The members of the table's period dimension (quarters, or years). */
  periods: string[];
  table: SuppressedTable;
  /** The region the caller asked for: only cells within it (and its own margins) are returned. */
  region: Region | null;
  /** When the counts were computed (the published snapshot's moment). */
  asOf: Date;
}

export interface CoachCaseloadRow {
  partner: string;
  region: Region;
  /** Open pathways per coach, largest first; coaches are not named. */
  caseloads: number[];
}

export interface TeamFidelityRow {
  team: string;
  region: Region;
  reviewedOn: string | null;
  total: number | null;
  band: FidelityBand | null;
}

interface Partner {
  code: string;
  region: Region;
}

/** A cell's coordinates, its count and the sum of its contributors' record keys (an exact integer, as text). */
type CountRow = { k1: string; k2: string; k3: string; k4?: string; n: string; ks: string };

const snapshots = aggregateSnapshots;

export class PilotAggregatesService {
  constructor(private readonly runner: SqlRunner) {}

  private partners(): Promise<Partner[]> {
    return queryRows<Partner>(
      this.runner,
      `select code, region from billing.published_convention order by region, code`,
      [],
    );
  }

  /** The partner dimension: each convention within its region, plus each region's referrals outside every catchment. */
  private partnerDimension(partners: readonly Partner[], withOutside: boolean): Dimension {
    const groups = Object.fromEntries(
      REGIONS.map((region) => [
        region,
        [
          ...partners.filter((p) => p.region === region).map((p) => p.code),
          ...(withOutside ? [outsideCatchment(region)] : []),
        ],
      ]),
    );
    return { name: 'partner', members: Object.values(groups).flat(), groups };
  }

  /** Quarters from the first referral's to today's (Brussels): fixed for a given state of the data. */
  private async quarters(): Promise<string[]> {
    const [row] = await queryRows<{ first: string | null; last: string }>(
      this.runner,
      `select to_char(date_trunc('quarter', min(submitted_at at time zone 'Europe/Brussels')), 'YYYY-MM-DD') as first,
              to_char(date_trunc('quarter', now() at time zone 'Europe/Brussels'), 'YYYY-MM-DD') as last
       from participants.published_referral`,
      [],
    );
    const quarters: string[] = [];
    if (!row?.first) return quarters;
    let [year, month] = [Number(row.first.slice(0, 4)), Number(row.first.slice(5, 7))];
    for (;;) {
      const start = `${year}-${String(month).padStart(2, '0')}-01`;
      if (start > row.last) return quarters;
      quarters.push(start);
      month += 3;
      if (month > 12) [year, month] = [year + 1, 1];
    }
  }

  /**
   * The measure's national table as of the data's current version (kit/data-version.ts), suppressed or,
   * for a reader of exact counts (COUNT_READERS), exact; the region picks its slice.
   */
  async table(measure: AggregateMeasureValue, region: Region | null, exact = false): Promise<AggregateTableResult> {
    const key = exact ? `table:${measure}:exact` : `table:${measure}`;
    const { value, asOf } = await snapshots(this.runner).get(this.runner, key, (tx) =>
      new PilotAggregatesService(tx).nationalTable(measure, exact),
    );
    return { ...value, region, asOf };
  }

  /** The measure's national table, computed now and suppressed unless `exact` (the snapshot's computation; the CONSORT flow's joint suppression). */
  async nationalTable(
    measure: AggregateMeasureValue,
    exact = false,
  ): Promise<Omit<AggregateTableResult, 'region' | 'asOf'>> {
    // Exact: the same table suppressed under a threshold of 0, so no count is withheld nor perturbed and the cells and margins are the same.
    const rule = exact ? { threshold: 0, method: 'GREEDY_SUPPRESSION' as const } : DISCLOSURE_CONTROL;
    const [partners, quarterStarts] = await Promise.all([this.partners(), this.quarters()]);
    // A sum over quarters is a count only of referrals (each counted once, in its quarter): it
    // gives each partner's capacity used. People in a pathway are counted in every quarter they
    // spend in it, and endings are read per quarter: their quarters are separate tables.
    const periodDimension: Dimension =
      measure === AggregateMeasureValue.ACTIVITY_BY_YEAR
        ? { name: 'year', members: [...new Set(quarterStarts.map((start) => start.slice(0, 4)))], total: false }
        : {
            name: 'quarter',
            members: quarterStarts.map(quarterName),
            total: measure === AggregateMeasureValue.REFERRALS,
          };
    const { dimensions, rows } = await this.rows(measure, partners, periodDimension);
    const keyOfRow = (row: CountRow) =>
      [row.k1, row.k2, row.k3, ...(row.k4 === undefined ? [] : [row.k4])].join('\u0000');
    const counts = new Map(rows.map((row) => [keyOfRow(row), Number(row.n)]));
    const keySums = new Map(rows.map((row) => [keyOfRow(row), BigInt(row.ks ?? '0')]));
    // The same counts (and, for the cell key method, the same people) always give the same table: computed once per state of the data.
    const fingerprint = createHash('sha256')
      .update(
        JSON.stringify([
          measure,
          rule,
          dimensions,
          rows
            .map((row) => [keyOfRow(row), row.n, rule.method === 'CELL_KEY' ? row.ks : ''])
            .sort(([a], [b]) => (a! < b! ? -1 : a! > b! ? 1 : 0)),
        ]),
      )
      .digest('base64url');
    const cached = SUPPRESSED_TABLES.get(fingerprint);
    if (cached)
      return { measure, threshold: rule.threshold, periods: periodDimension.members as string[], table: cached };
    const read = new Set<string>();
    const table = publishTable(
      dimensions,
      (key) => {
        const joined = key.join('\u0000');
        read.add(joined);
        return counts.get(joined) ?? 0;
      },
      rule,
      (key) => keySums.get(key.join('\u0000')) ?? 0n,
    );
    // Every row must land in a cell: a partner, quarter or value outside the fixed dimensions is a fault, never a silent loss.
    const outside = [...counts.keys()].filter((key) => !read.has(key));
    if (outside.length > 0)
      throw new Error(
        `aggregate ${measure}: rows outside the table's dimensions: ${outside.map((k) => k.replaceAll('\u0000', '/')).join(', ')}`,
      );
    SUPPRESSED_TABLES.set(fingerprint, table);
    if (SUPPRESSED_TABLES.size > CACHED_TABLES) SUPPRESSED_TABLES.delete(SUPPRESSED_TABLES.keys().next().value!);
    return { measure, threshold: rule.threshold, periods: periodDimension.members as string[], table };
  }

  private async rows(
    measure: AggregateMeasureValue,
    partners: readonly Partner[],
    quarter: Dimension,
  ): Promise<{ dimensions: Dimension[]; rows: CountRow[] }> {
    const q = (column: string) => `to_char(${column}, 'YYYY') || '-Q' || to_char(${column}, 'Q')`;
    switch (measure) {
      case AggregateMeasureValue.REFERRALS:
        return {
          dimensions: [
            this.partnerDimension(partners, true),
            quarter,
            { name: 'stage', members: Object.values(STAGES).flat(), groups: STAGES },
          ],
          rows: await queryRows<CountRow>(
            this.runner,
            `select coalesce(c.ips_partner, k.code, r.region || ':OUTSIDE_CATCHMENT') as k1,
                    ${q(`(r.submitted_at at time zone 'Europe/Brussels')`)} as k2,
                    case when c.pathway_id is null then 'REFERRED' when a.arm is null then 'AWAITING_RANDOMISATION' else a.arm end as k3,
                    count(*) as n, sum(${recordKey('r.participant_id')}) as ks
             from participants.published_referral r cross join ${CELL_KEY_SECRET}
             left join pathways.published_pathway_course c on c.referral_id = r.referral_id
             left join billing.published_convention_catchment k on c.pathway_id is null and r.postcode ~ '^[0-9]{4}$' and r.postcode::int between k.postcode_from and k.postcode_to
             left join research.allocation a on c.pathway_id is not null and a.participant_id = r.participant_id
             where not r.superseded
             group by 1, 2, 3`,
            [],
          ),
        };
      case AggregateMeasureValue.ACTIVITY:
      case AggregateMeasureValue.ACTIVITY_BY_YEAR: {
        // Periods as numbers: a quarter as year × 4 + quarter − 1, a year as itself.
        const byYear = measure === AggregateMeasureValue.ACTIVITY_BY_YEAR;
        const period = (date: string) =>
          byYear
            ? `extract(year from ${date})::int`
            : `extract(year from ${date})::int * 4 + extract(quarter from ${date})::int - 1`;
        const periodName = byYear ? `q::text` : `(q / 4)::text || '-Q' || (q % 4 + 1)::text`;
        return {
          dimensions: [
            this.partnerDimension(partners, false),
            quarter,
            { name: 'arm', members: ARMS },
            { name: 'employment', members: EMPLOYMENT },
          ],
          rows: await queryRows<CountRow>(
            this.runner,
            // Each person's time in a pathway of a partner and arm, and their time in a competitive job
            // within it, as ranges of periods merged per person (gaps and islands: a person counts once a
            // period), then counted per period from the ranges' starts and ends (a running sum):
            // O(pathways + jobs), not a row per pathway and period (5 M rows at 200 000 people, 24 s;
            // this: 2.6 s, the same counts). Each person's record key `rk` travels with their ranges, so
            // the running sums carry each cell's sum of keys (`ks`) as they carry its count.
            `with periods as (
             select c.participant_id, ${recordKey('c.participant_id')} as rk, c.ips_partner, coalesce(a.arm, 'NOT_RANDOMISED') as arm, c.started_on, c.ended_on,
             ${period('c.started_on')} as qa,
             ${period(`coalesce(c.ended_on, (now() at time zone 'Europe/Brussels')::date)`)} as qb
             from pathways.published_pathway_course c cross join ${CELL_KEY_SECRET}
             left join research.allocation a on a.participant_id = c.participant_id),
             overlapping as (
             select p.participant_id, p.rk, p.ips_partner, p.arm,
             greatest(j.starts_on, p.started_on) as d_from,
             least(coalesce(j.ends_on, 'infinity'::date), coalesce(p.ended_on, 'infinity'::date), (now() at time zone 'Europe/Brussels')::date) as d_to
             from periods p join pathways.published_employment_episode j on j.participant_id = p.participant_id and j.competitive),
             ranges as (
             select participant_id, rk, ips_partner, arm, 'IN' as kind, qa, qb from periods
             union all
             select participant_id, rk, ips_partner, arm, 'JOB', ${period('d_from')}, ${period('d_to')}
             from overlapping where d_from <= d_to),
             islands as (
             select participant_id, rk, ips_partner, arm, kind, qa, qb,
             sum(fresh) over (partition by participant_id, ips_partner, arm, kind order by qa, qb rows unbounded preceding) as island
             from (select *, case when coalesce(qa > max(qb) over (partition by participant_id, ips_partner, arm, kind order by qa, qb rows between unbounded preceding and 1 preceding), true) then 1 else 0 end as fresh
             from ranges) r),
             merged as (select ips_partner, arm, kind, min(rk) as rk, min(qa) as qa, max(qb) as qb from islands group by participant_id, ips_partner, arm, kind, island),
             steps as (
             select ips_partner, arm, kind, qa as q, 1 as d, rk as k from merged
             union all select ips_partner, arm, kind, qb + 1, -1, -rk from merged),
             deltas as (select ips_partner, arm, kind, q, sum(d) as d, sum(k) as k from steps group by 1, 2, 3, 4),
             span as (select min(q) as q0, max(q) as q1 from deltas),
             keys as (select distinct ips_partner, arm from deltas),
             grid as (select k.ips_partner, k.arm, kinds.kind, g.q from keys k cross join (values ('IN'), ('JOB')) kinds(kind) cross join span cross join generate_series(span.q0, span.q1) g(q)),
             running as (
             select g.ips_partner, g.arm, g.kind, g.q,
             sum(coalesce(d.d, 0)) over (partition by g.ips_partner, g.arm, g.kind order by g.q) as n,
             sum(coalesce(d.k, 0)) over (partition by g.ips_partner, g.arm, g.kind order by g.q) as ks
             from grid g left join deltas d using (ips_partner, arm, kind, q)),
             counts as (
             select ips_partner, arm, q, sum(n) filter (where kind = 'IN') as in_pathway, sum(n) filter (where kind = 'JOB') as employed,
             sum(ks) filter (where kind = 'IN') as ks_in, sum(ks) filter (where kind = 'JOB') as ks_employed
             from running group by 1, 2, 3)
             select ips_partner as k1, ${periodName} as k2, arm as k3, e.k4, e.n, e.ks
             -- a job is held within the pathway: the people without one are those in it less those with one, and so are their keys
             from counts cross join lateral (values ('COMPETITIVE_JOB', employed, ks_employed), ('NO_COMPETITIVE_JOB', in_pathway - employed, ks_in - ks_employed)) e(k4, n, ks)
             where e.n > 0`,
            [],
          ),
        };
      }
      case AggregateMeasureValue.ENDINGS:
        return {
          dimensions: [
            this.partnerDimension(partners, false),
            quarter,
            { name: 'arm', members: ARMS },
            { name: 'reason', members: END_REASONS },
          ],
          rows: await queryRows<CountRow>(
            this.runner,
            `select c.ips_partner as k1, ${q('c.ended_on')} as k2, coalesce(a.arm, 'NOT_RANDOMISED') as k3, c.end_reason as k4, count(*) as n,
                    sum(${recordKey('c.participant_id')}) as ks
             from pathways.published_pathway_course c cross join ${CELL_KEY_SECRET}
             left join research.allocation a on a.participant_id = c.participant_id
             where c.ended_on is not null
             group by 1, 2, 3, 4`,
            [],
          ),
        };
      case AggregateMeasureValue.QUESTIONNAIRES:
        return {
          dimensions: [
            { name: 'region', members: REGIONS },
            { name: 'arm', members: ['IPS', 'CONTROL'] },
            { name: 'wave', members: WAVES },
            { name: 'state', members: WAVE_STATES },
          ],
          rows: await queryRows<CountRow>(
            this.runner,
            `select region as k1, arm as k2, wave::text as k3, state as k4, count(*) as n, sum(${recordKey('participant_id')}) as ks
             from research.questionnaire_wave_status cross join ${CELL_KEY_SECRET} group by 1, 2, 3, 4`,
            [],
          ),
        };
    }
  }

  /** Open pathways per job coach of each partner (staff counts; no coach named, no person). */
  async coachCaseloads(region: Region | null): Promise<CoachCaseloadRow[]> {
    const { value } = await snapshots(this.runner).get(this.runner, 'coachCaseloads', (tx) =>
      new PilotAggregatesService(tx).nationalCoachCaseloads(),
    );
    return value.filter((row) => region === null || row.region === region);
  }

  async nationalCoachCaseloads(): Promise<CoachCaseloadRow[]> {
    const [partners, rows] = await Promise.all([
      this.partners(),
      queryRows<{ partner: string; caseloads: number[] }>(
        this.runner,
        `select ips_partner as partner, array_agg(n order by n desc) as caseloads
         from (select ips_partner, job_coach, count(*)::int as n from pathways.published_pathway_course
               where ended_on is null and job_coach is not null group by 1, 2) per_coach
         group by 1`,
        [],
      ),
    ]);
    return partners.map((partner) => ({
      partner: partner.code,
      region: partner.region,
      caseloads: rows.find((row) => row.partner === partner.code)?.caseloads ?? [],
    }));
  }

  /** The latest IPS-25 review of each team, with its band. */
  async teamFidelity(region: Region | null): Promise<TeamFidelityRow[]> {
    const { value } = await snapshots(this.runner).get(this.runner, 'teamFidelity', (tx) =>
      new PilotAggregatesService(tx).nationalTeamFidelity(),
    );
    return value.filter((row) => region === null || row.region === region);
  }

  async nationalTeamFidelity(): Promise<TeamFidelityRow[]> {
    const [partners, rows] = await Promise.all([
      this.partners(),
      queryRows<{ team: string; reviewed_on: string; total: number }>(
        this.runner,
        `select distinct on (team) team, to_char(reviewed_on, 'YYYY-MM-DD') as reviewed_on, total from research.fidelity_review order by team, reviewed_on desc`,
        [],
      ),
    ]);
    return partners.map((partner) => {
      const review = rows.find((row) => row.team === partner.code);
      return {
        team: partner.code,
        region: partner.region,
        reviewedOn: review?.reviewed_on ?? null,
        total: review?.total ?? null,
        band: review ? fidelityBand(review.total) : null,
      };
    });
  }
}

/** The cells of a table a caller receives: all of them, or those of one region (its partners' and its own margins). */
export function sliceByRegion(result: AggregateTableResult): SuppressedTable['cells'] {
  const { table, region } = result;
  if (region === null) return table.cells;
  const first = table.dimensions[0]!;
  const inRegion = new Set([region, ...(first.groups?.[region] ?? (first.members.includes(region) ? [region] : []))]);
  return table.cells.filter((cell) => inRegion.has(cell.key[0]!));
}

export { TOTAL };
