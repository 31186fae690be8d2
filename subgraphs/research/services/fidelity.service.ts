/**
 * IPS-25 fidelity reviews (DOMAIN.md "IPS-25 fidelity scale"): two reviewers from outside the team
 * (the researchers or INAMI, schema/policy.ts ACTIONS.recordFidelityReview) record their consensus
 * score per item for one IPS team on one date, with an action plan. A team's supervisor reads their
 * own team's reviews (ORGANISATION_RECORDS.FidelityReview); INAMI and the researchers read all.
 */
import { InvalidInputError } from '../../../schema/errors.js';
import { FREE_TEXT_CATEGORIES, ORGANISATION_RECORDS, type DataCategory } from '../../../schema/policy.js';
import { loadFresh, runCommand } from '../../kit/command.js';
import type { SubgraphContext } from '../../kit/context.js';
import { belgianToday } from '../../kit/domain.js';
import { queryRows } from '../../kit/raw-sql.js';
import { cleanText } from '../../kit/validation.js';
import { FidelityReviewEntity } from '../entities/fidelity-review.entity.js';
import {
  FIDELITY_ITEMS,
  fidelityBand,
  SCORE_MAX,
  SCORE_MIN,
  type FidelityBand,
  type FidelityItemKey,
} from './fidelity-scale.js';

export interface FidelityReviewRequest {
  team: string;
  reviewedOn: string;
  secondReviewer: string;
  scores: readonly { item: string; score: number }[];
  actionPlan: string;
  actionPlanCategory?: string | null;
}

export interface ValidReview {
  team: string;
  reviewedOn: string;
  secondReviewer: string;
  /** Consensus scores in the order of the scale. */
  scores: { item: FidelityItemKey; score: number }[];
  total: number;
  actionPlan: string;
  actionPlanCategory: DataCategory;
}

export interface FidelityReviewView {
  id: string;
  team: string;
  reviewedOn: string;
  reviewers: string[];
  scores: { item: FidelityItemKey; score: number }[];
  total: number;
  band: FidelityBand;
  changeFromPrevious: number | null;
  actionPlan: string;
  actionPlanCategory: DataCategory;
  recordedAt: Date;
}

const TEAM = /^[A-Z0-9][A-Z0-9-]{1,39}$/;

/** Pure checks: each item once, scores 1–5 integers, two distinct reviewers, a past date; BAD_USER_INPUT naming the field. */
export function validateReview(
  request: FidelityReviewRequest,
  recordedBy: string,
  today: string = belgianToday(),
): ValidReview {
  const team = request.team.trim();
  if (!TEAM.test(team)) throw new InvalidInputError('input.team', { id: 'routing.conventionCode' });
  if (request.reviewedOn > today) throw new InvalidInputError('input.reviewedOn', { id: 'date.future' });
  const secondReviewer = cleanText('input.secondReviewer', request.secondReviewer, { max: 200 });
  if (secondReviewer === recordedBy)
    throw new InvalidInputError('input.secondReviewer', { id: 'fidelity.reviewersDistinct' });
  const given = new Map<string, number>();
  for (const [index, { item, score }] of request.scores.entries()) {
    if (given.has(item)) throw new InvalidInputError(`input.scores.${index}.item`, { id: 'fidelity.itemsEachOnce' });
    if (!Number.isInteger(score) || score < SCORE_MIN || score > SCORE_MAX)
      throw new InvalidInputError(`input.scores.${index}.score`, { id: 'fidelity.scoreRange' });
    given.set(item, score);
  }
  if (given.size !== FIDELITY_ITEMS.length || FIDELITY_ITEMS.some(({ key }) => !given.has(key)))
    throw new InvalidInputError('input.scores', { id: 'fidelity.itemsEachOnce' });
  const scores = FIDELITY_ITEMS.map(({ key }) => ({ item: key, score: given.get(key)! }));
  const actionPlan = cleanText('input.actionPlan', request.actionPlan, { max: 10_000, multiline: true });
  const actionPlanCategory = request.actionPlanCategory ?? 'administrative';
  if (!(FREE_TEXT_CATEGORIES as readonly string[]).includes(actionPlanCategory)) {
    throw new InvalidInputError('input.actionPlanCategory', {
      id: 'text.categoryOneOf',
      params: { categories: FREE_TEXT_CATEGORIES.join(', ') },
    });
  }
  const total = scores.reduce((sum, { score }) => sum + score, 0);
  return {
    team,
    reviewedOn: request.reviewedOn,
    secondReviewer,
    scores,
    total,
    actionPlan,
    actionPlanCategory: actionPlanCategory as DataCategory,
  };
}

