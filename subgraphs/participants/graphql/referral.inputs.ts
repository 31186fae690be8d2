import { GraphQLLocalDate } from 'graphql-scalars';
import { Field, InputType } from 'type-graphql';
import { ConsentRecipientValue, DataCategoryValue, Region } from '../../kit/domain.js';
import { EntryKey } from '../../kit/input-guard.js';
import { IncapacityStatus } from '../entities/participant.entity.js';
import { RegionalForm } from '../entities/referral.entity.js';
import type { ReferralRequest } from '../services/referral.service.js';

@InputType({ description: 'What the information-sharing consent grants one recipient (R1e).' })
@EntryKey('recipient') // one entry per recipient: its categories are listed together
export class ConsentGrantInput {
  @Field(() => ConsentRecipientValue)
  recipient!: ConsentRecipientValue;

  @Field(() => [DataCategoryValue], { description: 'Only categories the pathway needs this recipient to see (R18).' })
  categories!: DataCategoryValue[];
}

@InputType({ description: 'The person as written on the referral form.' })
export class ReferredPersonInput {
  @Field({ description: 'National number (NISS / INSZ); dots, dashes and spaces are accepted.' })
  niss!: string;

  @Field()
  givenName!: string;

  @Field()
  familyName!: string;

  @Field(() => GraphQLLocalDate, { description: 'Must agree with the birth date the NISS encodes.' })
  birthDate!: string;

  @Field(() => Region)
  region!: Region;

  @Field({ description: 'Belgian postcode of residence; must lie in the region.' })
  postcode!: string;

  @Field(() => IncapacityStatus, { description: 'Recognised work incapacity: primary incapacity or invalidity (R1a).' })
  incapacityStatus!: IncapacityStatus;
}

@InputType({ description: 'The six confirmations of R1 (a–f); all six are required.' })
export class ReferralEligibilityInput {
  @Field({ description: 'R1a: recognised work incapacity and a moderate to severe mental disorder.' })
  meetsIncapacityAndMentalDisorderConditions!: boolean;

  @Field({ description: 'R1b: documented need for vocational rehabilitation or reorientation.' })
  needsVocationalRehabilitation!: boolean;

  @Field({ description: 'R1c: needs intensive support to return to work.' })
  needsIntensiveSupport!: boolean;

  @Field({ description: 'R1d: wants to enter a return-to-work programme.' })
  wantsToReturnToWork!: boolean;

  @Field({
    description:
      'R1e: authorises INAMI, the health insurers, the SRE and the IPS partner to exchange what the pathway needs.',
  })
  consentsToInformationSharing!: boolean;

  @Field({ description: 'R1f: agrees to take part in the study (signed research consent).' })
  consentsToResearch!: boolean;
}

@InputType({
  description:
    "A regional referral form (R3) for INAMI's single intake (R4). There is deliberately no field to record an exclusion (R2).",
})
export class SubmitReferralInput implements ReferralRequest {
  @Field(() => ReferredPersonInput)
  person!: ReferredPersonInput;

  @Field(() => RegionalForm, { description: 'aanmeldingsformulier (Flanders), FIF (Wallonia), FIA (Brussels).' })
  form!: RegionalForm;

  @Field(() => ReferralEligibilityInput)
  eligibility!: ReferralEligibilityInput;

  @Field(() => GraphQLLocalDate, { description: 'Day the form was signed; not in the future.' })
  signedOn!: string;

  @Field({
    description: 'Reference of the signed information-sharing consent form that goes with the referral (R1e, R3).',
  })
  informationSharingConsentForm!: string;

  @Field({ description: 'Reference of the signed research consent form (R1f).' })
  researchConsentForm!: string;

  @Field(() => [ConsentGrantInput], {
    nullable: true,
    description:
      'What the signed consent grants each recipient; by default every recipient, for what the pathway needs it to see.',
  })
  informationSharing?: ConsentGrantInput[];
}
