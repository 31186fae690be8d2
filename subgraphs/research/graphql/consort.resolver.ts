import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import { isLanguage } from '../../../schema/i18n/index.js';
import type { SubgraphContext } from '../../kit/context.js';
import { LanguageValue, Region } from '../../kit/domain.js';
import { consortDiagram } from '../services/consort-diagram.js';
import { ARMS, flowSums } from '../services/consort-flow.js';
import { ConsortService, type ConsortFlowView } from '../services/consort.service.js';
import { ConsortFlow, type ConsortCount } from './consort.type.js';
import { SuppressionValue } from './pilot-aggregates.type.js';
import type { AllocationProcedureValue } from './randomisation.type.js';

function toFlow({
  region,
  smallCellThreshold,
  suppressed,
  perturbed,
  counts,
  designChanges,
}: ConsortFlowView): ConsortFlow {
  return {
    region,
    smallCellThreshold,
    suppressed,
    perturbed,
    assessed: counts.assessed,
    notReferred: counts.excluded,
    declined: counts.declined,
    unmetConditions: Object.entries(counts.unmetConditions).map(([condition, count]) => ({
      condition: condition as never,
      count,
    })),
    referred: counts.referred,
    notRegistered: counts.notRegistered,
    registered: counts.registered,
    notRandomised: counts.notRandomised,
    randomised: counts.randomised,
    counts: boxCounts(counts),
    arms: ARMS.map((arm) => {
      const a = counts.arms[arm];
      return {
        arm,
        allocated: a.allocated,
        received: a.received,
        notReceived: a.notReceived,
        lostToFollowUp: a.lostByWave.map((lost, wave) => ({ wave, monthsAfterAllocation: wave * 6, lost })),
        discontinued: a.discontinued,
        withdrawn: a.withdrawn,
        analysed: a.analysed,
      };
    }),
    designChanges: designChanges.map((change) => ({
      version: change.version,
      procedure: change.design.procedure as AllocationProcedureValue,
      blockSizes: change.design.block_sizes,
      maximalImbalance: change.design.maximal_imbalance,
      restriction: change.restriction,
      rationale: change.design.rationale,
      proposedBy: change.design.configured_by,
      proposedAt: change.design.proposed_at ? new Date(change.design.proposed_at) : null,
      approvedBy: change.design.approved_by ?? null,
      approvedAt: change.design.approved_at ? new Date(change.design.approved_at) : null,
      liveFrom: change.liveFrom,
      liveUntil: change.liveUntil,
      allocatedIps: change.allocated.IPS,
      allocatedControl: change.allocated.CONTROL,
    })),
  };
}

/** Every count of the flow by its path, with why it is withheld: the kind travels with the null, so no reader guesses it. */
function boxCounts(counts: ConsortFlowView['counts']): ConsortCount[] {
  return [...flowSums(counts).values].map(([path, count]) => {
    const why = counts.withheld.get(path);
    return {
      path,
      count,
      suppression: why ? SuppressionValue[why] : SuppressionValue.NONE,
      perturbed: !why && counts.perturbed.has(path),
    };
  });
}

@Resolver()
export class ConsortResolver {
  @Query(() => ConsortFlow, {
    nullable: true,
    description:
      "The trial's CONSORT 2010 flow from the data: enrolment, allocation, follow-up, analysis per arm, and the design versions (8b/9). Counts only.",
  })
  async consortFlow(
    @Arg('region', () => Region, { nullable: true, description: 'One stratum only.' }) region: Region | undefined,
    @Ctx() context: SubgraphContext,
  ): Promise<ConsortFlow> {
    return toFlow(await new ConsortService(context).flow(region));
  }

  @Query(() => String, {
    nullable: true,
    description:
      "The CONSORT 2010 flow diagram as an SVG document, its labels in the language asked (the caller's when absent), drawn from consortFlow's counts.",
  })
  async consortDiagram(
    @Arg('language', () => LanguageValue, { nullable: true }) language: LanguageValue | undefined,
    @Arg('region', () => Region, { nullable: true, description: 'One stratum only.' }) region: Region | undefined,
    @Ctx() context: SubgraphContext,
  ): Promise<string> {
    const flow = await new ConsortService(context).flow(region);
    const chosen = language ?? context.language ?? 'en';
    return consortDiagram(flow.counts, {
      language: isLanguage(chosen) ? chosen : 'en',
      threshold: flow.smallCellThreshold,
    });
  }
}
