/** The IPS-25 scale (DOMAIN.md): 25 items, totals 25–125, the standard bands at their cut-offs, and the review's input checks. */
import { GraphQLError } from 'graphql';
import { FIDELITY_ITEMS, fidelityBand } from './fidelity-scale.js';
import { validateReview, type FidelityReviewRequest } from './fidelity.service.js';

describe('the IPS-25 scale', () => {
  it('has the 25 items of DOMAIN.md, each once, in three sections (3 staffing, 8 organisation, 14 services)', () => {
    expect(new Set(FIDELITY_ITEMS.map((item) => item.key)).size).toBe(25);
    const count = (section: string) => FIDELITY_ITEMS.filter((item) => item.section === section).length;
    expect([count('STAFFING'), count('ORGANISATION'), count('SERVICES')]).toEqual([3, 8, 14]);
  });

  it.each([
    [25, 'NOT_IPS'],
    [73, 'NOT_IPS'],
    [74, 'FAIR'],
    [99, 'FAIR'],
    [100, 'GOOD'],
    [114, 'GOOD'],
    [115, 'EXEMPLARY'],
    [125, 'EXEMPLARY'],
  ])('a total of %i is %s', (total, band) => {
    expect(fidelityBand(total)).toBe(band);
  });

  it.each([24, 126, 99.5])('refuses %s, which no review can total', (total) => {
    expect(() => fidelityBand(total)).toThrow(RangeError);
  });
});

describe('validateReview', () => {
  const valid = (): FidelityReviewRequest => ({
    team: 'ISPPC',
    reviewedOn: '2026-03-02',
    secondReviewer: 'researcher-2',
    scores: FIDELITY_ITEMS.map((item) => ({ item: item.key, score: 4 })),
    actionPlan: 'Weekly job development hours for each coach.',
  });
  const fieldOf = (request: FidelityReviewRequest) => {
    try {
      validateReview(request, 'researcher-1', '2026-03-10');
    } catch (error) {
      expect(error).toBeInstanceOf(GraphQLError);
      return [(error as GraphQLError).extensions.code, (error as GraphQLError).extensions.field];
    }
    return undefined;
  };

  it('sums the consensus scores in the order of the scale, administrative by default', () => {
    const review = validateReview({ ...valid(), scores: [...valid().scores].reverse() }, 'researcher-1', '2026-03-10');
    expect(review.total).toBe(100);
    expect(review.scores.map((s) => s.item)).toEqual(FIDELITY_ITEMS.map((item) => item.key));
    expect(review.actionPlanCategory).toBe('administrative');
  });

  it.each<[string, (r: FidelityReviewRequest) => FidelityReviewRequest, string]>([
    [
      'an item twice',
      (r) => ({ ...r, scores: [...r.scores.slice(0, 24), { item: r.scores[0]!.item, score: 3 }] }),
      'input.scores.24.item',
    ],
    ['an item missing', (r) => ({ ...r, scores: r.scores.slice(1) }), 'input.scores'],
    [
      'a score of 6',
      (r) => ({ ...r, scores: r.scores.map((s, i) => (i === 3 ? { ...s, score: 6 } : s)) }),
      'input.scores.3.score',
    ],
    [
      'a score of 0',
      (r) => ({ ...r, scores: r.scores.map((s, i) => (i === 0 ? { ...s, score: 0 } : s)) }),
      'input.scores.0.score',
    ],
    ['the caller as second reviewer', (r) => ({ ...r, secondReviewer: 'researcher-1' }), 'input.secondReviewer'],
    ['a date in the future', (r) => ({ ...r, reviewedOn: '2026-03-11' }), 'input.reviewedOn'],
    [
      'research as the action plan category',
      (r) => ({ ...r, actionPlanCategory: 'research' }),
      'input.actionPlanCategory',
    ],
    ['an empty action plan', (r) => ({ ...r, actionPlan: '  ' }), 'input.actionPlan'],
  ])('refuses %s, naming the field', (_case, change, field) => {
    expect(fieldOf(change(valid()))).toEqual(['BAD_USER_INPUT', field]);
  });
});
