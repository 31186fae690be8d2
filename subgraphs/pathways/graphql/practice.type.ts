import { GraphQLLocalDate } from 'graphql-scalars';
import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { BenefitsCounsellingTopic, EmployerContactKind, FollowAlongKind } from '../entities/practice.entity.js';

registerEnumType(EmployerContactKind, {
  name: 'EmployerContactKind',
  description: 'Kinds of employer contact in job development (IPS principle 8).',
});
registerEnumType(BenefitsCounsellingTopic, {
  name: 'BenefitsCounsellingTopic',
  description: 'What a benefits-counselling session was about (IPS principle 7).',
});
registerEnumType(FollowAlongKind, {
  name: 'FollowAlongKind',
  description: 'Kinds of follow-along support once a job has started (IPS principle 6).',
});

@InputType({ description: "An employer contact on one person's behalf (IPS principles 5 and 8)." })
export class RecordEmployerContactInput {
  @Field(() => ID)
  pathwayId!: string;

  @Field(() => GraphQLLocalDate, { description: 'Not in the future, not before the registration.' })
  contactedOn!: string;

  @Field({ description: "The employer's name (employment data), at most 200 characters." })
  employer!: string;

  @Field(() => EmployerContactKind)
  kind!: EmployerContactKind;
}

@InputType({
  description: "An employer contact for the team's job development, not tied to one person (IPS principle 8).",
})
export class RecordJobDevelopmentContactInput {
  @Field({ description: "The team: its IPS partner's code, the caller's own (e.g. ISPPC)." })
  team!: string;

  @Field(() => GraphQLLocalDate, { description: 'Not in the future.' })
  contactedOn!: string;

  @Field({ description: "The employer's name, at most 200 characters." })
  employer!: string;

  @Field(() => EmployerContactKind)
  kind!: EmployerContactKind;
}

@InputType({
  description: 'A benefits-counselling session with the person (IPS principle 7, work-incentives planning).',
})
export class RecordBenefitsCounsellingInput {
  @Field(() => ID)
  pathwayId!: string;

  @Field(() => GraphQLLocalDate, { description: 'Not in the future, not before the registration.' })
  heldOn!: string;

  @Field(() => BenefitsCounsellingTopic)
  topic!: BenefitsCounsellingTopic;
}

@InputType({
  description:
    "Follow-along support once a job has started (IPS principle 6): on or after a job's start, also after the pathway's end.",
})
export class RecordFollowAlongSupportInput {
  @Field(() => ID)
  pathwayId!: string;

  @Field(() => GraphQLLocalDate, { description: 'Not in the future; on or after the start of a job of the pathway.' })
  supportedOn!: string;

  @Field(() => FollowAlongKind)
  kind!: FollowAlongKind;
}

@ObjectType({
  description: "A contact of the person's coach with an employer on their behalf (IPS principles 5 and 8).",
})
export class EmployerContact {
  @Field(() => ID)
  id!: string;

  @Field(() => GraphQLLocalDate, { nullable: true })
  contactedOn?: string;

  @Field({ nullable: true })
  employer?: string;

  @Field(() => EmployerContactKind, { nullable: true })
  kind?: EmployerContactKind;

  @Field({ nullable: true, description: 'Who made it: the coach (or the supervisor).' })
  jobCoach?: string;
}

@ObjectType({
  description: "A contact with an employer for the team's job development, not tied to one person (IPS principle 8).",
})
export class JobDevelopmentContact {
  @Field(() => ID)
  id!: string;

  @Field(() => GraphQLLocalDate)
  contactedOn!: string;

  @Field()
  employer!: string;

  @Field(() => EmployerContactKind)
  kind!: EmployerContactKind;

  @Field()
  jobCoach!: string;
}

@ObjectType({ description: 'A benefits-counselling session (IPS principle 7, work-incentives planning).' })
export class BenefitsCounsellingSession {
  @Field(() => ID)
  id!: string;

  @Field(() => GraphQLLocalDate, { nullable: true })
  heldOn?: string;

  @Field(() => BenefitsCounsellingTopic, { nullable: true })
  topic?: BenefitsCounsellingTopic;

  @Field({ nullable: true, description: 'Who held it: the coach (or the supervisor).' })
  counsellor?: string;
}

@ObjectType({ description: 'Follow-along support once a job has started (IPS principle 6, time-unlimited).' })
export class FollowAlongSupport {
  @Field(() => ID)
  id!: string;

  @Field(() => GraphQLLocalDate, { nullable: true })
  supportedOn?: string;

  @Field(() => FollowAlongKind, { nullable: true })
  kind?: FollowAlongKind;

  @Field(() => Boolean, {
    nullable: true,
    description: "Given after the pathway's formal end (time-unlimited support).",
  })
  afterPathwayEnd?: boolean;

  @Field({ nullable: true })
  jobCoach?: string;
}

@ObjectType({
  description:
    "The IPS principles measured from the team's recorded work, for one quarter: rapid job search (5), time-unlimited support (6), benefits counselling (7), job development (8). Counts of the team's IPS-arm people; a share or ratio with nothing to divide is null, never 0.",
})
export class PracticeIndicators {
  @Field({ description: "The team: the IPS partner's code." })
  team!: string;

  @Field({ description: 'The quarter, e.g. 2026-Q3.' })
  quarter!: string;

  @Field(() => Int, { description: 'People whose first meeting with the coach was held in the quarter.' })
  firstMeetings!: number;

  @Field(() => Int, {
    description: 'Of them, those with an employer contact on their behalf since their first meeting (n of the median).',
  })
  firstEmployerContacts!: number;

  @Field(() => Float, {
    nullable: true,
    description:
      'Median days from the first meeting to the first employer contact (rapid job search); null when n = 0.',
  })
  medianDaysToFirstEmployerContact?: number | null;

  @Field(() => Int, {
    description: "Employer contacts of the team dated in the quarter (on a person's behalf or the team's).",
  })
  employerContacts!: number;

  @Field(() => Float, {
    description:
      "The job coaches' working time in the quarter, in full-time weeks (the staff directory's FTE and days).",
  })
  coachFteWeeks!: number;

  @Field(() => Float, {
    nullable: true,
    description: 'Employer contacts per coach per week (IPS-25 asks for several); null without coaches.',
  })
  employerContactsPerCoachPerWeek?: number | null;

  @Field(() => Int, { description: 'People in a pathway at some time in the quarter.' })
  peopleInPathway!: number;

  @Field(() => Int, { description: 'Of them, those with benefits counselling by the end of the quarter.' })
  peopleCounselled!: number;

  @Field(() => Float, { nullable: true, description: 'peopleCounselled ÷ peopleInPathway (0–1); null when no one.' })
  shareCounselled?: number | null;

  @Field(() => Int, { description: 'People working at some time in the quarter, their pathway open or ended.' })
  peopleWorking!: number;

  @Field(() => Int, { description: 'Of them, those with follow-along support in the quarter.' })
  peopleWorkingSupported!: number;

  @Field(() => Float, {
    nullable: true,
    description: 'peopleWorkingSupported ÷ peopleWorking (0–1); null when no one works.',
  })
  shareWorkingSupported?: number | null;
}
