import { GraphQLLocalDate } from 'graphql-scalars';
import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { SubgraphContext } from '../../kit/context.js';
import { IDEMPOTENCY_KEY_ARG } from '../../kit/idempotency.js';
import { groupedBy } from '../../kit/context.js';
import type { PathwayEntity } from '../entities/pathway.entity.js';
import {
  IndividualMeetingEntity,
  WelcomeInvitationEntity,
  type WelcomeSessionEntity,
} from '../entities/follow-up.entity.js';
import { onlyVisible, visibleOrNull } from '../../kit/access/guard.js';
import { pathwaysById } from '../services/pathway.service.js';
import { FollowUpService, type CaseloadEntry as CaseloadRow } from '../services/follow-up.service.js';
import {
  CaseloadEntry,
  CoachLoad,
  IndividualMeeting,
  MarkWelcomeAttendanceInput,
  OrganiseWelcomeSessionInput,
  PlanFollowUpMeetingInput,
  WelcomeInvitation,
  WelcomeSession,
} from './follow-up.type.js';
import { ParticipantReference, Pathway } from './pathway.type.js';

const meetingsByPathway = groupedBy<string, IndividualMeetingEntity>(
  (pathwayIds, { em }) =>
    em.find(IndividualMeetingEntity, { pathwayId: { $in: [...pathwayIds] } }, { orderBy: { scheduledFor: 'asc' } }),
  (meeting) => meeting.pathwayId,
);

const invitationsBySession = groupedBy<string, WelcomeInvitationEntity>(
  (sessionIds, { em }) =>
    em.find(WelcomeInvitationEntity, { sessionId: { $in: [...sessionIds] } }, { orderBy: { id: 'asc' } }),
  (invitation) => invitation.sessionId,
);
const invitationsByPathway = groupedBy<string, WelcomeInvitationEntity>(
  (pathwayIds, { em }) =>
    em.find(WelcomeInvitationEntity, { pathwayId: { $in: [...pathwayIds] } }, { orderBy: { id: 'asc' } }),
  (invitation) => invitation.pathwayId,
);

@Resolver(() => CaseloadEntry)
export class FollowUpResolver {
  @Mutation(() => WelcomeSession, {
    description: "The SRE invites IPS-arm people to a collective welcome session with the region's IPS partner (R8).",
  })
  async organiseWelcomeSession(
    @Arg('input', () => OrganiseWelcomeSessionInput) input: OrganiseWelcomeSessionInput,
    @Arg('idempotencyKey', IDEMPOTENCY_KEY_ARG) idempotencyKey: string,
    @Ctx() context: SubgraphContext,
  ): Promise<WelcomeSessionEntity> {
    return new FollowUpService(context).organiseWelcomeSession(input, idempotencyKey);
  }

  @Mutation(() => WelcomeSession, {
    description:
      'The IPS partner records who came, and plans a first individual meeting for everyone, present or absent (R11).',
  })
  async recordWelcomeAttendance(
    @Arg('sessionId', () => ID) sessionId: string,
    @Arg('present', () => [ID], { description: 'Pathways of the people who came.' }) present: string[],
    @Arg('firstMeetingOn', () => GraphQLLocalDate) firstMeetingOn: string,
    @Arg('idempotencyKey', IDEMPOTENCY_KEY_ARG) idempotencyKey: string,
    @Ctx() context: SubgraphContext,
  ): Promise<WelcomeSessionEntity> {
    return new FollowUpService(context).recordAttendance(sessionId, present, firstMeetingOn, idempotencyKey);
  }

  @Mutation(() => WelcomeInvitation, {
    nullable: true,
    description:
      "The IPS partner marks one invitee present or absent from the session's list; present or absent, the person keeps a first individual meeting (R11).",
  })
  async markWelcomeAttendance(
    @Arg('input', () => MarkWelcomeAttendanceInput) input: MarkWelcomeAttendanceInput,
    @Arg('idempotencyKey', IDEMPOTENCY_KEY_ARG) idempotencyKey: string,
    @Ctx() context: SubgraphContext,
  ): Promise<WelcomeInvitationEntity | null> {
    return visibleOrNull(
      context,
      'WelcomeInvitation',
      await new FollowUpService(context).markWelcomeAttendance(input, idempotencyKey),
    );
  }

