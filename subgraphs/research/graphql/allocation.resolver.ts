import { Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { SubgraphContext } from '../../kit/context.js';
import type { AllocationEntity } from '../entities/allocation.entity.js';
import { AllocationService, allocationByParticipant } from '../services/allocation.service.js';
import { Allocation, AllocationBalance, ParticipantReference } from './allocation.type.js';

@Resolver(() => Allocation)
export class AllocationResolver {
  @Query(() => [AllocationBalance], {
    nullable: true,
    description:
      'Arm sizes per region (stratum), for INAMI, researchers and dashboards; lagged to the last point of balance, so they never reveal the open block.',
  })
  async allocationBalance(@Ctx() context: SubgraphContext): Promise<AllocationBalance[]> {
    return new AllocationService(context).balance();
  }
}

@Resolver(() => ParticipantReference)
export class ParticipantAllocationResolver {
  @FieldResolver(() => Allocation, { nullable: true, description: "The person's trial arm, once randomised (R6)." })
  async allocation(
    @Root() participant: ParticipantReference,
    @Ctx() context: SubgraphContext,
  ): Promise<AllocationEntity | undefined> {
    return context.loaders.load(allocationByParticipant, participant.id);
  }
}
