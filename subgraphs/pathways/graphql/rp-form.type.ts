import { GraphQLLocalDate } from 'graphql-scalars';
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DataCategoryValue } from '../../kit/domain.js';
import { RpFormKind, RpRequestKind } from '../entities/rp-form.entity.js';

registerEnumType(RpFormKind, {
  name: 'RpFormKind',
  description:
    "The forms to INAMI: the SRE's RP1 (R10) and the job coach's RP1IPS (R13), each copied to the physician.",
});
registerEnumType(RpRequestKind, {
  name: 'RpRequestKind',
  description:
    'What the form asks INAMI: an RP1 asks to cover a vocational orientation (R10); an RP1IPS opens, reports on or ends the IPS pathway (R13).',
});

@InputType({
  description:
    'An RP1 (the SRE, R10) or RP1IPS (the referent job coach, R13) sent to INAMI and copied to the physician with its content; a correction names the version it supersedes.',
})
export class SendRpFormInput {
  @Field(() => ID, { description: 'The pathway: it identifies the person, whose identity is not typed again.' })
  pathwayId!: string;

  @Field(() => RpFormKind)
  form!: RpFormKind;

  @Field(() => ID, {
    nullable: true,
    description: 'The version this one corrects (the latest of its form); none for a new form.',
  })
  supersedes?: string | null;

  @Field(() => RpRequestKind)
  requestKind!: RpRequestKind;

  @Field(() => String, { nullable: true, description: 'The plan: its objectives (at most 4000 characters).' })
  objectives?: string | null;

  @Field(() => String, { nullable: true, description: 'The plan: the steps planned (at most 4000 characters).' })
  plannedSteps?: string | null;

  @Field(() => DataCategoryValue, {
    nullable: true,
    description:
      'Required with a plan: the kind of data its text holds; a category INAMI or the physician may never read is refused (R18).',
  })
  planCategory?: DataCategoryValue | null;

  @Field(() => GraphQLLocalDate, { description: 'The period the request covers: first day.' })
  periodFrom!: string;

  @Field(() => GraphQLLocalDate, { nullable: true, description: 'The period the request covers: last day, if known.' })
  periodTo?: string | null;

  @Field(() => GraphQLLocalDate, {
    description: 'The day it was signed: not in the future, not before the registration.',
  })
  signedOn!: string;
}

@ObjectType({
  description:
    'One version of an RP1 or RP1IPS form: never changed; a correction is the next version. Each field is shown under its data category (the plan under the one its writer declared).',
})
export class RpForm {
  @Field(() => ID)
  id!: string;

  @Field(() => ID, { nullable: true, description: 'The form all its versions share (the id of its first version).' })
  formId?: string;

  @Field(() => RpFormKind, { nullable: true })
  form?: RpFormKind;

  @Field(() => Int, { nullable: true })
  version?: number;

  @Field(() => ID, { nullable: true, description: 'The version this one corrects.' })
  supersedesId?: string;

  @Field(() => RpRequestKind, { nullable: true })
  requestKind?: RpRequestKind;

  @Field({ nullable: true, description: "The person's referent: the SRE counsellor (RP1) or the job coach (RP1IPS)." })
  referent?: string;

  @Field({ nullable: true, description: 'SRE or JOB_COACH.' })
  referentRole?: string;

  @Field(() => String, { nullable: true })
  objectives?: string;

  @Field(() => String, { nullable: true })
  plannedSteps?: string;

  @Field(() => GraphQLLocalDate, { nullable: true })
  periodFrom?: string;

  @Field(() => GraphQLLocalDate, { nullable: true })
  periodTo?: string;

  @Field(() => GraphQLLocalDate, { nullable: true })
  signedOn?: string;

  @Field({ nullable: true, description: 'Who signed (their subject in their organisation).' })
  signedBy?: string;

  @Field({ nullable: true })
  signerRole?: string;

  @Field({ nullable: true })
  signerOrganisation?: string;

  @Field({ nullable: true, description: "INAMI's mailbox it was sent to." })
  sentTo?: string;

  @Field({ nullable: true, description: 'The physician of record it was copied to.' })
  copiedTo?: string;

  @Field({ nullable: true })
  sentAt?: Date;
}
