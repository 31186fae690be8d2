import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { visibleOrNull } from '../../kit/access/guard.js';
import type { SubgraphContext } from '../../kit/context.js';
import type { ParticipantEntity } from '../entities/participant.entity.js';
import type { ReferralEntity } from '../entities/referral.entity.js';
import { ReferralService } from '../services/referral.service.js';
import { Participant } from './participant.type.js';
import { SubmitReferralInput } from './referral.inputs.js';
import { Referral, ReferralEligibility, ReferralReceipt } from './referral.type.js';

@Resolver(() => Referral)
export class ReferralResolver {
  @Query(() => Referral, { nullable: true })
  async referral(@Arg('id', () => ID) id: string, @Ctx() context: SubgraphContext): Promise<ReferralEntity | null> {
    return visibleOrNull(context, 'Referral', await new ReferralService(context).findById(id));
  }

  @Mutation(() => ReferralReceipt, {
    description:
      "The advising physician sends a signed regional form to INAMI's single intake (R3, R4). Retrying with the same idempotencyKey returns the same referral.",
  })
  async submitReferral(
    @Arg('input', () => SubmitReferralInput) input: SubmitReferralInput,
    @Arg('idempotencyKey', { description: 'A fresh UUID per form; reuse it only to retry the same submission.' })
    idempotencyKey: string,
    @Ctx() context: SubgraphContext,
  ): Promise<ReferralReceipt> {
    return receiptOf(context, await new ReferralService(context).submit(input, idempotencyKey));
  }

  @Mutation(() => ReferralReceipt, {
    description:
      'The physician of record corrects a form before INAMI registers it: a new version supersedes it; the signed one stays unchanged (R3).',
  })
  async amendReferral(
    @Arg('referralId', () => ID) referralId: string,
    @Arg('input', () => SubmitReferralInput) input: SubmitReferralInput,
    @Arg('idempotencyKey') idempotencyKey: string,
    @Ctx() context: SubgraphContext,
  ): Promise<ReferralReceipt> {
    return receiptOf(context, await new ReferralService(context).amend(referralId, input, idempotencyKey));
  }

  @FieldResolver(() => Participant, { nullable: true })
  async participant(@Root() referral: ReferralEntity): Promise<ParticipantEntity> {
    return referral.participant.loadOrFail(); // batched by MikroORM's dataloader
  }

  @FieldResolver(() => ReferralEligibility, { nullable: true })
  eligibility(@Root() referral: ReferralEntity): ReferralEligibility {
    return referral; // the six R1 columns live on the referral row
  }
}

async function receiptOf(context: SubgraphContext, referral: ReferralEntity): Promise<ReferralReceipt> {
  return {
    referralId: referral.id,
    participantId: referral.participant.id,
    submittedAt: referral.submittedAt,
    referral: (await visibleOrNull(context, 'Referral', referral)) ?? undefined,
  };
}
