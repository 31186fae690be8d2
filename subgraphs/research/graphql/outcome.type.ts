import { Field, Float, Int, ObjectType } from 'type-graphql';
import { Region } from '../../kit/domain.js';
import { TrialArm } from '../entities/allocation.entity.js';

const SUPPRESSED =
  'True when a count was under the small-cell threshold (or could be derived from one): the counts and the figure are then null.';

@ObjectType({
  description:
    'A share of person-months (an aggregate). Published only when at least the small-cell threshold of people contributed months counted and months not counted.',
})
export class ShareOfPersonMonths {
  @Field(() => Int, { nullable: true, description: 'Person-months counted in the share.' })
  numerator?: number | null;

  @Field(() => Int, { nullable: true, description: 'Person-months the share is taken of.' })
  denominator?: number | null;

  @Field(() => Float, { nullable: true, description: 'numerator / denominator, 4 decimals.' })
  share?: number | null;

  @Field({ description: SUPPRESSED })
  suppressed!: boolean;
}

@ObjectType({ description: 'Incapacity benefit per person-month of an arm (an aggregate).' })
export class BenefitPerMonth {
  @Field(() => Int, { nullable: true, description: 'People with at least one person-month in the window.' })
  people?: number | null;

  @Field(() => Int, {
    nullable: true,
    description:
      'Person-months: each person × each month of the window inside their follow-up (month 0, the month of randomisation, to month 30).',
  })
  personMonths?: number | null;

  @Field(() => Int, {
    nullable: true,
    description:
      'Person-months for which the health insurer recorded a statement (the others count as no benefit paid); null when the months without one belong to fewer than five people.',
  })
  personMonthsWithStatement?: number | null;

  @Field(() => Int, { nullable: true, description: 'Mean benefit per person-month, euro cents (rounded).' })
  meanCents?: number | null;

  @Field(() => Int, { nullable: true, description: 'Median benefit per person-month, euro cents (rounded).' })
  medianCents?: number | null;

  @Field({ description: SUPPRESSED })
  suppressed!: boolean;
}

@ObjectType({
  description: "One quarter of the IPS programmes' competitive employment rate, for one arm (an aggregate).",
})
export class QuarterlyEmploymentRate {
  @Field({ description: 'The calendar quarter, e.g. 2019-Q3.' })
  quarter!: string;

  @Field(() => Int, {
    nullable: true,
    description:
      'People of the arm in follow-up (from the month of randomisation to month 30) on at least one day of the quarter, whatever their pathway.',
  })
  inFollowUp?: number | null;

  @Field(() => Int, {
    nullable: true,
    description:
      'Of them, people holding a competitive job on at least one day of the quarter while followed, whatever their pathway.',
  })
  competitivelyEmployed?: number | null;

  @Field(() => Float, {
    nullable: true,
    description:
      'competitivelyEmployed / inFollowUp, 4 decimals (reference IPS programmes ≈ 0.41; 0.50 counted excellent).',
  })
  rate?: number | null;

  @Field({ description: SUPPRESSED })
  suppressed!: boolean;
}

@ObjectType({
  description:
    'The outcome measures of one trial arm in one month since randomisation (an aggregate): each person followed that month counts once.',
})
export class MonthSinceRandomisationOutcomes {
  @Field(() => Int, { description: 'Months since the month of randomisation: 0 (the month of randomisation) to 30.' })
  month!: number;

  @Field(() => Int, {
    nullable: true,
    description:
      'People of the arm in follow-up in that month, within the window (null when fewer than the threshold).',
  })
  people?: number | null;

  @Field(() => ShareOfPersonMonths, {
    description:
      'Working while on disability benefit in that month (as ArmOutcomes.workingWhileOnBenefit): one person-month per person.',
  })
  workingWhileOnBenefit!: ShareOfPersonMonths;

  @Field(() => BenefitPerMonth, { description: 'Disability benefit in that month (as ArmOutcomes.benefitPerMonth).' })
  benefitPerMonth!: BenefitPerMonth;

  @Field(() => ShareOfPersonMonths, {
    description:
      'People holding a competitive job on some day of that month, whatever their pathway, among the people followed that month.',
  })
  competitiveJob!: ShareOfPersonMonths;
}

@ObjectType({ description: 'The outcome measures of one trial arm.' })
export class ArmOutcomes {
  @Field(() => TrialArm)
  arm!: TrialArm;

  @Field(() => Int, {
    nullable: true,
    description: 'People of the arm followed during the window (null when fewer than the threshold).',
  })
  people?: number | null;

  @Field(() => ShareOfPersonMonths, {
    description:
      "Working while on disability benefit (travailler tout en percevant une indemnité / werken met behoud van uitkering): the share of the arm's person-months (each person × each month of the window inside their follow-up: month 0, the month of randomisation, to month 30, whatever the pathway) in which the health insurer's statement says work was authorised (art. 100 §2) AND an employment episode (any contract, not an in-company training) covered at least one day of the month.",
  })
  workingWhileOnBenefit!: ShareOfPersonMonths;

  @Field(() => BenefitPerMonth, {
    description:
      "Disability benefit per month (indemnité par mois / uitkering per maand): over every person-month of the arm in the window inside the person's follow-up (month 0 to 30), the amount of the health insurer's statement (both benefit types); a month without a statement counts as 0 (intention to treat: people who left benefit stay counted).",
  })
  benefitPerMonth!: BenefitPerMonth;

  @Field(() => [QuarterlyEmploymentRate], {
    description:
      "The IPS programmes' quarterly competitive employment rate (taux d'emploi compétitif trimestriel), per calendar quarter meeting the window: people in follow-up during the quarter (intention to treat: whatever their pathway), and the share of them who held a competitive job (open labour market, at least the minimum wage, not reserved for disabled people) on some day of the quarter while followed. Computed for both arms; jobs not recorded as competitive (unknown) are not counted.",
  })
  competitiveEmploymentRate!: QuarterlyEmploymentRate[];

  @Field(() => [MonthSinceRandomisationOutcomes], {
    description:
      "The same measures per month since randomisation, 0 to 30 (the trial's time), over the person-months of the window; same disclosure rule.",
  })
  byMonthSinceRandomisation!: MonthSinceRandomisationOutcomes[];
}

@ObjectType({
  description:
    "The trial's outcome measures per arm, computed from the platform's own data (employment episodes, pathways, the health insurers' benefit statements, allocations). Aggregates only (R19): people randomised whose research consent is in force, in the arm they were allocated to (intention to treat). Small cells: a count under `smallCellThreshold` (5) is never published, nor a share whose complement is under it; such a cell is null with `suppressed: true`.",
})
export class TrialOutcomes {
  @Field({ description: 'First month of the window, YYYY-MM.' })
  from!: string;

  @Field({ description: 'Last month of the window, YYYY-MM.' })
  to!: string;

  @Field(() => Region, { nullable: true, description: 'The stratum, when one was asked for.' })
  region?: Region;

  @Field(() => Int)
  smallCellThreshold!: number;

  @Field(() => [ArmOutcomes])
  arms!: ArmOutcomes[];
}
