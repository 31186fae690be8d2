import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { InvalidInputError } from '../../../schema/errors.js';
import { visibleOrNull } from '../../kit/access/guard.js';
import type { SubgraphContext } from '../../kit/context.js';
import { IDEMPOTENCY_KEY_ARG } from '../../kit/idempotency.js';
import { groupedBy } from '../../kit/context.js';
import { pageSize } from '../../kit/validation.js';
import type { PathwayEntity } from '../entities/pathway.entity.js';
import { JobSeekerRegistrationEntity, Mailbox, type SreInboxItemEntity } from '../entities/routing.entity.js';
import { pathwaysById } from '../services/pathway.service.js';
import { RoutingService, type IntakeItem as IntakeRow } from '../services/routing.service.js';
import { ParticipantReference, Pathway } from './pathway.type.js';
import { IntakeItem, JobSeekerRegistration, RecordJobSeekerRegistrationInput, ReferralReference, RoutingReceipt, SreInboxItem } from './routing.type.js';

const registrationByPathway = groupedBy<string, JobSeekerRegistrationEntity>(
  (pathwayIds, { em }) => em.find(JobSeekerRegistrationEntity, { pathwayId: { $in: [...pathwayIds] } }),
  (registration) => registration.pathwayId,
);

function page(first: number, offset: number): { first: number; offset: number } {
  if (offset < 0) throw new InvalidInputError('offset', 'must not be negative');
  return { first: pageSize('first', first), offset };
}

@Resolver(() => IntakeItem)
export class IntakeResolver {
  @Query(() => [IntakeItem], { nullable: true, description: "INAMI's single intake: referral forms without a registered pathway yet, oldest first (R4, R5)." })
  async intakeQueue(
    @Ctx() context: SubgraphContext,
    @Arg('first', () => Int, { nullable: true, defaultValue: 50 }) first: number,
    @Arg('offset', () => Int, { nullable: true, defaultValue: 0 }) offset: number,
  ): Promise<IntakeRow[]> {
    const { first: size, offset: from } = page(first, offset);
    return new RoutingService(context).intakeQueue(context.identity, size, from);
  }

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
  @Query(() => [SreInboxItem], { nullable: true, description: "The SRE's mailboxes for the pilot (R7): forms forwarded by INAMI, oldest first." })
  async sreInbox(
    @Ctx() context: SubgraphContext,
    @Arg('mailbox', () => Mailbox, { nullable: true }) mailbox: Mailbox | undefined,
    @Arg('unacknowledgedOnly', { nullable: true, defaultValue: false }) unacknowledgedOnly: boolean,
    @Arg('first', () => Int, { nullable: true, defaultValue: 50 }) first: number,
    @Arg('offset', () => Int, { nullable: true, defaultValue: 0 }) offset: number,
  ): Promise<SreInboxItemEntity[]> {
    return new RoutingService(context).inbox(context.identity, { mailbox, unacknowledgedOnly, ...page(first, offset) });
  }

  @Mutation(() => RoutingReceipt, { description: "INAMI forwards a randomised person's form to their region's SRE, in the IPS or IPS control group mailbox (R7)." })
  async routeToEmploymentService(@Arg('pathwayId', () => ID) pathwayId: string, @Arg('idempotencyKey', IDEMPOTENCY_KEY_ARG) idempotencyKey: string, @Ctx() context: SubgraphContext): Promise<RoutingReceipt> {
    const item = await new RoutingService(context).route(pathwayId, idempotencyKey);
    return { pathwayId: item.pathwayId, inboxItemId: item.id, item: (await visibleOrNull(context, 'SreInboxItem', item)) ?? undefined };
  }

  @Mutation(() => SreInboxItem, { description: 'The SRE marks a forwarded form as read.' })
  async acknowledgeInboxItem(@Arg('id', () => ID) id: string, @Arg('idempotencyKey', IDEMPOTENCY_KEY_ARG) idempotencyKey: string, @Ctx() context: SubgraphContext): Promise<SreInboxItemEntity> {
    return new RoutingService(context).acknowledge(id, idempotencyKey);
  }

  @Mutation(() => JobSeekerRegistration, { nullable: true, description: "The SRE records the person's free job seeker registration under the convention's code (R3)." })
  async recordJobSeekerRegistration(
    @Arg('input', () => RecordJobSeekerRegistrationInput) input: RecordJobSeekerRegistrationInput,
    @Arg('idempotencyKey', IDEMPOTENCY_KEY_ARG) idempotencyKey: string,
    @Ctx() context: SubgraphContext,
  ): Promise<JobSeekerRegistrationEntity | null> {
    return visibleOrNull(context, 'JobSeekerRegistration', await new RoutingService(context).recordJobSeekerRegistration(input, idempotencyKey));
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
  @FieldResolver(() => JobSeekerRegistration, { nullable: true, description: "The person's free job seeker registration at the SRE (R3)." })
  async jobSeekerRegistration(@Root() pathway: PathwayEntity, @Ctx() context: SubgraphContext): Promise<JobSeekerRegistrationEntity | undefined> {
    return (await context.loaders.load(registrationByPathway, pathway.id))?.[0];
  }
}
