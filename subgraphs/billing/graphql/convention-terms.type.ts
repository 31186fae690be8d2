import { GraphQLLocalDate } from 'graphql-scalars';
import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { AmendmentStatus } from '../entities/convention-amendment.entity.js';
import {
  CapacityState,
  StaffingState,
  type ConventionAmendmentRequest,
  type ConventionAmendmentView,
  type ConventionCapacityView,
  type ConventionStaffingView,
  type ConventionTermChangeView,
  type ConventionTermsChange,
  type ConventionTermsView,
} from '../services/convention-terms.view.js';

export { CapacityState, StaffingState };

registerEnumType(AmendmentStatus, {
  name: 'ConventionAmendmentStatus',
  description: 'An amendment of money waits for a second INAMI agent (PROPOSED); once in force it is APPLIED.',
});

registerEnumType(CapacityState, {
  name: 'CapacityState',
  description:
    "A convention's pathways against its capacity: room, 90 % or more (INAMI is warned), full (registration paused).",
});

registerEnumType(StaffingState, {
  name: 'StaffingState',
  description: "A month's staffing against the convention's: equal, above, below, or one above and the other below.",
});

@ObjectType({
  description:
    'One term an amendment changed, with its value before and after (as text: a number, a day; null when unset).',
})
export class ConventionTermChange implements ConventionTermChangeView {
  @Field({ description: 'The term, named as on ConventionTerms (e.g. coachFteMonthCents).' })
  term!: string;

  @Field(() => String, { nullable: true })
  before!: string | null;

  @Field(() => String, { nullable: true })
  after!: string | null;
}

@ObjectType({
  description:
    'An amendment (FR avenant / NL wijziging) of a convention between INAMI and an IPS partner (R17): who, when, why, what changed.',
})
export class ConventionAmendment implements ConventionAmendmentView {
  @Field(() => ID)
  id!: string;

  @Field(() => Int, { nullable: true, description: 'The version it made, once applied.' })
  version!: number | null;

  @Field(() => Int, {
    description: 'The version in force when it was proposed: approved only while that is still the one in force.',
  })
  basedOnVersion!: number;

  @Field(() => AmendmentStatus)
  status!: AmendmentStatus;

  @Field({ description: 'Why the convention changes (free text of INAMI; no person in it).' })
  reason!: string;

  @Field(() => [ConventionTermChange])
  changes!: ConventionTermChange[];

  @Field({
    description:
      'It changes an amount or the funded staffing (two persons: proposed by one INAMI agent, approved by another).',
  })
  changesMoney!: boolean;

  @Field({ description: 'The INAMI agent who proposed it (staff subject).' })
  proposedBy!: string;

  @Field()
  proposedAt!: Date;

  @Field(() => String, {
    nullable: true,
    description: 'The second INAMI agent who approved a change of money; null for a change applied at once.',
  })
  approvedBy!: string | null;

  @Field(() => Date, { nullable: true })
  approvedAt!: Date | null;
}

@ObjectType({
  description:
    "The terms of a convention in force (R17): its period, capacity, funded staffing and funding lines, in integer euro cents. The texts give no amount: the demo's are illustrative (`illustrative`); a real convention's replace them by an amendment.",
})
export class ConventionTerms implements ConventionTermsView {
  @Field()
  code!: string;

  @Field(() => Int, { description: 'The version in force: 1 as the pilot started, one more per amendment applied.' })
  version!: number;

  @Field(() => GraphQLLocalDate)
  validFrom!: string;

  @Field(() => GraphQLLocalDate, { nullable: true })
  validTo!: string | null;

  @Field(() => Int, { description: "Pathways the partner follows at once (its share of the region's)." })
  partnerPathways!: number;

  @Field(() => Int, { description: 'Coach FTE funded, in hundredths (5 coaches = 500).' })
  coachFteHundredths!: number;

  @Field(() => Int, { description: 'Supervisor FTE funded, in hundredths (½ = 50).' })
  supervisorFteHundredths!: number;

  @Field(() => Int, { description: 'Funding line: euro cents per coach FTE-month.' })
  coachFteMonthCents!: number;

  @Field(() => Int, { description: 'Funding line: euro cents per supervisor FTE-month.' })
  supervisorFteMonthCents!: number;

