import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import type { SubgraphContext } from '../../kit/context.js';
import { Region } from '../../kit/domain.js';
import { readsExactCounts } from '../../../schema/policy.js';
import { OutcomeService } from '../services/outcome.service.js';
import { TrialOutcomes } from './outcome.type.js';

@Resolver()
export class OutcomeResolver {
  @Query(() => TrialOutcomes, {
    nullable: true,
    description:
      "The trial's outcome measures per arm over a window of months (aggregates only: exact for the readers of exact counts, small cells suppressed for any other; schema/policy.ts COUNT_READERS).",
  })
  async trialOutcomes(
    @Arg('from', { description: 'First month, YYYY-MM.' }) from: string,
    @Arg('to', { description: 'Last month, YYYY-MM (at most 120 months after from).' }) to: string,
    @Arg('region', () => Region, { nullable: true, description: 'One stratum only.' }) region: Region | undefined,
    @Ctx() context: SubgraphContext,
  ): Promise<TrialOutcomes> {
    return new OutcomeService(context).measures(from, to, region, readsExactCounts(context.identity.role));
  }
}
