import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { visibleOrNull } from '../../kit/access/guard.js';
import type { SubgraphContext } from '../../kit/context.js';
import { IDEMPOTENCY_KEY_ARG } from '../../kit/idempotency.js';
import { groupedBy } from '../../kit/context.js';
import type { PathwayEntity } from '../entities/pathway.entity.js';
import {
  JobSeekerRegistrationCorrectionEntity,
  JobSeekerRegistrationEntity,
  type SreInboxItemEntity,
} from '../entities/routing.entity.js';
import { pathwaysById } from '../services/pathway.service.js';
import { RoutingService, type IntakeItem as IntakeRow } from '../services/routing.service.js';
import { ParticipantReference, Pathway } from './pathway.type.js';
import {
  CorrectJobSeekerRegistrationInput,
  IntakeItem,
  JobSeekerRegistration,
  JobSeekerRegistrationCorrection,
  RecordJobSeekerRegistrationInput,
  ReferralReference,
  RoutingReceipt,
  SreInboxItem,
} from './routing.type.js';

const registrationByPathway = groupedBy<string, JobSeekerRegistrationEntity>(
  (pathwayIds, { em }) => em.find(JobSeekerRegistrationEntity, { pathwayId: { $in: [...pathwayIds] } }),
  (registration) => registration.pathwayId,
);

const correctionsByRegistration = groupedBy<string, JobSeekerRegistrationCorrectionEntity>(
  (registrationIds, { em }) =>
    em.find(
      JobSeekerRegistrationCorrectionEntity,
      { registrationId: { $in: [...registrationIds] } },
      { orderBy: { correctedAt: 'asc', id: 'asc' } },
    ),
  (correction) => correction.registrationId,
);

@Resolver(() => IntakeItem)
export class IntakeResolver {
  @FieldResolver(() => ReferralReference, { nullable: true })
  referral(@Root() item: IntakeRow): ReferralReference & { participantId: string } {
    return { id: item.referralId, participantId: item.participantId };
  }

  @FieldResolver(() => ParticipantReference, { nullable: true })
  participant(@Root() item: IntakeRow): ParticipantReference {
    return { id: item.participantId };
  }
}

@Resolver(() => SreInboxItem)
export class SreInboxResolver {
  @Mutation(() => RoutingReceipt, {
    description:
      "INAMI forwards a randomised person's form to their region's SRE, in the IPS or IPS control group mailbox (R7).",
  })
  async routeToEmploymentService(
    @Arg('pathwayId', () => ID) pathwayId: string,
    @Arg('idempotencyKey', IDEMPOTENCY_KEY_ARG) idempotencyKey: string,
    @Ctx() context: SubgraphContext,
  ): Promise<RoutingReceipt> {
    const item = await new RoutingService(context).route(pathwayId, idempotencyKey);
    return {
      pathwayId: item.pathwayId,
      inboxItemId: item.id,
      item: (await visibleOrNull(context, 'SreInboxItem', item)) ?? undefined,
    };
  }

  @Mutation(() => SreInboxItem, { description: 'The SRE marks a forwarded form as read.' })
  async acknowledgeInboxItem(
    @Arg('id', () => ID) id: string,
    @Arg('idempotencyKey', IDEMPOTENCY_KEY_ARG) idempotencyKey: string,
    @Ctx() context: SubgraphContext,
  ): Promise<SreInboxItemEntity> {
    return new RoutingService(context).acknowledge(id, idempotencyKey);
  }

  @Mutation(() => JobSeekerRegistration, {
    nullable: true,
    description: "The SRE records the person's free job seeker registration under the convention's code (R3).",
  })
  async recordJobSeekerRegistration(
    @Arg('input', () => RecordJobSeekerRegistrationInput) input: RecordJobSeekerRegistrationInput,
    @Arg('idempotencyKey', IDEMPOTENCY_KEY_ARG) idempotencyKey: string,
    @Ctx() context: SubgraphContext,
  ): Promise<JobSeekerRegistrationEntity | null> {
    return visibleOrNull(
      context,
      'JobSeekerRegistration',
      await new RoutingService(context).recordJobSeekerRegistration(input, idempotencyKey),
    );
  }

  @Mutation(() => JobSeekerRegistration, {
    nullable: true,
    description:
      "The SRE corrects a free job seeker registration's code or date (R3); the correction is kept: who, when, old and new.",
  })
  async correctJobSeekerRegistration(
    @Arg('input', () => CorrectJobSeekerRegistrationInput) input: CorrectJobSeekerRegistrationInput,
    @Arg('idempotencyKey', IDEMPOTENCY_KEY_ARG) idempotencyKey: string,
    @Ctx() context: SubgraphContext,
  ): Promise<JobSeekerRegistrationEntity | null> {
    return visibleOrNull(
      context,
      'JobSeekerRegistration',
      await new RoutingService(context).correctJobSeekerRegistration(input, idempotencyKey),
    );
  }

  @FieldResolver(() => Pathway, { nullable: true })
  async pathway(@Root() item: SreInboxItemEntity, @Ctx() context: SubgraphContext): Promise<PathwayEntity | undefined> {
    return context.loaders.load(pathwaysById, item.pathwayId);
  }

  @FieldResolver(() => ParticipantReference, { nullable: true })
  participant(@Root() item: SreInboxItemEntity): ParticipantReference {
    return { id: item.participantId };
  }

  @FieldResolver(() => ReferralReference, { nullable: true, description: 'The form itself, under the policy.' })
  referral(@Root() item: SreInboxItemEntity): ReferralReference & { participantId: string } {
    return { id: item.referralId, participantId: item.participantId };
  }
}

@Resolver(() => Pathway)
export class PathwayRegistrationResolver {
  @FieldResolver(() => JobSeekerRegistration, {
    nullable: true,
    description: "The person's free job seeker registration at the SRE (R3).",
  })
  async jobSeekerRegistration(
    @Root() pathway: PathwayEntity,
    @Ctx() context: SubgraphContext,
  ): Promise<JobSeekerRegistrationEntity | undefined> {
    return (await context.loaders.load(registrationByPathway, pathway.id))?.[0];
  }
}

@Resolver(() => JobSeekerRegistration)
export class JobSeekerRegistrationResolver {
  @FieldResolver(() => [JobSeekerRegistrationCorrection], {
    nullable: true,
    description: 'Corrections made by the SRE, oldest first (R3).',
  })
  async corrections(
    @Root() registration: JobSeekerRegistrationEntity,
    @Ctx() context: SubgraphContext,
  ): Promise<JobSeekerRegistrationCorrectionEntity[]> {
    return (await context.loaders.load(correctionsByRegistration, registration.id)) ?? [];
  }
}
