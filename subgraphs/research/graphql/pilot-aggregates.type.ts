import { GraphQLLocalDate } from 'graphql-scalars';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Region } from '../../kit/domain.js';
import { AggregateMeasureValue } from '../services/pilot-aggregates.service.js';
import { FidelityBandValue } from './fidelity.type.js';

registerEnumType(AggregateMeasureValue, {
  name: 'AggregateMeasure',
  description:
    "One of the pilot's published tables: REFERRALS (partner × quarter of referral × stage reached), ACTIVITY (partner × quarter × arm × competitive job during the quarter), ACTIVITY_BY_YEAR (partner × calendar year × arm × competitive job during the year: the level above the quarter, published where a quarter's cells are too small to read; a person is counted once a year, so a year is not the sum of its quarters), ENDINGS (partner × quarter × arm × end reason), QUESTIONNAIRES (region × arm × wave × state, R12).",
});

export enum SuppressionValue {
  NONE = 'NONE',
  PRIMARY = 'PRIMARY',
  COMPLEMENTARY = 'COMPLEMENTARY',
}
registerEnumType(SuppressionValue, {
  name: 'Suppression',
  description:
    'Why a count is not published: PRIMARY (under the threshold), COMPLEMENTARY (it would let a suppressed count be solved for), or NONE.',
});

@ObjectType({ description: "A group of a dimension's members with its own total, e.g. a region's IPS partners." })
export class AggregateDimensionGroup {
  @Field()
  name!: string;

  @Field({ description: "The group's label in the caller's language (Accept-Language)." })
  label!: string;

  @Field(() => [String])
  members!: string[];
}

@ObjectType({
  description:
    "One fixed dimension of a published table. Cell keys use its members, its groups' names, or * for the dimension's total.",
})
export class AggregateDimension {
  @Field({ description: 'partner, region, quarter, year, stage, arm, employment, reason, wave or state.' })
  name!: string;

  @Field(() => [String], { description: 'The members, in display order.' })
  members!: string[];

  @Field(() => [String], {
    description: "Each member's label in the caller's language (Accept-Language), in the members' order.",
  })
  labels!: string[];

  @Field(() => [AggregateDimensionGroup])
  groups!: AggregateDimensionGroup[];

  @Field({
    description:
      'Whether cells with * (the total over this dimension) exist: false for quarters where a person would be counted in several (people in a pathway, endings).',
  })
  total!: boolean;
}

@ObjectType({
  description: 'One cell of a published table: a count, or why it is withheld (never a zero in its place).',
})
export class AggregateCell {
  @Field(() => [String], {
    description: "One coordinate per dimension, in the table's order: a member, a group or * (total).",
  })
  key!: string[];

  @Field(() => Int, { nullable: true, description: 'The count; null when suppressed.' })
  count?: number | null;

  @Field(() => SuppressionValue)
  suppression!: SuppressionValue;

  @Field({ description: 'True for a total or a group total.' })
  margin!: boolean;

  @Field({
    description:
      "True when the published count carries the cell key method's small random noise (schema/policy.ts DISCLOSURE_CONTROL): close to the true count, not equal to it. Always false for a withheld cell and for a reader of exact counts.",
  })
  perturbed!: boolean;
}

@ObjectType({
  description:
    "A published table of the pilot, disclosure-controlled (schema/policy.ts DISCLOSURE_CONTROL): every count under the threshold is suppressed, and enough others that none can be solved for from the published cells and totals; a reader of exact counts (COUNT_READERS) gets it exact. A region's query returns a slice of the one national table.",
})
export class AggregateTable {
  @Field(() => AggregateMeasureValue)
  measure!: AggregateMeasureValue;

  @Field(() => Int, {
    description:
      'Counts from 1 to threshold − 1 are never published; 0 for a reader of exact counts (schema/policy.ts COUNT_READERS), who gets every count.',
  })
  threshold!: number;

  @Field(() => Date, {
    description:
      'When the counts were computed from the data: tables are recomputed when the data changes, at most every IPS_AGGREGATES_REFRESH_MS (30 s) under a stream of writes.',
  })
  asOf!: Date;

  @Field(() => Region, {
    nullable: true,
    description: 'The region the cells were sliced to; null for the whole pilot.',
  })
  region?: Region | null;

  @Field(() => [AggregateDimension])
  dimensions!: AggregateDimension[];

  @Field(() => [AggregateCell])
  cells!: AggregateCell[];
}

@ObjectType({
  description: "One IPS partner's job coaches and their caseloads (staff counts: no coach named, no person).",
})
export class PartnerCaseloads {
  @Field({ description: "The convention's code." })
  partner!: string;

  @Field(() => Region)
  region!: Region;

  @Field(() => Int, { description: 'Job coaches holding at least one open pathway.' })
  coaches!: number;

  @Field(() => [Int], { description: 'Open pathways per coach, largest first.' })
  caseloads!: number[];

  @Field(() => Int, {
    description: 'The IPS guideline: at most this many people per coach (IPS-25 item CASELOAD_SIZE).',
  })
  guideline!: number;

  @Field(() => Int, { description: 'Coaches above the guideline.' })
  overGuideline!: number;
}

@ObjectType({ description: "An IPS team's latest IPS-25 fidelity review: total and band (no person in it)." })
export class TeamFidelity {
  @Field({ description: "The team's convention code." })
  team!: string;

  @Field(() => Region)
  region!: Region;

  @Field(() => GraphQLLocalDate, {
    nullable: true,
    description: 'The latest review; null when the team has not been reviewed.',
  })
  reviewedOn?: string | null;

  @Field(() => Int, { nullable: true })
  total?: number | null;

  @Field(() => FidelityBandValue, { nullable: true })
  band?: string | null;
}
