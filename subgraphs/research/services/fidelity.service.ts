/**
 * IPS-25 fidelity reviews (DOMAIN.md "IPS-25 fidelity scale"): two reviewers from outside the team
 * (the researchers or INAMI, schema/policy.ts ACTIONS.recordFidelityReview) record their consensus
 * score per item for one IPS team on one date, with an action plan. A team's supervisor reads their
 * own team's reviews (ORGANISATION_RECORDS.FidelityReview); INAMI and the researchers read all.
 */
import { randomUUID } from 'node:crypto';
import { InvalidInputError } from '../../../schema/errors.js';
import { FREE_TEXT_CATEGORIES, ORGANISATION_RECORDS, type DataCategory } from '../../../schema/policy.js';
import { runCommand } from '../../kit/command.js';
import type { SubgraphContext } from '../../kit/context.js';
import { belgianToday } from '../../kit/domain.js';
import { queryRows } from '../../kit/raw-sql.js';
import { cleanText } from '../../kit/validation.js';
import { FIDELITY_ITEMS, fidelityBand, SCORE_MAX, SCORE_MIN, type FidelityBand, type FidelityItemKey } from './fidelity-scale.js';

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

interface ReviewRow {
  id: string;
  team: string;
  reviewed_on: string;
  first_reviewer: string;
  second_reviewer: string;
  scores: Record<string, number>;
  total: number;
  action_plan: string;
  action_plan_category: DataCategory;
  recorded_at: Date | string;
}

const TEAM = /^[A-Z0-9][A-Z0-9-]{1,39}$/;

/** Pure checks: each item once, scores 1–5 integers, two distinct reviewers, a past date; BAD_USER_INPUT naming the field. */
export function validateReview(request: FidelityReviewRequest, recordedBy: string, today: string = belgianToday()): ValidReview {
  const team = request.team.trim();
  if (!TEAM.test(team)) throw new InvalidInputError('input.team', { id: 'routing.conventionCode' });
  if (request.reviewedOn > today) throw new InvalidInputError('input.reviewedOn', { id: 'date.future' });
  const secondReviewer = cleanText('input.secondReviewer', request.secondReviewer, { max: 200 });
  if (secondReviewer === recordedBy) throw new InvalidInputError('input.secondReviewer', { id: 'fidelity.reviewersDistinct' });
  const given = new Map<string, number>();
  for (const [index, { item, score }] of request.scores.entries()) {
    if (given.has(item)) throw new InvalidInputError(`input.scores.${index}.item`, { id: 'fidelity.itemsEachOnce' });
    if (!Number.isInteger(score) || score < SCORE_MIN || score > SCORE_MAX) throw new InvalidInputError(`input.scores.${index}.score`, { id: 'fidelity.scoreRange' });
    given.set(item, score);
  }
  if (given.size !== FIDELITY_ITEMS.length || FIDELITY_ITEMS.some(({ key }) => !given.has(key))) throw new InvalidInputError('input.scores', { id: 'fidelity.itemsEachOnce' });
  const scores = FIDELITY_ITEMS.map(({ key }) => ({ item: key, score: given.get(key)! }));
  const actionPlan = cleanText('input.actionPlan', request.actionPlan, { max: 10_000, multiline: true });
  const actionPlanCategory = request.actionPlanCategory ?? 'administrative';
  if (!(FREE_TEXT_CATEGORIES as readonly string[]).includes(actionPlanCategory)) {
    throw new InvalidInputError('input.actionPlanCategory', { id: 'text.categoryOneOf', params: { categories: FREE_TEXT_CATEGORIES.join(', ') } });
  }
  const total = scores.reduce((sum, { score }) => sum + score, 0);
  return { team, reviewedOn: request.reviewedOn, secondReviewer, scores, total, actionPlan, actionPlanCategory: actionPlanCategory as DataCategory };
}

