import { Directive, Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { BenefitType } from '../entities/benefit-statement.entity.js';

registerEnumType(BenefitType, {
  name: 'BenefitType',
  description:
    "The incapacity benefit paid: primary incapacity (indemnités d'incapacité primaire / uitkering primaire arbeidsongeschiktheid, the first year) or invalidity (indemnités d'invalidité / invaliditeitsuitkering).",
});

@ObjectType({
  description:
    "The health insurer's statement of the incapacity benefit it paid a person for one month (organisme assureur / verzekeringsinstelling).",
})
export class BenefitStatement {
  @Field(() => ID)
  id!: string;

  @Field({ nullable: true, description: 'The month paid, YYYY-MM.' })
  month?: string;

  @Field(() => BenefitType, { nullable: true })
  benefitType?: BenefitType;

  @Field(() => Int, { nullable: true, description: 'Gross benefit paid for the month, in euro cents.' })
  amountCents?: number;

  @Field(() => Int, { nullable: true, description: 'Benefit days paid in the month.' })
  days?: number;

  @Field({
    nullable: true,
    description:
      "Whether the advising physician's authorisation to work (art. 100 §2, R15) covered the month: the person worked while on benefit.",
  })
  partialWorkAuthorised?: boolean;

  @Field({ nullable: true })
  recordedAt?: Date;
}

@InputType({
  description:
    "The person's own health insurer records the benefit it paid for one month; one statement per person and month.",
})
export class RecordBenefitStatementInput {
  @Field(() => ID)
  participantId!: string;

  @Field({ description: 'The month paid, YYYY-MM: not in the future, not before the pilot (2016-01).' })
  month!: string;

  @Field(() => BenefitType)
  benefitType!: BenefitType;

  @Field(() => Int, { description: 'Gross benefit paid for the month, in euro cents (0 to 1 000 000).' })
  amountCents!: number;

  @Field(() => Int, { description: 'Benefit days paid in the month (0 to the days of the month).' })
  days!: number;

  @Field({ description: 'Whether an authorisation to work (art. 100 §2, R15) covered the month.' })
  partialWorkAuthorised!: boolean;
}

/** The participant as seen from billing: its key, plus the `benefitStatements` this subgraph contributes. */
@ObjectType('Participant')
@Directive('@key(fields: "id")')
export class ParticipantReference {
  @Field(() => ID)
  id!: string;
}
