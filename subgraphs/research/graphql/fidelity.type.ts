import { GraphQLLocalDate } from 'graphql-scalars';
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { DataCategory } from '../../../schema/policy.js';
import { DataCategoryValue } from '../../kit/domain.js';
import { EntryKey } from '../../kit/input-guard.js';
import {
  FIDELITY_ITEMS,
  type FidelityBand,
  type FidelityItemKey,
  type FidelitySection,
} from '../services/fidelity-scale.js';

/** The 25 items of the IPS-25 scale (labels FR/NL/EN in schema/i18n, enum FidelityItem). */
export const FidelityItemValue = Object.fromEntries(FIDELITY_ITEMS.map((item) => [item.key, item.key])) as {
  [K in FidelityItemKey]: K;
};
registerEnumType(FidelityItemValue, {
  name: 'FidelityItem',
  description: 'An item of the IPS-25 fidelity scale (DOMAIN.md), scored 1–5.',
});

export const FidelitySectionValue = {
  STAFFING: 'STAFFING',
  ORGANISATION: 'ORGANISATION',
  SERVICES: 'SERVICES',
} as const satisfies { [K in FidelitySection]: K };
registerEnumType(FidelitySectionValue, {
  name: 'FidelitySection',
  description: 'The three sections of the IPS-25 scale.',
});

export const FidelityBandValue = {
  EXEMPLARY: 'EXEMPLARY',
  GOOD: 'GOOD',
  FAIR: 'FAIR',
  NOT_IPS: 'NOT_IPS',
} as const satisfies { [K in FidelityBand]: K };
registerEnumType(FidelityBandValue, {
  name: 'FidelityBand',
  description:
    'Standard cut-offs of the IPS-25 total: 115–125 exemplary, 100–114 good, 74–99 fair, 73 or less not IPS.',
});

@ObjectType({
  description: "An item of the IPS-25 scale and its section; its label is the vocabulary's (enum FidelityItem).",
})
export class FidelityScaleItem {
  @Field(() => FidelityItemValue)
  item!: FidelityItemKey;

  @Field(() => FidelitySectionValue)
  section!: FidelitySection;

  @Field(() => Int, { description: 'Position on the review form, 1–25.' })
  position!: number;
}

@ObjectType({ description: "The two reviewers' consensus score on one item." })
export class FidelityItemScore {
  @Field(() => FidelityItemValue)
  item!: FidelityItemKey;

  @Field(() => Int, { description: '1–5.' })
  score!: number;
}

@ObjectType({
  description:
    'An IPS-25 fidelity review of one IPS team (the partner of an INAMI convention) on one date, by two reviewers in consensus.',
})
export class FidelityReview {
  @Field(() => ID)
  id!: string;

  @Field({ description: "The IPS team: the convention's code (e.g. ISPPC)." })
  team!: string;

  @Field(() => GraphQLLocalDate, { description: 'The day of the review visit.' })
  reviewedOn!: string;

  @Field(() => [String], { description: 'The two reviewers: who recorded the review, then the co-reviewer.' })
  reviewers!: string[];

  @Field(() => [FidelityItemScore], { description: 'The 25 consensus scores, in the order of the scale.' })
  scores!: FidelityItemScore[];

  @Field(() => Int, { description: '25–125.' })
  total!: number;

  @Field(() => FidelityBandValue)
  band!: FidelityBand;

  @Field(() => Int, {
    nullable: true,
    description: "The total's change since the team's previous review (the trend); null for its first.",
  })
  changeFromPrevious?: number | null;

  @Field({ description: 'The action plan agreed with the team (free text, shown under actionPlanCategory).' })
  actionPlan!: string;

  @Field(() => DataCategoryValue, {
    description: 'The category the reviewers declared for the action plan (FREE_TEXT_CATEGORIES).',
  })
  actionPlanCategory!: DataCategory;

  @Field()
  recordedAt!: Date;
}

@InputType()
@EntryKey('item') // one score per item of the scale
export class FidelityItemScoreInput {
  @Field(() => FidelityItemValue)
  item!: FidelityItemKey;

  @Field(() => Int)
  score!: number;
}

@InputType({ description: 'A fidelity review, recorded by one of its two reviewers with their consensus scores.' })
export class RecordFidelityReviewInput {
  @Field({ description: "The IPS team: the convention's code." })
  team!: string;

  @Field(() => GraphQLLocalDate, { description: 'The day of the review visit, not in the future.' })
  reviewedOn!: string;

  @Field({ description: 'The other reviewer (the caller is the first).' })
  secondReviewer!: string;

  @Field(() => [FidelityItemScoreInput], { description: 'Each of the 25 items exactly once, scored 1–5.' })
  scores!: FidelityItemScoreInput[];

  @Field()
  actionPlan!: string;

  @Field(() => DataCategoryValue, {
    nullable: true,
    description: "The action plan's category (FREE_TEXT_CATEGORIES); administrative when absent.",
  })
  actionPlanCategory?: DataCategoryValue | null;
}
