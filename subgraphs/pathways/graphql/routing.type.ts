import { GraphQLLocalDate } from 'graphql-scalars';
import { Directive, Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { Region } from '../../kit/domain.js';
import { Mailbox } from '../entities/routing.entity.js';
import { ParticipantReference, Pathway } from './pathway.type.js';

registerEnumType(Mailbox, {
  name: 'Mailbox',
  description: 'The two mailboxes each SRE reserves for the pilot (R7).',
  valuesConfig: {
    IPS: { description: 'IPS' },
    IPS_CONTROL_GROUP: { description: 'IPS control group (groupe témoin)' },
  },
});

/** A referral owned by participants, referenced by key only. */
@ObjectType('Referral')
@Directive('@key(fields: "id", resolvable: false)')
export class ReferralReference {
  @Field(() => ID)
  id!: string;
}

@ObjectType({
  description: "A referral form waiting in INAMI's single intake for its pathway to be registered (R4, R5).",
})
export class IntakeItem {
  @Field(() => ID, { nullable: true })
  referralId?: string;

  @Field({ nullable: true })
  receivedAt?: Date;

  @Field(() => Region, { nullable: true })
  region?: Region;
}

@ObjectType({
  description:
    "A form INAMI forwarded to the regional employment service (FR service régional de l'emploi, SRE: FOREM, ACTIRIS / NL gewestelijke dienst voor arbeidsbemiddeling: VDAB) of the person's region, in the mailbox of their arm (R7).",
})
export class SreInboxItem {
  @Field(() => ID)
  id!: string;

  @Field(() => Mailbox, { nullable: true })
  mailbox?: Mailbox;

  @Field({ nullable: true, description: 'VDAB, FOREM or ACTIRIS.' })
  employmentService?: string;

  @Field({ nullable: true })
  arrivedAt?: Date;

  @Field({ nullable: true })
  acknowledgedAt?: Date;

  @Field({ nullable: true })
  acknowledgedBy?: string;
}

@ObjectType({ description: 'INAMI forwarded a form to an SRE mailbox (R7). The item is in `item`, under the policy.' })
export class RoutingReceipt {
  @Field(() => ID)
  pathwayId!: string;

  @Field(() => ID)
  inboxItemId!: string;

  @Field(() => SreInboxItem, { nullable: true })
  item?: SreInboxItem;
}

@ObjectType({
  description: "The person's registration as a free job seeker at the SRE, under the convention's code (R3).",
})
export class JobSeekerRegistration {
  @Field(() => ID)
  id!: string;

  @Field({ nullable: true, description: 'The code the regional convention reserves for the pilot.' })
  conventionCode?: string;

  @Field(() => GraphQLLocalDate, { nullable: true })
  registeredOn?: string;

  @Field({ nullable: true })
  employmentService?: string;

  @Field({ nullable: true })
  recordedAt?: Date;
}

@ObjectType({
  description:
    'A correction of a free job seeker registration by the SRE (R3): who made it, when, the values before and after.',
})
export class JobSeekerRegistrationCorrection {
  @Field(() => ID)
  id!: string;

  @Field({ nullable: true })
  previousConventionCode?: string;

  @Field({ nullable: true })
  conventionCode?: string;

  @Field(() => GraphQLLocalDate, { nullable: true })
  previousRegisteredOn?: string;

  @Field(() => GraphQLLocalDate, { nullable: true })
  registeredOn?: string;

  @Field({ nullable: true, description: 'The SRE agent who corrected it.' })
  correctedBy?: string;

  @Field({ nullable: true })
  correctedAt?: Date;
}

@InputType({
  description: 'The SRE corrects a free job seeker registration (R3): the code and the date as they should be.',
})
export class CorrectJobSeekerRegistrationInput {
  @Field(() => ID)
  registrationId!: string;

  @Field({ description: 'A code reserved for the convention of the pathway.' })
  conventionCode!: string;

  @Field(() => GraphQLLocalDate, { description: 'Not in the future.' })
  registeredOn!: string;
}

@InputType({ description: "The SRE records the person's free job seeker registration (R3)." })
export class RecordJobSeekerRegistrationInput {
  @Field(() => ID)
  pathwayId!: string;

  @Field({ description: 'A code reserved for the convention the pathway is registered under; any other is refused.' })
  conventionCode!: string;

  @Field(() => GraphQLLocalDate, { description: 'Not in the future.' })
  registeredOn!: string;
}
