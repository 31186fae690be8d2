import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { visibleOrNull } from '../../kit/access/guard.js';
import type { SubgraphContext } from '../../kit/context.js';
import { IDEMPOTENCY_KEY_ARG } from '../../kit/idempotency.js';
import { consortReport, RandomisationService, type TrialDesignRow } from '../services/randomisation.service.js';
import { ConfigureTrialInput, RandomisationIntegrity, RandomisationReceipt, TrialDesign, type AllocationProcedureValue } from './randomisation.type.js';

function toDesign(row: TrialDesignRow): TrialDesign {
  return {
    version: row.version,
    procedure: row.procedure as AllocationProcedureValue,
    blockSizes: row.block_sizes,
    maximalImbalance: row.maximal_imbalance,
    strata: row.strata,
    allocationRatio: row.allocation_ratio,
    rationale: row.rationale,
    configuredAt: new Date(row.configured_at),
    configuredBy: row.configured_by,
    consort: consortReport(row),
  };
}

@Resolver()
export class RandomisationResolver {
  @Query(() => [TrialDesign], { nullable: true, description: 'Every version of the randomisation design, newest first (CONSORT 8a, 8b, 9, 10).' })
  async trialDesigns(@Ctx() context: SubgraphContext): Promise<TrialDesign[]> {
    return (await new RandomisationService(context).designs()).map(toDesign);
  }

  @Query(() => RandomisationIntegrity, { nullable: true, description: 'Draws made by the vault against allocations recorded.' })
  async randomisationIntegrity(@Ctx() context: SubgraphContext): Promise<RandomisationIntegrity> {
    return new RandomisationService(context).integrity();
  }

  @Mutation(() => TrialDesign, { description: 'The researchers set a new version of the randomisation design (R6); it applies to the next allocations.' })
  async configureTrial(@Arg('input', () => ConfigureTrialInput) input: ConfigureTrialInput, @Arg('idempotencyKey', IDEMPOTENCY_KEY_ARG) idempotencyKey: string, @Ctx() context: SubgraphContext): Promise<TrialDesign> {
    return toDesign(await new RandomisationService(context).configure(input, idempotencyKey));
  }

  @Mutation(() => RandomisationReceipt, { description: 'INAMI randomises a registered person into IPS or the control group (R6), once.' })
  async randomise(
    @Arg('participantId', () => ID) participantId: string,
    @Arg('idempotencyKey', IDEMPOTENCY_KEY_ARG) idempotencyKey: string,
    @Ctx() context: SubgraphContext,
  ): Promise<RandomisationReceipt> {
    const allocation = await new RandomisationService(context).randomise(participantId, idempotencyKey);
    return {
      participantId: allocation.participantId,
      allocationId: allocation.id,
      allocatedAt: allocation.allocatedAt,
      allocation: (await visibleOrNull(context, 'Allocation', allocation)) ?? undefined,
    };
  }
}
