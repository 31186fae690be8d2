import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import type { SubgraphContext } from '../../kit/context.js';
import { IDEMPOTENCY_KEY_ARG } from '../../kit/idempotency.js';
import type { ConventionEntity } from '../entities/convention.entity.js';
import { ClaimService } from '../services/claim.service.js';
import {
  Claim,
  DecideClaimLineInput,
  IssueCreditNoteInput,
  RecordClaimPaymentInput,
  SubmitClaimInput,
} from './claim.type.js';
import { Convention } from './convention.type.js';

/** A partner's claims under its convention (R17): INAMI and the partner's own supervisors (ORGANISATION_RECORDS.Claim). */
@Resolver(() => Convention)
export class ClaimResolver {
  @FieldResolver(() => [Claim], {
    nullable: true,
    description:
      "The partner's claims, newest month first, or the one of `period`: INAMI, and the partner's own supervisors; null for anyone else.",
  })
  async claims(
    @Root() convention: ConventionEntity,
    @Ctx() context: SubgraphContext,
    @Arg('period', () => String, { nullable: true, description: "YYYY-MM: only that month's claim." })
    period?: string | null,
  ): Promise<Claim[] | null> {
    return new ClaimService(context).claims(convention, period);
  }

  @Mutation(() => Claim, {
    description:
      "The partner's supervisor claims a month under its convention: lines computed from the convention in force, the staffing and the pathways started; one claim per partner and month.",
  })
  async submitClaim(
    @Arg('input', () => SubmitClaimInput) input: SubmitClaimInput,
    @Arg('idempotencyKey', IDEMPOTENCY_KEY_ARG) idempotencyKey: string,
    @Ctx() context: SubgraphContext,
  ): Promise<Claim> {
    return new ClaimService(context).submit(input, idempotencyKey);
  }

  @Mutation(() => Claim, {
    description: 'An INAMI agent approves or rejects (with a reason) one line of a submitted claim, once.',
  })
  async decideClaimLine(
    @Arg('input', () => DecideClaimLineInput) input: DecideClaimLineInput,
    @Arg('idempotencyKey', IDEMPOTENCY_KEY_ARG) idempotencyKey: string,
    @Ctx() context: SubgraphContext,
  ): Promise<Claim> {
    return new ClaimService(context).decideLine(input, idempotencyKey);
  }

  @Mutation(() => Claim, {
    description:
      "The partner's supervisor corrects an approved claim by a credit note: negative amounts on its approved lines.",
  })
  async issueCreditNote(
    @Arg('input', () => IssueCreditNoteInput) input: IssueCreditNoteInput,
    @Arg('idempotencyKey', IDEMPOTENCY_KEY_ARG) idempotencyKey: string,
    @Ctx() context: SubgraphContext,
  ): Promise<Claim> {
    return new ClaimService(context).issueCreditNote(input, idempotencyKey);
  }

  @Mutation(() => Claim, {
    description:
      'An INAMI agent records a payment of an approved claim: date, bank reference, amount (at most what is due).',
  })
  async recordClaimPayment(
    @Arg('input', () => RecordClaimPaymentInput) input: RecordClaimPaymentInput,
    @Arg('idempotencyKey', IDEMPOTENCY_KEY_ARG) idempotencyKey: string,
    @Ctx() context: SubgraphContext,
  ): Promise<Claim> {
    return new ClaimService(context).recordPayment(input, idempotencyKey);
  }
}
