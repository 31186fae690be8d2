import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { StaffFunctionValue } from '../entities/staff.entity.js';

registerEnumType(StaffFunctionValue, {
  name: 'StaffFunction',
  description:
    'A function in the staff directory: advising physician (médecin conseil / adviserend arts), IPS job coach, IPS supervisor, SRE counsellor, INAMI agent, researcher.',
});

@ObjectType({
  description:
    "A member of an organisation's staff: who may be a physician of record (FR médecin conseil / NL adviserend arts), a referent job coach (FR accompagnateur spécialisé IPS / NL jobcoach), a reference counsellor (FR conseiller référent / NL referentieconsulent)…",
})
export class StaffMember {
  @Field(() => ID)
  id!: string;

  @Field({ description: 'Organisation code (e.g. OA-300, FOREM, ARTICLE-23).' })
  organisationCode!: string;

  @Field({ description: 'The subject of their tokens at the identity provider.' })
  subject!: string;

  @Field(() => StaffFunctionValue)
  function!: StaffFunctionValue;

  @Field()
  displayName!: string;

  @Field()
  enrolledAt!: Date;

  @Field(() => Date, { nullable: true })
  endedAt?: Date | null;
}

@InputType()
export class EnrolStaffMemberInput {
  @Field({ description: "The subject of the person's tokens at the identity provider." })
  subject!: string;

  @Field(() => StaffFunctionValue, {
    description: "Must be a function the caller's role maintains (schema/policy.ts STAFF_FUNCTIONS).",
  })
  function!: StaffFunctionValue;

  @Field()
  displayName!: string;
}
