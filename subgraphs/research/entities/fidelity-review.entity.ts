import { randomUUID } from 'node:crypto';
import { OptionalProps } from '@mikro-orm/core';
import { Check, Entity, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import { IdempotentEntity } from '../../kit/idempotency.js';

/**
 * An IPS-25 fidelity review of one IPS team (a convention's code) on one date: the two reviewers'
 * consensus score per item (DOMAIN.md), its total, and the action plan (free text, with the
 * category its writer declared). A review once recorded stands; one per team and date.
 */
@Entity({
  tableName: 'fidelity_review',
  comment: 'IPS-25 fidelity reviews: consensus scores of two reviewers per IPS team and date.',
})
@Unique({ properties: ['requestedBy', 'idempotencyKey'] })
@Unique({ properties: ['team', 'reviewedOn'] })
@Check({ name: 'fidelity_review_total_check', expression: '(total >= 25) AND (total <= 125)' })
@Check({ name: 'fidelity_review_two_reviewers', expression: '((first_reviewer)::text <> (second_reviewer)::text)' })
export class FidelityReviewEntity extends IdempotentEntity {
  [OptionalProps]?: 'id' | 'recordedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** The convention's code (billing.published_convention.code). */
  @Property({ length: 40 })
  team!: string;

  @Property({ type: 'date' })
  reviewedOn!: string;

  /** The reviewer who recorded it (the caller). */
  @Property({ length: 200 })
  firstReviewer!: string;

  @Property({ length: 200 })
  secondReviewer!: string;

  /** Item key → consensus score 1–5, all 25 items (validated before writing). */
  @Property({ type: 'json' })
  scores!: Record<string, number>;

  @Property()
  total!: number;

  @Property({ type: 'text' })
  actionPlan!: string;

  /** FREE_TEXT_CATEGORIES: the category the reviewers declared for the action plan. */
  @Property({ length: 20 })
  actionPlanCategory!: string;

  @Property({ length: 200 })
  recordedBy!: string;

  @Property({ type: 'timestamptz' })
  recordedAt: Date = new Date();
}