/** A team's reviews in date order, each with its band and its change from the previous one: the trend. */
function withTrend(rows: ReviewRow[]): FidelityReviewView[] {
  const previous = new Map<string, number>();
  return rows.map((row) => {
    const before = previous.get(row.team);
    previous.set(row.team, row.total);
    return {
      id: row.id,
      team: row.team,
      reviewedOn: row.reviewed_on,
      reviewers: [row.first_reviewer, row.second_reviewer],
      scores: FIDELITY_ITEMS.map(({ key }) => ({ item: key, score: row.scores[key]! })),
      total: row.total,
      band: fidelityBand(row.total),
      changeFromPrevious: before === undefined ? null : row.total - before,
      actionPlan: row.action_plan,
      actionPlanCategory: row.action_plan_category,
      recordedAt: new Date(row.recorded_at),
    };
  });
}

const COLUMNS = `id, team, to_char(reviewed_on, 'YYYY-MM-DD') as reviewed_on, first_reviewer, second_reviewer, scores, total, action_plan, action_plan_category, recorded_at`;

export class FidelityService {
  constructor(private readonly context: SubgraphContext) {}

  record(request: FidelityReviewRequest, idempotencyKey: string): Promise<FidelityReviewView> {
    return runCommand(this.context, {
      action: 'recordFidelityReview',
      idempotencyKey,
      args: request,
      validate: () => validateReview(request, this.context.identity.subject),
      target: async (tx, review) => {
        const [convention] = await queryRows<{ code: string }>(tx, 'select code from billing.published_convention where code = ?', [review.team]);
        if (!convention) return undefined;
        // The team is the target: its reviews are decided one at a time (one per date).
        await queryRows(tx, 'select pg_advisory_xact_lock(hashtext(?))', [`research.fidelity_review:${convention.code}`]);
        // The co-reviewer is a reviewer too: an active researcher or INAMI agent of the staff directory (ACTIONS.recordFidelityReview).
        const [coReviewer] = await queryRows(
          tx,
          "select 1 from participants.published_staff_member where subject = ? and active and function in ('RESEARCHER', 'INAMI_AGENT') limit 1",
          [review.secondReviewer],
        );
        if (!coReviewer) throw new InvalidInputError('input.secondReviewer', { id: 'fidelity.reviewerNotStaff' });
        const [existing] = await queryRows(tx, 'select 1 from research.fidelity_review where team = ? and reviewed_on = ?', [convention.code, review.reviewedOn]);
        return { organisation: convention.code, state: { noReviewOnDate: !existing } };
      },
      apply: async (tx, review) => {
        const id = randomUUID();
        await queryRows(
          tx,
          `insert into research.fidelity_review (id, team, reviewed_on, first_reviewer, second_reviewer, scores, total, action_plan, action_plan_category,
             recorded_by, idempotency_key, requested_by, request_fingerprint)
           values (?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?)`,
          [
            id,
            review.team,
            review.reviewedOn,
            tx.identity.subject,
            review.secondReviewer,
            JSON.stringify(Object.fromEntries(review.scores.map(({ item, score }) => [item, score]))),
            review.total,
            review.actionPlan,
            review.actionPlanCategory,
            tx.identity.subject,
            tx.idempotency.idempotencyKey,
            tx.idempotency.requestedBy,
            tx.idempotency.requestFingerprint,
          ],
        );
        return id;
      },
      answer: async (id) => {
        const [row] = await queryRows<{ team: string }>(this.context, 'select team from research.fidelity_review where id = ?', [id]);
        return (await this.reviews(row!.team)).find((review) => review.id === id)!;
      },
    });
  }

  /**
   * Reviews in team and date order with their trend, one query. A role that reads only its own
   * organisation's (ORGANISATION_RECORDS) gets its team's, and nothing of another team — as if none.
   */
  async reviews(team?: string | null): Promise<FidelityReviewView[]> {
    const own = ORGANISATION_RECORDS.FidelityReview?.[this.context.identity.role];
    const conditions: string[] = [];
    const params: unknown[] = [];
    if (own) {
      conditions.push('team = ?');
      params.push(this.context.identity.organisation);
    }
    if (team != null) {
      conditions.push('team = ?');
      params.push(team.trim());
    }
    const where = conditions.length > 0 ? `where ${conditions.join(' and ')}` : '';
    return withTrend(await queryRows<ReviewRow>(this.context, `select ${COLUMNS} from research.fidelity_review ${where} order by team, reviewed_on`, params));
  }
}