  @Field(() => Int, {
    nullable: true,
    description: 'Funding line, where the convention pays one: euro cents per pathway started under it.',
  })
  pathwayStartCents!: number | null;

  @Field(() => Int, {
    description:
      "A month's staffing funded at the convention's FTE: coach FTE × coach line + supervisor FTE × supervisor line, in euro cents (rounded half up).",
  })
  fundedStaffingMonthCents!: number;

  @Field({ description: "The amounts are illustrative (the demo's), not those of a signed convention." })
  illustrative!: boolean;

  @Field(() => [ConventionAmendment], {
    description:
      'Every amendment, oldest first: version 1 is the convention as the pilot started; proposed ones wait for their approval.',
  })
  amendments!: ConventionAmendment[];
}

@ObjectType({
  description:
    "The partner's pathways against its convention's capacity (R17): a pathway counts while it is open and in the IPS arm or not yet randomised. At FULL, registration is paused (FULL_CONVENTION_RULE): the referral waits in the intake.",
})
export class ConventionCapacity implements ConventionCapacityView {
  @Field()
  code!: string;

  @Field(() => Int)
  capacity!: number;

  @Field(() => Int, { description: 'Pathways counted against the capacity: open, IPS arm or awaiting randomisation.' })
  counted!: number;

  @Field(() => Int, { description: 'Of them, open in the IPS arm.' })
  activeIps!: number;

  @Field(() => Int, { description: 'Of them, registered and not yet randomised.' })
  awaitingRandomisation!: number;

  @Field(() => Int, { description: 'Pathways ever registered under the convention, both arms, open or ended.' })
  registered!: number;

  @Field(() => Float, { description: 'counted / capacity (1 when the capacity is 0).' })
  share!: number;

  @Field(() => CapacityState)
  state!: CapacityState;

  @Field(() => String, {
    nullable: true,
    description: 'What INAMI is told from 90 %: how many places are left, or that registration is paused.',
  })
  warning!: string | null;
}

@ObjectType({
  description:
    "One month's staffing of a partner against its convention (R17), in FTE hundredths: the staff directory's coaches and supervisors, each membership counted for the days of the month it was active.",
})
export class ConventionStaffing implements ConventionStaffingView {
  @Field()
  code!: string;

  @Field({ description: 'YYYY-MM.' })
  month!: string;

  @Field(() => Int)
  coachFteHundredths!: number;

  @Field(() => Int)
  supervisorFteHundredths!: number;

  @Field(() => Int, { description: "The convention's coach FTE that month (hundredths)." })
  conventionCoachFteHundredths!: number;

  @Field(() => Int)
  conventionSupervisorFteHundredths!: number;

  @Field(() => Int, { description: 'Staffed minus funded, coaches (hundredths; positive: above the convention).' })
  coachDifferenceHundredths!: number;

  @Field(() => Int)
  supervisorDifferenceHundredths!: number;

  @Field(() => StaffingState)
  state!: StaffingState;
}

@InputType({
  description: 'The terms an amendment changes: only those given (each must differ from the version in force).',
})
export class ConventionTermsInput implements ConventionTermsChange {
  @Field(() => GraphQLLocalDate, { nullable: true })
  validTo?: string | null;

  @Field(() => Int, { nullable: true })
  partnerPathways?: number | null;

  @Field(() => Int, { nullable: true })
  coachFteHundredths?: number | null;

  @Field(() => Int, { nullable: true })
  supervisorFteHundredths?: number | null;

  @Field(() => Int, { nullable: true })
  coachFteMonthCents?: number | null;

  @Field(() => Int, { nullable: true })
  supervisorFteMonthCents?: number | null;

  @Field(() => Int, { nullable: true })
  pathwayStartCents?: number | null;
}

@InputType({ description: 'INAMI amends a convention (R17): what changes and why.' })
export class AmendConventionInput implements ConventionAmendmentRequest {
  @Field(() => ID)
  conventionId!: string;

  @Field({ description: "Why (e.g. the signed amendment's reference); 3 to 2000 characters." })
  reason!: string;

  @Field(() => ConventionTermsInput)
  terms!: ConventionTermsInput;
}
