/**
 * The CONSORT 2010 flow of the trial from the platform's own data, in four statements whatever the
 * trial's size: the anonymous screening log and the referrals (participants.published_screening_entry,
 * published_referral), the registered pathways and whether each arm's intervention began
 * (pathways.published_pathway, published_intervention), this subgraph's allocations and questionnaire
 * waves (research.questionnaire_wave_status), the research consent in force (access.ledger), and the
 * design versions with their approvals (CONSORT 8b/9). Counts only, no person; who gets small cells
 * suppressed is the policy's (COUNT_READERS): a suppressed reader's flows are suppressed together with
 * the REFERRALS table, one system (SUPPRESSED_SYSTEM).
 *
 * Stages: assessed = screening entries + people referred; registered = people with a pathway;
 * randomised = allocations; received = IPS: a referent coach and the first meeting held (R11),
 * control: a reference counsellor and the reference interview recorded (R9); lost to follow-up at a
 * wave = that wave MISSED (R12), among people still in the study; discontinued = pathway ended by an
 * information-sharing consent withdrawal (R18), still analysed; withdrawn = research consent (R1f)
 * withdrawn; analysed = allocated − withdrawn (intention to treat, as trialOutcomes counts).
 */
import { DISCLOSURE_CONTROL, readsExactCounts } from '../../../schema/policy.js';
import type { SubgraphContext } from '../../kit/context.js';
import { Region, type EligibilityCondition } from '../../kit/domain.js';
import { aggregateSnapshots } from '../../kit/data-version.js';
import { queryRows, type SqlRunner } from '../../kit/raw-sql.js';
import { TrialArm } from '../entities/allocation.entity.js';
import {
  CONSORT_SMALL_CELL,
  consortCounts,
  consortKeySums,
  exactFlow,
  flowSums,
  perturbFlow,
  suppressedCellsTogether,
  suppressFlow,
  WAVES,
  type ConsortCounts,
  type PublishedFlow,
  type StageCounts,
  type Withheld,
} from './consort-flow.js';
import { consortReport, type TrialDesignRow } from './randomisation.service.js';
import { AggregateMeasureValue, PilotAggregatesService } from './pilot-aggregates.service.js';
import { TOTAL } from '../../kit/disclosure.js';
import { anonymousRecordKey, CELL_KEY_SECRET, recordKey } from './record-key.sql.js';

export interface DesignChange {
  version: number;
  design: TrialDesignRow;
  /** CONSORT 8b: the restriction as reported. */
  restriction: string;
  liveFrom: Date;
  liveUntil: Date | null;
  allocated: Record<TrialArm, number | null>;
}

export interface ConsortFlowView {
  region: Region | null;
  smallCellThreshold: number;
  suppressed: boolean;
  /** True when every count carries the cell key method's noise (DISCLOSURE_CONTROL). */
  perturbed: boolean;
  /** The counts, with why each withheld one is withheld (never drawn as small unless it is) and which carry noise. */
  counts: PublishedFlow;
  designChanges: DesignChange[];
}

type DesignRow = TrialDesignRow & { ips: string; control: string };

/** The flow's boxes that the REFERRALS table also counts: its partner group (the region, or * for all), every quarter, this stage. */
const REFERRALS_STAGE_OF: Readonly<Record<string, string>> = {
  referred: TOTAL,
  notRegistered: 'NOT_REGISTERED',
  registered: 'REGISTERED',
  notRandomised: 'AWAITING_RANDOMISATION',
  'arms.IPS.allocated': 'IPS',
  'arms.CONTROL.allocated': 'CONTROL',
};

interface Stages {
  stages: StageCounts;
  designs: DesignRow[];
}

/** A flow's stages with each stage's sum of record keys (the cell key method's; never leaves the service). */
interface KeyedStages extends Stages {
  keys: StageCounts<bigint>;
}

export class ConsortService {
  constructor(private readonly context: SubgraphContext) {}

  async flow(region?: Region | null): Promise<ConsortFlowView> {
    const stratum = region ?? null;
    // Deny by default: only the roles the policy names as exact readers get every count as it is.
    const suppress = !readsExactCounts(this.context.identity.role);
    if (!suppress) return this.view(stratum, await this.stages(stratum), null);
    if (DISCLOSURE_CONTROL.method === 'CELL_KEY') {
      // Every box published with its own people's noise: nothing hidden, so nothing to suppress
      // together; the whole trial and every region, as of the data's version.
      const { value } = await aggregateSnapshots(this.context).get(
        this.context,
        'consortFlow:cellKey',
        ConsortService.cellKeyFlows,
      );
      const area = value.get(stratum ?? '*')!;
      return this.view(stratum, area.stages, null, area.perturbed);
    }
    // Suppressed readers: the whole trial and every region, suppressed together (so no region's
    // hidden count is the whole minus the others), as of the data's version (kit/data-version.ts).
    const { value } = await aggregateSnapshots(this.context).get(
      this.context,
      'consortFlow',
      ConsortService.suppressedFlows,
    );
    return this.view(stratum, value.stages.get(stratum ?? '*')!, value.hidden.get(stratum ?? '*')!);
  }

