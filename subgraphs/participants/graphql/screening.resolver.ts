import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { SubgraphContext } from '../../kit/context.js';
import { IDEMPOTENCY_KEY_ARG } from '../../kit/idempotency.js';
import { ScreeningService } from '../services/screening.service.js';
import { RecordScreeningInput, ScreeningCounts, ScreeningEntry } from './screening.type.js';

@Resolver()
export class ScreeningResolver {
  @Mutation(() => ScreeningEntry, {
    description:
      'An advising physician logs a person assessed and not referred: declined, or an R1 condition not met (CONSORT enrolment). No identity; never an R2 ground.',
  })
  async recordScreening(
    @Arg('input', () => RecordScreeningInput) input: RecordScreeningInput,
    @Arg('idempotencyKey', IDEMPOTENCY_KEY_ARG) idempotencyKey: string,
    @Ctx() context: SubgraphContext,
  ): Promise<ScreeningEntry> {
    return new ScreeningService(context).record(input, idempotencyKey);
  }

  @Query(() => ScreeningCounts, {
    nullable: true,
    description: "The caller's own screening entries, counted by reason (months YYYY-MM, both inclusive).",
  })
  async screeningCounts(
    @Arg('from', () => String, { nullable: true }) from: string | null | undefined,
    @Arg('to', () => String, { nullable: true }) to: string | null | undefined,
    @Ctx() context: SubgraphContext,
  ): Promise<ScreeningCounts> {
    return new ScreeningService(context).ownCounts(from, to);
  }
}
