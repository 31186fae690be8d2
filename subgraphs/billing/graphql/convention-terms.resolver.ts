import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import type { SubgraphContext } from '../../kit/context.js';
import { belgianToday } from '../../kit/domain.js';
import { IDEMPOTENCY_KEY_ARG } from '../../kit/idempotency.js';
import type { ConventionEntity } from '../entities/convention.entity.js';
import { ConventionTermsService, monthsBetween, staffingByKey } from '../services/convention-terms.service.js';
import {
  AmendConventionInput,
  ConventionAmendment,
  ConventionCapacity,
  ConventionStaffing,
  ConventionTerms,
} from './convention-terms.type.js';
import { Convention } from './convention.type.js';

/** The convention as an agreement (R17): terms, capacity and staffing, for INAMI and the partner's supervisors (ORGANISATION_RECORDS). */
@Resolver(() => Convention)
export class ConventionTermsResolver {
  @FieldResolver(() => ConventionTerms, {
    nullable: true,
    description:
      "The terms in force and their amendments: INAMI, and the partner's own supervisors; null for anyone else.",
  })
  async terms(@Root() convention: ConventionEntity, @Ctx() context: SubgraphContext): Promise<ConventionTerms | null> {
    return new ConventionTermsService(context).terms(convention);
  }

  @FieldResolver(() => ConventionCapacity, {
    nullable: true,
    description:
      "The partner's pathways against the capacity (INAMI warned from 90 %; registration paused when full): INAMI and the partner's supervisors.",
  })
  async capacity(
    @Root() convention: ConventionEntity,
    @Ctx() context: SubgraphContext,
  ): Promise<ConventionCapacity | null> {
    return new ConventionTermsService(context).capacity(convention);
  }

  @FieldResolver(() => [ConventionStaffing], {
    nullable: true,
    description:
      "Each month's staffing against the convention's (coaches, supervisors; FTE hundredths): INAMI and the partner's supervisors.",
  })
  async staffing(
    @Root() convention: ConventionEntity,
    @Ctx() context: SubgraphContext,
    @Arg('from', () => String, { nullable: true, description: 'First month, YYYY-MM; the current month when absent.' })
    from?: string | null,
    @Arg('to', () => String, {
      nullable: true,
      description: 'Last month, YYYY-MM (at most 60 months); the current month when absent.',
    })
    to?: string | null,
  ): Promise<ConventionStaffing[] | null> {
    if (!new ConventionTermsService(context).mayRead('ConventionStaffing', convention)) return null;
    const current = belgianToday().slice(0, 7);
    const months = monthsBetween(from ?? current, to ?? from ?? current); // BAD_USER_INPUT before any read
    return (await context.loaders.load(staffingByKey, `${convention.code}|${months[0]}|${months.at(-1)}`)) ?? [];
  }

  @Mutation(() => ConventionAmendment, {
    description:
      'INAMI amends a convention (R17): a change of money waits for a second agent (approveConventionAmendment); any other applies at once.',
  })
  async amendConvention(
    @Arg('input', () => AmendConventionInput) input: AmendConventionInput,
    @Arg('idempotencyKey', IDEMPOTENCY_KEY_ARG) idempotencyKey: string,
    @Ctx() context: SubgraphContext,
  ): Promise<ConventionAmendment> {
    return new ConventionTermsService(context).amend(input, idempotencyKey);
  }

  @Mutation(() => ConventionAmendment, {
    description: 'A second INAMI agent approves an amendment of money; it becomes the next version of the convention.',
  })
  async approveConventionAmendment(
    @Arg('amendmentId', () => ID) amendmentId: string,
    @Arg('idempotencyKey', IDEMPOTENCY_KEY_ARG) idempotencyKey: string,
    @Ctx() context: SubgraphContext,
  ): Promise<ConventionAmendment> {
    return new ConventionTermsService(context).approve(amendmentId, idempotencyKey);
  }
}