  private view(
    stratum: Region | null,
    { stages, designs }: Stages,
    hidden: ReadonlyMap<string, Withheld> | null,
    perturbed?: ConsortCounts,
  ): ConsortFlowView {
    const exact = consortCounts(stages);
    const counts: PublishedFlow = perturbed
      ? { ...perturbed, withheld: new Map(), perturbed: new Set(flowSums(perturbed).values.keys()) }
      : hidden
        ? suppressFlow(exact, CONSORT_SMALL_CELL, hidden)
        : exactFlow(exact);
    const liveFrom = (d: TrialDesignRow) => new Date(d.approved_at ?? d.configured_at);
    return {
      region: stratum,
      smallCellThreshold: CONSORT_SMALL_CELL,
      suppressed: hidden !== null && hidden.size > 0,
      perturbed: perturbed !== undefined,
      counts,
      designChanges: designs.map((design, index) => ({
        version: design.version,
        design,
        restriction: consortReport(design).restriction,
        liveFrom: liveFrom(design),
        liveUntil: designs[index + 1] ? liveFrom(designs[index + 1]!) : null,
        allocated: counts.designs[index]!.allocated,
      })),
    };
  }

  /**
   * The counts of each stage of one region's flow (or the whole trial's), in four statements, each
   * count with the sum of its people's record keys (`*_ks`: the cell key method's, record-key.sql.ts).
   */
  private async stages(stratum: Region | null): Promise<KeyedStages> {
    const inRegion = (column: string) => `(?::text is null or ${column} = ?::text)`;
    const screening = ['s.screened_in', 's.region', 's.health_insurer', 's.outcome', 's.unmet_condition'];
    const [enrolment] = await queryRows<{
      declined: string;
      declined_ks: string;
      unmet: Record<string, [number, string]>;
      referred: string;
      referred_ks: string;
      registered: string;
      registered_ks: string;
    }>(
      this.context,
      `with keyed_screening as (
         select s.region, s.outcome, s.unmet_condition, ${anonymousRecordKey(screening)} as rk
         from participants.published_screening_entry s cross join ${CELL_KEY_SECRET}),
       referred as (select distinct r.participant_id from participants.published_referral r where ${inRegion('r.region')}),
       registered as (select distinct p.participant_id from pathways.published_pathway p join participants.published_referral r on r.referral_id = p.referral_id
          where ${inRegion('r.region')})
       select
         (select count(*) from keyed_screening s where s.outcome = 'DECLINED' and ${inRegion('s.region')}) as declined,
         (select coalesce(sum(s.rk), 0) from keyed_screening s where s.outcome = 'DECLINED' and ${inRegion('s.region')}) as declined_ks,
         (select coalesce(json_object_agg(c.unmet_condition, json_build_array(c.n, c.ks::text)), '{}'::json) from (
            select s.unmet_condition, count(*) as n, sum(s.rk) as ks from keyed_screening s
            where s.outcome = 'R1_NOT_MET' and ${inRegion('s.region')} group by s.unmet_condition) c) as unmet,
         (select count(*) from referred) as referred,
         (select coalesce(sum(${recordKey('d.participant_id')}), 0) from referred d cross join ${CELL_KEY_SECRET}) as referred_ks,
         (select count(*) from registered) as registered,
         (select coalesce(sum(${recordKey('d.participant_id')}), 0) from registered d cross join ${CELL_KEY_SECRET}) as registered_ks`,
      [stratum, stratum, stratum, stratum, stratum, stratum, stratum, stratum, stratum, stratum],
    );
    const arms = await queryRows<{
      arm: TrialArm;
      allocated: string;
      received: string;
      discontinued: string;
      withdrawn: string;
      allocated_ks: string;
      received_ks: string;
      discontinued_ks: string;
      withdrawn_ks: string;
    }>(
      this.context,
      `select arm, count(*) as allocated, count(*) filter (where received) as received, count(*) filter (where discontinued) as discontinued, count(*) filter (where withdrawn) as withdrawn,
         sum(rk) as allocated_ks, coalesce(sum(rk) filter (where received), 0) as received_ks,
         coalesce(sum(rk) filter (where discontinued), 0) as discontinued_ks, coalesce(sum(rk) filter (where withdrawn), 0) as withdrawn_ks
       from (select a.arm, ${recordKey('a.participant_id')} as rk,
         exists (select 1 from pathways.published_intervention i where i.participant_id = a.participant_id
                   and case when a.arm = 'IPS' then i.ips_received else i.control_received end) as received,
         exists (select 1 from pathways.published_intervention i where i.participant_id = a.participant_id and i.end_reason = 'CONSENT_WITHDRAWN') as discontinued,
         not coalesce(l.research_consent, false) as withdrawn
       from research.allocation a cross join ${CELL_KEY_SECRET} left join access.ledger l on l.participant_id = a.participant_id
       where ${inRegion('a.region')}) allocation
       group by arm`,
      [stratum, stratum],
    );
    const waves = await queryRows<{ arm: TrialArm; wave: number; lost: string; lost_ks: string }>(
      this.context,
      `select w.arm, w.wave, count(*) as lost, sum(${recordKey('w.participant_id')}) as lost_ks from research.questionnaire_wave_status w
       cross join ${CELL_KEY_SECRET}
       join access.ledger l on l.participant_id = w.participant_id and l.research_consent
       where w.state = 'MISSED' and ${inRegion('w.region')} group by w.arm, w.wave`,
      [stratum, stratum],
    );
    const designs = await queryRows<DesignRow & { ips_ks: string; control_ks: string }>(
      this.context,
      `select c.*, p.proposed_at, p.approved_by, p.approved_at, n.ips, n.control, n.ips_ks, n.control_ks
       from allocation_vault.configurations() c left join research.trial_design_proposal p on p.version = c.version
       cross join lateral (
         select count(*) filter (where a.arm = 'IPS') as ips, count(*) filter (where a.arm = 'CONTROL') as control,
                coalesce(sum(${recordKey('a.participant_id')}) filter (where a.arm = 'IPS'), 0) as ips_ks,
                coalesce(sum(${recordKey('a.participant_id')}) filter (where a.arm = 'CONTROL'), 0) as control_ks
         from research.allocation a cross join ${CELL_KEY_SECRET} where a.config_version = c.version and ${inRegion('a.region')}) n
       order by c.version`,
      [stratum, stratum],
    );

    // The counts (columns `name`) and their key sums (`name_ks`) from the same rows.
    const build = <N>(of: (value: unknown) => N, keySums: boolean): StageCounts<N> => {
      const at = (row: object | undefined, name: string) =>
        of((row as Record<string, unknown> | undefined)?.[keySums ? `${name}_ks` : name]);
      return {
        declined: at(enrolment, 'declined'),
        unmetConditions: Object.fromEntries(
          Object.entries(enrolment!.unmet).map(([condition, [n, ks]]) => [condition, of(keySums ? ks : n)]),
        ),
        referred: at(enrolment, 'referred'),
        registered: at(enrolment, 'registered'),
        arms: Object.fromEntries(
          [TrialArm.IPS, TrialArm.CONTROL].map((arm) => {
            const row = arms.find((r) => r.arm === arm);
            return [
              arm,
              {
                allocated: at(row, 'allocated'),
                received: at(row, 'received'),
                discontinued: at(row, 'discontinued'),
                withdrawn: at(row, 'withdrawn'),
                lostByWave: Object.fromEntries(
                  WAVES.map((wave) => [
                    wave,
                    at(
                      waves.find((w) => w.arm === arm && Number(w.wave) === wave),
                      'lost',
                    ),
                  ]),
                ),
              },
            ];
          }),
        ) as StageCounts<N>['arms'],
        designs: designs.map((d) => ({
          version: d.version,
          allocated: { [TrialArm.IPS]: at(d, 'ips'), [TrialArm.CONTROL]: at(d, 'control') },
        })),
      };
    };
    const stages = build((value) => Number(value ?? 0), false);
    const keys = build((value) => BigInt((value as string | number | undefined) ?? 0), true);
    return { stages, keys, designs };
  }

