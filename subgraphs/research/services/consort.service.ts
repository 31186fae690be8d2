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
import { readsExactCounts } from '../../../schema/policy.js';
import type { SubgraphContext } from '../../kit/context.js';
import { Region, type EligibilityCondition } from '../../kit/domain.js';
import { aggregateSnapshots } from '../../kit/data-version.js';
import { queryRows, type SqlRunner } from '../../kit/raw-sql.js';
import { TrialArm } from '../entities/allocation.entity.js';
import { CONSORT_SMALL_CELL, consortCounts, suppressedCellsTogether, suppressFlow, WAVES, type ConsortCounts, type StageCounts } from './consort-flow.js';
import { consortReport, type TrialDesignRow } from './randomisation.service.js';
import { AggregateMeasureValue, PilotAggregatesService } from './pilot-aggregates.service.js';
import { TOTAL } from '../../kit/disclosure.js';

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
  counts: ConsortCounts<number | null>;
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

export class ConsortService {
  constructor(private readonly context: SubgraphContext) {}

  async flow(region?: Region | null): Promise<ConsortFlowView> {
    const stratum = region ?? null;
    // Deny by default: only the roles the policy names as exact readers get every count as it is.
    const suppress = !readsExactCounts(this.context.identity.role);
    if (!suppress) return this.view(stratum, await this.stages(stratum), null);
    // Suppressed readers: the whole trial and every region, suppressed together (so no region's
    // hidden count is the whole minus the others), as of the data's version (kit/data-version.ts).
    const { value } = await aggregateSnapshots(this.context).get(this.context, 'consortFlow', ConsortService.suppressedFlows);
    return this.view(stratum, value.stages.get(stratum ?? '*')!, value.hidden.get(stratum ?? '*')!);
  }

  private view(stratum: Region | null, { stages, designs }: Stages, hidden: ReadonlySet<string> | null): ConsortFlowView {
    const exact = consortCounts(stages);
    const counts = hidden ? suppressFlow(exact, CONSORT_SMALL_CELL, hidden) : exact;
    const liveFrom = (d: TrialDesignRow) => new Date(d.approved_at ?? d.configured_at);
    return {
      region: stratum,
      smallCellThreshold: CONSORT_SMALL_CELL,
      suppressed: hidden !== null && hidden.size > 0,
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

  /** The counts of each stage of one region's flow (or the whole trial's), in four statements. */
  private async stages(stratum: Region | null): Promise<Stages> {
    const inRegion = (column: string) => `(?::text is null or ${column} = ?::text)`;
    const [enrolment] = await queryRows<{ declined: string; unmet: Record<string, number>; referred: string; registered: string }>(
      this.context,
      `select
         (select count(*) from participants.published_screening_entry s where s.outcome = 'DECLINED' and ${inRegion('s.region')}) as declined,
         (select coalesce(json_object_agg(c.unmet_condition, c.n), '{}'::json) from (
            select s.unmet_condition, count(*) as n from participants.published_screening_entry s
            where s.outcome = 'R1_NOT_MET' and ${inRegion('s.region')} group by s.unmet_condition) c) as unmet,
         (select count(distinct r.participant_id) from participants.published_referral r where ${inRegion('r.region')}) as referred,
         (select count(distinct p.participant_id) from pathways.published_pathway p join participants.published_referral r on r.referral_id = p.referral_id
          where ${inRegion('r.region')}) as registered`,
      [stratum, stratum, stratum, stratum, stratum, stratum, stratum, stratum],
    );
    const arms = await queryRows<{ arm: TrialArm; allocated: string; received: string; discontinued: string; withdrawn: string }>(
      this.context,
      `select a.arm, count(*) as allocated,
         count(*) filter (where exists (select 1 from pathways.published_intervention i where i.participant_id = a.participant_id
                                          and case when a.arm = 'IPS' then i.ips_received else i.control_received end)) as received,
         count(*) filter (where exists (select 1 from pathways.published_intervention i where i.participant_id = a.participant_id and i.end_reason = 'CONSENT_WITHDRAWN')) as discontinued,
         count(*) filter (where not coalesce(l.research_consent, false)) as withdrawn
       from research.allocation a left join access.ledger l on l.participant_id = a.participant_id
       where ${inRegion('a.region')} group by a.arm`,
      [stratum, stratum],
    );
    const waves = await queryRows<{ arm: TrialArm; wave: number; lost: string }>(
      this.context,
      `select w.arm, w.wave, count(*) as lost from research.questionnaire_wave_status w
       join access.ledger l on l.participant_id = w.participant_id and l.research_consent
       where w.state = 'MISSED' and ${inRegion('w.region')} group by w.arm, w.wave`,
      [stratum, stratum],
    );
    const designs = await queryRows<DesignRow>(
      this.context,
      `select c.*, p.proposed_at, p.approved_by, p.approved_at,
         (select count(*) from research.allocation a where a.config_version = c.version and a.arm = 'IPS' and ${inRegion('a.region')}) as ips,
         (select count(*) from research.allocation a where a.config_version = c.version and a.arm = 'CONTROL' and ${inRegion('a.region')}) as control
       from allocation_vault.configurations() c left join research.trial_design_proposal p on p.version = c.version
       order by c.version`,
      [stratum, stratum, stratum, stratum],
    );

    const stages: StageCounts = {
      declined: Number(enrolment!.declined),
      unmetConditions: Object.fromEntries(Object.entries(enrolment!.unmet).map(([condition, n]) => [condition, Number(n)])) as Partial<Record<EligibilityCondition, number>>,
      referred: Number(enrolment!.referred),
      registered: Number(enrolment!.registered),
      arms: Object.fromEntries(
        [TrialArm.IPS, TrialArm.CONTROL].map((arm) => {
          const row = arms.find((r) => r.arm === arm);
          return [
            arm,
            {
              allocated: Number(row?.allocated ?? 0),
              received: Number(row?.received ?? 0),
              discontinued: Number(row?.discontinued ?? 0),
              withdrawn: Number(row?.withdrawn ?? 0),
              lostByWave: Object.fromEntries(WAVES.map((wave) => [wave, Number(waves.find((w) => w.arm === arm && Number(w.wave) === wave)?.lost ?? 0)])),
            },
          ];
        }),
      ) as StageCounts['arms'],
      designs: designs.map((d) => ({ version: d.version, allocated: { [TrialArm.IPS]: Number(d.ips), [TrialArm.CONTROL]: Number(d.control) } })),
    };
    return { stages, designs };
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
    const hidden = suppressedCellsTogether(consortCounts(whole.stages), Object.fromEntries(regions.map(([r, s]) => [r, consortCounts(s.stages)])), CONSORT_SMALL_CELL, {
      table: referrals.table,
      link: (flow, cell) => {
        const stage = REFERRALS_STAGE_OF[cell];
        return stage ? [flow, TOTAL, stage] : undefined;
      },
    });
    return { stages: new Map<string, Stages>([['*', whole], ...regions]), hidden };
  }
}
