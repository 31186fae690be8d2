import { GraphQLLocalDate } from 'graphql-scalars';
import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Region } from '../../kit/domain.js';
import { RegionalForm } from '../entities/referral.entity.js';

registerEnumType(RegionalForm, {
  name: 'RegionalForm',
  description: 'Regional referral form (R3)',
  valuesConfig: {
    AANMELDINGSFORMULIER: { description: 'Flanders: aanmeldingsformulier' },
    FIF: { description: 'Wallonia (Charleroi, Liège): FIF' },
    FIA: { description: 'Brussels: FIA' },
  },
});

@ObjectType({ description: 'The six confirmations of the advising physician (R1 a–f).' })
export class ReferralEligibility {
  @Field({ nullable: true, description: 'R1a: recognised work incapacity and a moderate to severe mental disorder.' })
  meetsIncapacityAndMentalDisorderConditions?: boolean;

  @Field({ nullable: true, description: 'R1b: documented need for vocational rehabilitation or reorientation.' })
  needsVocationalRehabilitation?: boolean;

  @Field({ nullable: true, description: 'R1c: needs intensive support to return to work.' })
  needsIntensiveSupport?: boolean;

  @Field({ nullable: true, description: 'R1d: wants to enter a return-to-work programme.' })
  wantsToReturnToWork?: boolean;

  @Field({ nullable: true, description: 'R1e: information-sharing consent signed.' })
  consentsToInformationSharing?: boolean;

  @Field({ nullable: true, description: 'R1f: research consent signed.' })
  consentsToResearch?: boolean;
}

@ObjectType({
  description:
    "A referral form (FR formulaire d'adressage: FIF, FIA / NL aanmeldingsformulier) signed by the advising physician (FR médecin conseil / NL adviserend arts) of the person's health insurer (FR organisme assureur, mutualité / NL verzekeringsinstelling, ziekenfonds) and the person (R3), sent to INAMI / RIZIV (R4).",
})
@Directive('@key(fields: "id")')
export class Referral {
  @Field(() => ID)
  id!: string;

  @Field(() => Int, {
    nullable: true,
    description: '1 as first signed; an amendment is a new version, the earlier one unchanged (R3).',
  })
  version?: number;

  @Field(() => ID, { nullable: true, description: 'The version this one corrects.' })
  supersedes?: string;

  @Field(() => RegionalForm, { nullable: true })
  form?: RegionalForm;

  @Field(() => Region, { nullable: true })
  region?: Region;

  @Field(() => ReferralEligibility, { nullable: true })
  eligibility?: ReferralEligibility;

  @Field(() => GraphQLLocalDate, { nullable: true })
  signedOn?: string;

  @Field({ nullable: true, description: 'The advising physician who signed the form.' })
  referringPhysician?: string;

  @Field({ nullable: true, description: "The physician's health insurer (OA code)." })
  healthInsurer?: string;

  @Field({ nullable: true })
  submittedAt?: Date;
}

@ObjectType({
  description:
    "INAMI's intake acknowledges a referral (R4). The form itself is in `referral` when the consent lets the physician see it.",
})
export class ReferralReceipt {
  @Field(() => ID)
  referralId!: string;

  @Field(() => ID)
  participantId!: string;

  @Field()
  submittedAt!: Date;

  @Field(() => Referral, { nullable: true, description: 'The form as stored, subject to the consent like any read.' })
  referral?: Referral;
}