/** A team's reviews in date order, each with its band and its change from the previous one: the trend. */
function withTrend(rows: FidelityReviewEntity[]): FidelityReviewView[] {
  const previous = new Map<string, number>();
  return rows.map((row) => {
    const before = previous.get(row.team);
    previous.set(row.team, row.total);
    return {
      id: row.id,
      team: row.team,
      reviewedOn: row.reviewedOn,
      reviewers: [row.firstReviewer, row.secondReviewer],
      scores: FIDELITY_ITEMS.map(({ key }) => ({ item: key, score: row.scores[key]! })),
      total: row.total,
      band: fidelityBand(row.total),
      changeFromPrevious: before === undefined ? null : row.total - before,
      actionPlan: row.actionPlan,
      actionPlanCategory: row.actionPlanCategory as DataCategory,
      recordedAt: row.recordedAt,
    };
  });
}

export class FidelityService {
  constructor(private readonly context: SubgraphContext) {}

  record(request: FidelityReviewRequest, idempotencyKey: string): Promise<FidelityReviewView> {
    return runCommand(this.context, {
      action: 'recordFidelityReview',
      idempotencyKey,
      args: request,
      validate: () => validateReview(request, this.context.identity.subject),
      target: async (tx, review) => {
        const [convention] = await queryRows<{ code: string }>(
          tx,
          'select code from billing.published_convention where code = ?',
          [review.team],
        );
        if (!convention) return undefined;
        // The team is the target: its reviews are decided one at a time (one per date).
        await queryRows(tx, 'select pg_advisory_xact_lock(hashtext(?))', [
          `research.fidelity_review:${convention.code}`,
        ]);
        // The co-reviewer is a reviewer too: an active researcher or INAMI agent of the staff directory (ACTIONS.recordFidelityReview).
        const [coReviewer] = await queryRows(
          tx,
          "select 1 from participants.published_staff_member where subject = ? and active and function in ('RESEARCHER', 'INAMI_AGENT') limit 1",
          [review.secondReviewer],
        );
        if (!coReviewer) throw new InvalidInputError('input.secondReviewer', { id: 'fidelity.reviewerNotStaff' });
        const [existing] = await queryRows(
          tx,
          'select 1 from research.fidelity_review where team = ? and reviewed_on = ?',
          [convention.code, review.reviewedOn],
        );
        return { organisation: convention.code, state: { noReviewOnDate: !existing } };
      },
      apply: async (tx, review) => {
        const entity = tx.em.create(FidelityReviewEntity, {
          team: review.team,
          reviewedOn: review.reviewedOn,
          firstReviewer: tx.identity.subject,
          secondReviewer: review.secondReviewer,
          scores: Object.fromEntries(review.scores.map(({ item, score }) => [item, score])),
          total: review.total,
          actionPlan: review.actionPlan,
          actionPlanCategory: review.actionPlanCategory,
          recordedBy: tx.identity.subject,
          idempotencyKey: tx.idempotency.idempotencyKey,
          requestedBy: tx.idempotency.requestedBy,
          requestFingerprint: tx.idempotency.requestFingerprint,
        });
        tx.em.persist(entity);
        return entity.id;
      },
      answer: async (id) => {
        const recorded = await loadFresh(this.context.em, FidelityReviewEntity, id);
        return (await this.reviews(recorded.team)).find((review) => review.id === id)!;
      },
    });
  }

  /**
   * Reviews in team and date order with their trend, one query. A role that reads only its own
   * organisation's (ORGANISATION_RECORDS) gets its team's, and nothing of another team — as if none.
   */
  async reviews(team?: string | null): Promise<FidelityReviewView[]> {
    const own = ORGANISATION_RECORDS.FidelityReview?.[this.context.identity.role];
    const teams = [
      ...new Set(
        [own ? this.context.identity.organisation : undefined, team?.trim()].filter(
          (t): t is string => t !== undefined,
        ),
      ),
    ];
    // A supervisor asking for another team gets both conditions, so no row: the same query and answer as for a team with no review.
    const rows = await this.context.em.find(
      FidelityReviewEntity,
      { $and: teams.map((name) => ({ team: name })) },
      { orderBy: { team: 'asc', reviewedOn: 'asc' }, refresh: true },
    );
    return withTrend(rows);
  }
}
