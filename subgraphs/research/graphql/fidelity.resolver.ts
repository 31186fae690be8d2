import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { SubgraphContext } from '../../kit/context.js';
import { IDEMPOTENCY_KEY_ARG } from '../../kit/idempotency.js';
import { FIDELITY_ITEMS } from '../services/fidelity-scale.js';
import { FidelityService } from '../services/fidelity.service.js';
import { FidelityReview, FidelityScaleItem, RecordFidelityReviewInput } from './fidelity.type.js';

@Resolver()
export class FidelityResolver {
  @Query(() => [FidelityScaleItem], {
    description:
      'The 25 items of the IPS-25 fidelity scale, in the order of the review form (labels: vocabulary, enum FidelityItem).',
  })
  fidelityScale(): FidelityScaleItem[] {
    return FIDELITY_ITEMS.map((item, index) => ({ item: item.key, section: item.section, position: index + 1 }));
  }

  @Query(() => [FidelityReview], {
    description:
      "IPS-25 fidelity reviews by team and date, each with its band and change from the team's previous review (the trend). A supervisor sees their own team's only.",
  })
  async fidelityReviews(
    @Arg('team', () => String, {
      nullable: true,
      description: "A convention's code; every team the caller may read when absent.",
    })
    team: string | null | undefined,
    @Ctx() context: SubgraphContext,
  ): Promise<FidelityReview[]> {
    return new FidelityService(context).reviews(team);
  }

  @Mutation(() => FidelityReview, {
    description:
      'One of the two reviewers records an IPS-25 fidelity review of a team: the consensus score per item and the action plan.',
  })
  async recordFidelityReview(
    @Arg('input', () => RecordFidelityReviewInput) input: RecordFidelityReviewInput,
    @Arg('idempotencyKey', IDEMPOTENCY_KEY_ARG) idempotencyKey: string,
    @Ctx() context: SubgraphContext,
  ): Promise<FidelityReview> {
    return new FidelityService(context).record(input, idempotencyKey);
  }
}