  /** The flows of the whole trial and of every region, each box with its own people's noise: the published snapshot 'consortFlow:cellKey' (kit/data-version.ts). */
  static async cellKeyFlows(tx: SqlRunner) {
    const within = new ConsortService({ em: tx.em, sqlCounter: tx.sqlCounter } as SubgraphContext); // stages() reads only
    const areas = new Map<string, { stages: Stages; perturbed: ConsortCounts }>();
    for (const area of [null, ...Object.values(Region)]) {
      const { stages, designs, keys } = await within.stages(area);
      areas.set(area ?? '*', {
        stages: { stages, designs },
        perturbed: perturbFlow(consortCounts(stages), consortKeySums(keys), DISCLOSURE_CONTROL.cellKey),
      });
    }
    return areas;
  }

  /** The suppressed flows of the whole trial and of every region, suppressed together: the published snapshot 'consortFlow' (kit/data-version.ts). */
  static async suppressedFlows(tx: SqlRunner) {
    const within = new ConsortService({ em: tx.em, sqlCounter: tx.sqlCounter } as SubgraphContext); // stages() reads only
    const whole = await within.stages(null);
    const regions: [Region, Stages][] = [];
    for (const r of Object.values(Region)) regions.push([r, await within.stages(r)]);
    // The REFERRALS table publishes some of the same counts (people referred, registered, randomised per
    // arm, per region): both publications are suppressed as one (no cross-endpoint differencing).
    const referrals = await new PilotAggregatesService(tx).nationalTable(AggregateMeasureValue.REFERRALS);
    const hidden = suppressedCellsTogether(
      consortCounts(whole.stages),
      Object.fromEntries(regions.map(([r, s]) => [r, consortCounts(s.stages)])),
      CONSORT_SMALL_CELL,
      {
        table: referrals.table,
        link: (flow, cell) => {
          const stage = REFERRALS_STAGE_OF[cell];
          return stage ? [flow, TOTAL, stage] : undefined;
        },
      },
    );
    return { stages: new Map<string, Stages>([['*', whole], ...regions]), hidden };
  }
}
