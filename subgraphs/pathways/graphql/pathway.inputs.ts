import { Field, ID, InputType } from 'type-graphql';

@InputType({ description: 'INAMI registers a pathway for a referral that reached its intake (R5).' })
export class RegisterPathwayInput {
  @Field(() => ID)
  referralId!: string;

  @Field(() => ID, { description: "The convention of the IPS partner serving the person's region (R17)." })
  conventionId!: string;
}
