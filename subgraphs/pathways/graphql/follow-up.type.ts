import { GraphQLLocalDate } from 'graphql-scalars';
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { MeetingKind } from '../entities/follow-up.entity.js';
import { NextActionKind } from '../services/follow-up.service.js';
import { ParticipantReference, Pathway } from './pathway.type.js';

registerEnumType(MeetingKind, { name: 'MeetingKind' });
registerEnumType(NextActionKind, {
  name: 'NextActionKind',
  description: 'What the job coach should do next for a person (R11, R12, R15).',
});

@InputType({
  description: "The SRE invites IPS-arm people to a collective welcome session with the region's IPS partner (R8).",
})
export class OrganiseWelcomeSessionInput {
  @Field({ description: 'Code of the IPS partner running the session with the SRE, e.g. ISPPC.' })
  ipsPartner!: string;

  @Field(() => GraphQLLocalDate)
  heldOn!: string;

  @Field()
  place!: string;

  @Field(() => [ID])
  pathwayIds!: string[];
}

@InputType({ description: 'The referent plans a follow-up meeting (R9, R11).' })
export class PlanFollowUpMeetingInput {
  @Field(() => ID)
  pathwayId!: string;

  @Field(() => GraphQLLocalDate, { description: 'Today or later, and not before the registration.' })
  scheduledFor!: string;
}

@ObjectType({
  description:
    "A collective welcome session (FR séance collective d'accueil / NL collectieve onthaalsessie) organised by the SRE with the region's IPS partner (R8, R11).",
})
export class WelcomeSession {
  @Field(() => ID)
  id!: string;

  @Field({ nullable: true })
  ipsPartner?: string;

  @Field(() => GraphQLLocalDate, { nullable: true })
  heldOn?: string;

  @Field({ nullable: true })
  place?: string;

  @Field({ nullable: true })
  attendanceRecordedAt?: Date;
}

@ObjectType({
  description:
    'One person invited to a welcome session (R8), present or absent once the IPS partner marked them (R11).',
})
export class WelcomeInvitation {
  @Field(() => ID)
  id!: string;

  @Field(() => Boolean, {
    nullable: true,
    description: 'Present (true) or absent (false); null until the partner marks them.',
  })
  attended?: boolean | null;

  @Field({ nullable: true })
  attendanceMarkedAt?: Date;

  @Field(() => String, { nullable: true, description: "Who marked it: the IPS partner's supervisor." })
  attendanceMarkedBy?: string | null;

  @Field(() => Pathway, { nullable: true })
  pathway?: Pathway;

  @Field(() => ParticipantReference, { nullable: true })
  participant?: ParticipantReference;
}

@InputType({ description: 'The IPS partner marks one invitee present or absent (R11).' })
export class MarkWelcomeAttendanceInput {
  @Field(() => ID)
  invitationId!: string;

  @Field()
  attended!: boolean;

  @Field(() => GraphQLLocalDate, {
    description:
      'The first individual meeting, planned for the person if none is yet (present or absent, R11); not before the session.',
  })
  firstMeetingOn!: string;
}

@ObjectType({
  description:
    'An individual meeting (FR entretien individuel / NL individueel gesprek) with the referent: the job coach (FR job coach, accompagnateur spécialisé IPS / NL jobcoach) in the IPS arm, the reference counsellor (FR conseiller référent / NL referentieconsulent) in the control arm (R9, R11).',
})
export class IndividualMeeting {
  @Field(() => ID)
  id!: string;

  @Field(() => MeetingKind, { nullable: true })
  kind?: MeetingKind;

  @Field(() => GraphQLLocalDate, { nullable: true })
  scheduledFor?: string;

  @Field(() => GraphQLLocalDate, { nullable: true })
  heldOn?: string;

  @Field(() => String, {
    name: 'plannedBy',
    nullable: true,
    description: 'Who planned it: the IPS partner for the first meeting, the referent for a follow-up.',
  })
  scheduledBy?: string;

  @Field(() => String, { nullable: true, description: 'Who recorded that it took place: the referent.' })
  heldBy?: string | null;
}

@ObjectType({ description: 'The next due action for one person of a caseload.' })
export class NextAction {
  @Field(() => NextActionKind)
  kind!: NextActionKind;

  @Field(() => GraphQLLocalDate, { nullable: true })
  dueOn?: string | null;
}

@ObjectType({ description: "One person of the job coach's caseload, with what to do next." })
export class CaseloadEntry {
  @Field(() => Pathway, { nullable: true })
  pathway?: Pathway;

  @Field(() => NextAction, { nullable: true })
  nextAction?: NextAction;
}

@ObjectType({ description: "One coach of the supervisor's team: open pathways against the guideline of at most 20." })
export class CoachLoad {
  @Field()
  jobCoach!: string;

  @Field(() => Int)
  openPathways!: number;

  @Field()
  overGuideline!: boolean;
}
