import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { visibleOrNull } from '../../kit/access/guard.js';
import type { SubgraphContext } from '../../kit/context.js';
import { IDEMPOTENCY_KEY_ARG } from '../../kit/idempotency.js';
import {
  consortReport,
  RandomisationService,
  type TrialDesignProposalRow,
  type TrialDesignRow,
} from '../services/randomisation.service.js';
import {
  ConfigureTrialInput,
  RandomisationIntegrity,
  RandomisationReceipt,
  TrialDesign,
  TrialDesignProposal,
  TrialDesignStatus,
  type AllocationProcedureValue,
} from './randomisation.type.js';

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
    approvedBy: row.approved_by ?? null,
    approvedAt: row.approved_at ? new Date(row.approved_at) : null,
    consort: consortReport(row),
  };
}

/** A proposal, with its live version (from `designs`, read once per request) once approved. */
function toProposal(row: TrialDesignProposalRow, designs: readonly TrialDesignRow[]): TrialDesignProposal {
  const design = row.version === null ? undefined : designs.find((d) => d.version === row.version);
  return {
    id: row.id,
    status: row.approved_at ? TrialDesignStatus.APPROVED : TrialDesignStatus.PROPOSED,
    procedure: row.procedure as AllocationProcedureValue,
    blockSizes: row.block_sizes,
    maximalImbalance: row.maximal_imbalance,
    strata: row.strata,
    rationale: row.rationale,
    proposedBy: row.proposed_by,
    proposedAt: new Date(row.proposed_at),
    approvedBy: row.approved_by,
    approvedAt: row.approved_at ? new Date(row.approved_at) : null,
    version: row.version,
    design: design ? toDesign(design) : null,
  };
}

@Resolver()
export class RandomisationResolver {
  @Query(() => [TrialDesign], {
    nullable: true,
    description: 'Every version of the randomisation design, newest first (CONSORT 8a, 8b, 9, 10).',
  })
  async trialDesigns(@Ctx() context: SubgraphContext): Promise<TrialDesign[]> {
    return (await new RandomisationService(context).designs()).map(toDesign);
  }

  @Query(() => RandomisationIntegrity, {
    nullable: true,
    description: 'Draws made by the vault against allocations recorded.',
  })
  async randomisationIntegrity(@Ctx() context: SubgraphContext): Promise<RandomisationIntegrity> {
    return new RandomisationService(context).integrity();
  }

  @Query(() => [TrialDesignProposal], {
    nullable: true,
    description:
      'Designs proposed by the researchers, newest first: waiting for a second researcher, or approved (R6, CONSORT 8b).',
  })
  async trialDesignProposals(@Ctx() context: SubgraphContext): Promise<TrialDesignProposal[]> {
    const service = new RandomisationService(context);
    const designs = await service.designs();
    return (await service.proposals()).map((row) => toProposal(row, designs));
  }

  @Mutation(() => TrialDesignProposal, {
    description:
      'A researcher proposes a new version of the randomisation design (R6); it applies to allocations only once a second researcher approves it (approveTrialDesign).',
  })
  async configureTrial(
    @Arg('input', () => ConfigureTrialInput) input: ConfigureTrialInput,
    @Arg('idempotencyKey', IDEMPOTENCY_KEY_ARG) idempotencyKey: string,
    @Ctx() context: SubgraphContext,
  ): Promise<TrialDesignProposal> {
    const service = new RandomisationService(context);
    const proposal = await service.propose(input, idempotencyKey);
    return toProposal(proposal, await service.designs());
  }

  @Mutation(() => TrialDesignProposal, {
    description:
      'A second researcher — never the one who proposed it — approves a proposed design: it becomes the live version the next allocations follow (R6, CONSORT 8b/9).',
  })
  async approveTrialDesign(
    @Arg('proposalId', () => ID) proposalId: string,
    @Arg('idempotencyKey', IDEMPOTENCY_KEY_ARG) idempotencyKey: string,
    @Ctx() context: SubgraphContext,
  ): Promise<TrialDesignProposal> {
    const service = new RandomisationService(context);
    const proposal = await service.approve(proposalId, idempotencyKey);
    return toProposal(proposal, await service.designs());
  }

  @Mutation(() => RandomisationReceipt, {
    description: 'INAMI randomises a registered person into IPS or the control group (R6), once.',
  })
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