  @Mutation(() => IndividualMeeting, {
    description:
      'The referent — the job coach in IPS, the reference counsellor in the control group — plans a follow-up meeting, on a day to come (R9, R11).',
  })
  async planFollowUpMeeting(
    @Arg('input', () => PlanFollowUpMeetingInput) input: PlanFollowUpMeetingInput,
    @Arg('idempotencyKey', IDEMPOTENCY_KEY_ARG) idempotencyKey: string,
    @Ctx() context: SubgraphContext,
  ): Promise<IndividualMeetingEntity> {
    return new FollowUpService(context).planFollowUpMeeting(input, idempotencyKey);
  }

  @Mutation(() => IndividualMeeting, {
    description:
      'The referent records, once, that a planned meeting took place: not in the future, not before the registration.',
  })
  async recordMeetingHeld(
    @Arg('meetingId', () => ID) meetingId: string,
    @Arg('heldOn', () => GraphQLLocalDate) heldOn: string,
    @Arg('idempotencyKey', IDEMPOTENCY_KEY_ARG) idempotencyKey: string,
    @Ctx() context: SubgraphContext,
  ): Promise<IndividualMeetingEntity> {
    return new FollowUpService(context).recordMeetingHeld(meetingId, heldOn, idempotencyKey);
  }

  @Query(() => [CaseloadEntry], {
    nullable: true,
    description:
      "The referent's open pathways — the job coach's in the IPS arm, the reference counsellor's in the control arm — each with its next due action, most urgent first.",
  })
  async caseload(@Ctx() context: SubgraphContext): Promise<CaseloadRow[]> {
    return new FollowUpService(context).caseload(context.identity);
  }

  @Query(() => [CoachLoad], {
    nullable: true,
    description: "The supervisor's team: open caseloads per coach, against the guideline of at most 20.",
  })
  async teamCaseloads(@Ctx() context: SubgraphContext): Promise<CoachLoad[]> {
    return new FollowUpService(context).teamCaseloads(context.identity);
  }
}

@Resolver(() => Pathway)
export class PathwayMeetingsResolver {
  @FieldResolver(() => [IndividualMeeting], {
    nullable: true,
    description: 'Individual meetings with the referent (R9, R11): the first one, then the follow-ups, by planned day.',
  })
  async meetings(@Root() pathway: PathwayEntity, @Ctx() context: SubgraphContext): Promise<IndividualMeetingEntity[]> {
    return (await context.loaders.load(meetingsByPathway, pathway.id)) ?? [];
  }

  @FieldResolver(() => [WelcomeInvitation], {
    nullable: true,
    description: 'The welcome sessions the person was invited to, with their attendance (R8, R11).',
  })
  async welcomeInvitations(
    @Root() pathway: PathwayEntity,
    @Ctx() context: SubgraphContext,
  ): Promise<WelcomeInvitationEntity[]> {
    return (await context.loaders.load(invitationsByPathway, pathway.id)) ?? [];
  }
}

@Resolver(() => WelcomeSession)
export class WelcomeSessionInviteesResolver {
  @FieldResolver(() => [WelcomeInvitation], {
    nullable: true,
    description: 'Who was invited, each with their attendance (R8, R11): only the people the caller may see.',
  })
  async invitations(
    @Root() session: WelcomeSessionEntity,
    @Ctx() context: SubgraphContext,
  ): Promise<WelcomeInvitationEntity[]> {
    return onlyVisible(
      context,
      'WelcomeInvitation',
      (await context.loaders.load(invitationsBySession, session.id)) ?? [],
    );
  }
}

@Resolver(() => WelcomeInvitation)
export class WelcomeInvitationResolver {
  @FieldResolver(() => Pathway, { nullable: true })
  async pathway(
    @Root() invitation: WelcomeInvitationEntity,
    @Ctx() context: SubgraphContext,
  ): Promise<PathwayEntity | undefined> {
    return context.loaders.load(pathwaysById, invitation.pathwayId);
  }

  @FieldResolver(() => ParticipantReference, { nullable: true })
  participant(@Root() invitation: WelcomeInvitationEntity): ParticipantReference {
    return { id: invitation.participantId };
  }
}
