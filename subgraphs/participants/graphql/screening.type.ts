import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { EligibilityCondition, Region, ScreeningOutcome } from '../../kit/domain.js';

@InputType({
  description:
    'A person assessed for the pilot and not referred, with no identity at all (CONSORT enrolment): no NISS, name, birth date or free text can be given, and the outcome holds no R2 ground (zero exclusion).',
})
export class RecordScreeningInput {
  @Field({ description: 'The month of the assessment, YYYY-MM (not finer: the log identifies no one).' })
  screenedIn!: string;

  @Field(() => Region, { description: "The region of the person's residence (the stratum)." })
  region!: Region;

  @Field(() => ScreeningOutcome)
  outcome!: ScreeningOutcome;

  @Field(() => EligibilityCondition, { nullable: true, description: 'The R1 condition not met (R1_NOT_MET only).' })
  unmetCondition?: EligibilityCondition | null;
}

@ObjectType({ description: 'An entry of the anonymous screening log, as the physician logged it: no person in it.' })
export class ScreeningEntry {
  @Field(() => ID)
  id!: string;

  @Field({ description: 'YYYY-MM.' })
  screenedIn!: string;

  @Field(() => Region)
  region!: Region;

  @Field(() => ScreeningOutcome)
  outcome!: ScreeningOutcome;

  @Field(() => EligibilityCondition, { nullable: true })
  unmetCondition?: EligibilityCondition | null;

  @Field()
  recordedAt!: Date;
}

@ObjectType({ description: 'People with one R1 condition not met, counted.' })
export class ScreeningConditionCount {
  @Field(() => EligibilityCondition)
  condition!: EligibilityCondition;

  @Field(() => Int)
  count!: number;
}

@ObjectType({ description: "The caller's own screening log, counted: people assessed and not referred, by reason." })
export class ScreeningCounts {
  @Field(() => Int)
  screened!: number;

  @Field(() => Int)
  declined!: number;

  @Field(() => [ScreeningConditionCount], { description: 'Each R1 condition, with the people who did not meet it.' })
  unmetConditions!: ScreeningConditionCount[];
}
