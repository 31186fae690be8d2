/**
 * IPS-25 fidelity reviews per IPS team (DOMAIN.md "IPS-25 fidelity scale"), through the gateway:
 * the bands at their cut-offs, the trend over a team's reviews, who reads which team's reviews
 * (ORGANISATION_RECORDS.FidelityReview: a supervisor their own team's; INAMI and researchers all),
 * who records them (ACTIONS.recordFidelityReview), bad input named and never written, one review per
 * team and date (CONFLICT), and an idempotent retry.
 */
import { randomUUID } from 'node:crypto';
import type { Identity } from '../schema/identity.js';
import { belgianToday } from '../subgraphs/kit/domain.js';
import { FIDELITY_ITEMS } from '../subgraphs/research/services/fidelity-scale.js';
import { DEFAULT_IDENTITY, errorCodes, startTestPlatform, type GraphQLResponse, type TestPlatform } from './harness.js';

let graph: TestPlatform;
const INAMI_REVIEWER: Identity = { role: 'INAMI', organisation: 'INAMI', subject: 'inami-fidelity-reviewer' };
beforeAll(async () => {
  graph = await startTestPlatform();
  // INAMI reviewers are its agents in the staff directory (ACTIONS.recordFidelityReview: staff INAMI_AGENT).
  const admin: Identity = { role: 'INAMI', organisation: 'INAMI', subject: 'inami-directory-admin' };
  const enrolled = await graph.query(
    admin,
    'mutation($input: EnrolStaffMemberInput!) { enrolStaffMember(input: $input) { id } }',
    {
      input: { subject: INAMI_REVIEWER.subject, function: 'INAMI_AGENT', displayName: 'INAMI reviewer' },
    },
  );
  expect(enrolled.errors).toBeUndefined();
  await graph.enrol({ role: 'RESEARCHER', organisation: 'ULB', subject: 'researcher-2' }); // the usual co-reviewer
}, 120_000);
afterAll(async () => {
  await graph?.stop();
});

const TODAY = belgianToday();
const daysAgo = (days: number) =>
  new Date(Date.parse(`${TODAY}T12:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);

/** Consensus scores (1–5 per item) that add up to `total`: every item 1, then the rest spread item by item. */
function scoresTotalling(total: number): { item: string; score: number }[] {
  let extra = total - FIDELITY_ITEMS.length;
  return FIDELITY_ITEMS.map((item) => {
    const add = Math.min(4, extra);
    extra -= add;
    return { item: item.key, score: 1 + add };
  });
}

const RECORD = `mutation($input: RecordFidelityReviewInput!, $key: String!) {
  recordFidelityReview(input: $input, idempotencyKey: $key) { id team reviewedOn reviewers total band changeFromPrevious actionPlan actionPlanCategory scores { item score } }
}`;
const REVIEWS =
  'query($team: String) { fidelityReviews(team: $team) { id team reviewedOn total band changeFromPrevious } }';

interface Review {
  id: string;
  team: string;
  reviewedOn: string;
  reviewers: string[];
  total: number;
  band: string;
  changeFromPrevious: number | null;
  actionPlan: string;
  actionPlanCategory: string;
  scores: { item: string; score: number }[];
}
type Input = {
  team: string;
  reviewedOn: string;
  secondReviewer: string;
  scores: { item: string; score: number }[];
  actionPlan: string;
  actionPlanCategory?: string;
};

const input = (team: string, reviewedOn: string, total: number, extra: Partial<Input> = {}): Input => ({
  team,
  reviewedOn,
  secondReviewer: 'researcher-2',
  scores: scoresTotalling(total),
  actionPlan: 'Job development: each coach meets six employers a week.\nFollow-along supports reviewed monthly.',
  ...extra,
});
const record = (as: Identity | 'RESEARCHER' | 'INAMI' | 'SUPERVISOR', value: Input, key = randomUUID()) =>
  graph.query<{ recordFidelityReview: Review }>(as === 'INAMI' ? INAMI_REVIEWER : as, RECORD, { input: value, key });
const reviews = async (as: Identity | 'RESEARCHER' | 'INAMI' | 'SUPERVISOR', team?: string) => {
  const response = await graph.query<{ fidelityReviews: Review[] }>(as === 'INAMI' ? INAMI_REVIEWER : as, REVIEWS, {
    team: team ?? null,
  });
  expect(response.errors).toBeUndefined();
  return response.data!.fidelityReviews;
};
const count = async () =>
  Number((await graph.sql<{ n: string }>('select count(*) as n from research.fidelity_review'))[0]!.n);
const fieldOf = (response: GraphQLResponse) => [errorCodes(response), response.errors?.[0]?.extensions?.field];

const ISPPC_SUPERVISOR: Identity = { role: 'SUPERVISOR', organisation: 'ISPPC', subject: 'supervisor-isppc' };
const EQUIPE_SUPERVISOR: Identity = { role: 'SUPERVISOR', organisation: 'EQUIPE-MASS', subject: 'supervisor-equipe' };

describe('bands at their cut-offs, and the trend', () => {
  // Article 23's reviews, a month apart, oldest first: each total at one side of a cut-off.
  const totals: [number, string][] = [
    [73, 'NOT_IPS'],
    [74, 'FAIR'],
    [99, 'FAIR'],
    [100, 'GOOD'],
    [114, 'GOOD'],
    [115, 'EXEMPLARY'],
  ];

  it.each(totals.map(([total, band], index) => [total, band, index] as const))(
    'a total of %i is banded %s',
    async (total, band, index) => {
      const response = await record(
        index % 2 === 0 ? 'RESEARCHER' : 'INAMI',
        input('ARTICLE-23', daysAgo(30 * (totals.length - index)), total),
      );
      expect(response.errors).toBeUndefined();
      expect(response.data!.recordFidelityReview).toMatchObject({ team: 'ARTICLE-23', total, band });
      expect(response.data!.recordFidelityReview.scores.map((s) => s.item)).toEqual(
        FIDELITY_ITEMS.map((item) => item.key),
      );
    },
  );

  it("lists a team's reviews in date order, with each change from the previous one", async () => {
    const trend = await reviews('RESEARCHER', 'ARTICLE-23');
    expect(trend.map((review) => [review.total, review.band, review.changeFromPrevious])).toEqual([
      [73, 'NOT_IPS', null],
      [74, 'FAIR', 1],
      [99, 'FAIR', 25],
      [100, 'GOOD', 1],
      [114, 'GOOD', 14],
      [115, 'EXEMPLARY', 1],
    ]);
    expect(trend.map((review) => review.reviewedOn)).toEqual([...trend.map((review) => review.reviewedOn)].sort());
  });
});

describe('who reads which team', () => {
  beforeAll(async () => {
    const response = await record('RESEARCHER', input('ISPPC', daysAgo(10), 90, { actionPlanCategory: 'EMPLOYMENT' }));
    expect(response.errors).toBeUndefined();
    expect(response.data!.recordFidelityReview).toMatchObject({
      reviewers: ['researcher-1', 'researcher-2'],
      actionPlanCategory: 'EMPLOYMENT',
    });
  });

  it("the team's supervisor reads their own team's reviews only, whichever team they ask for", async () => {
    expect((await reviews('SUPERVISOR')).map((review) => review.team)).toEqual(Array(6).fill('ARTICLE-23'));
    expect((await reviews(ISPPC_SUPERVISOR)).map((review) => [review.team, review.total])).toEqual([['ISPPC', 90]]);
    expect(await reviews(ISPPC_SUPERVISOR, 'ARTICLE-23')).toEqual([]);
  });

  it("another partner's supervisor sees nothing: exactly as for a team that has no review", async () => {
    expect(DEFAULT_IDENTITY.SUPERVISOR.organisation).toBe('ARTICLE-23');
    const other = await graph.query(EQUIPE_SUPERVISOR, REVIEWS, { team: 'ARTICLE-23' });
    const none = await graph.query(EQUIPE_SUPERVISOR, REVIEWS, { team: 'EQUIPE-MASS' });
    expect(other).toEqual(none);
    expect(other.data).toEqual({ fidelityReviews: [] });
  });

  it('answers every team in as many SQL statements as one team with one review (no N+1)', async () => {
    const statements = async (team: string | null) => {
      const response = await graph.query(
        INAMI_REVIEWER,
        'query($team: String) { fidelityReviews(team: $team) { team total band scores { item score } } }',
        { team },
      );
      expect(response.errors).toBeUndefined();
      return response.extensions!.sqlStatements as number;
    };
    const [all, one] = [await statements(null), await statements('ISPPC')];
    console.log(`fidelityReviews SQL statements: 7 reviews of 2 teams → ${all}, 1 review → ${one}`);
    expect(all).toBe(one);
  });

  it.each(['INAMI', 'RESEARCHER'] as const)('%s reads every team', async (role) => {
    const all = await reviews(role);
    expect(all.map((review) => review.team)).toEqual([...Array(6).fill('ARTICLE-23'), 'ISPPC']);
  });

  // The field is not in these roles' schemas (schema/roles/*, from OPERATIONS): refused before anything runs.
  it.each(['JOB_COACH', 'SRE', 'OA', 'MEDECIN_CONSEIL', 'INTEGRATOR', 'PARTICIPANT'] as const)(
    '%s may not read reviews',
    async (role) => {
      expect(errorCodes(await graph.query(role, REVIEWS, {}))).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    },
  );

  it('a supervisor may not record a review of their own team (reviewers come from outside it)', async () => {
    const before = await count();
    const refused = await record('SUPERVISOR', input('ARTICLE-23', daysAgo(3), 100));
    expect(new Set(errorCodes(refused))).toEqual(new Set(['GRAPHQL_VALIDATION_FAILED'])); // not in the SUPERVISOR schema (ACTIONS grants no supervisor)
    expect(await count()).toBe(before);
  });
});

describe('bad input is named and writes nothing', () => {
  const base = () => input('ISPPC', daysAgo(2), 100);
  it.each<[string, (value: Input) => Input, string]>([
    [
      'an item scored twice',
      (v) => ({ ...v, scores: [...v.scores.slice(0, 24), { item: v.scores[0]!.item, score: 2 }] }),
      'input.scores.24',
    ], // the kit's input guard: one entry per item
    ['an item missing', (v) => ({ ...v, scores: v.scores.slice(0, 24) }), 'input.scores'],
    [
      'a score of 6',
      (v) => ({ ...v, scores: v.scores.map((s, i) => (i === 5 ? { ...s, score: 6 } : s)) }),
      'input.scores.5.score',
    ],
    [
      'a score of 0',
      (v) => ({ ...v, scores: v.scores.map((s, i) => (i === 0 ? { ...s, score: 0 } : s)) }),
      'input.scores.0.score',
    ],
    [
      'the recording reviewer named again as the second',
      (v) => ({ ...v, secondReviewer: 'researcher-1' }),
      'input.secondReviewer',
    ],
    [
      'a co-reviewer who is no researcher or INAMI agent',
      (v) => ({ ...v, secondReviewer: 'supervisor-1' }),
      'input.secondReviewer',
    ],
    ['a review dated tomorrow', (v) => ({ ...v, reviewedOn: daysAgo(-1) }), 'input.reviewedOn'],
    [
      'research declared for the action plan',
      (v) => ({ ...v, actionPlanCategory: 'RESEARCH' }),
      'input.actionPlanCategory',
    ],
  ])('%s', async (_case, change, field) => {
    const before = await count();
    expect(fieldOf(await record('RESEARCHER', change(base())))).toEqual([['BAD_USER_INPUT'], field]);
    expect(await count()).toBe(before);
  });

  it('a team that has no convention is not found', async () => {
    expect(errorCodes(await record('RESEARCHER', input('NO-SUCH-TEAM', daysAgo(2), 100)))).toEqual(['NOT_FOUND']);
  });
});

describe('one review per team and date; retries', () => {
  it('a second review of the same team on the same date is a CONFLICT, whoever records it', async () => {
    const first = await record('RESEARCHER', input('EQUIPE-MASS', daysAgo(5), 80));
    expect(first.errors).toBeUndefined();
    const second = await record('INAMI', input('EQUIPE-MASS', daysAgo(5), 81));
    expect(errorCodes(second)).toEqual(['CONFLICT']);
    expect(second.errors![0]!.extensions!.messageId).toBe('precondition.noReviewOnDate');
    expect((await reviews('INAMI', 'EQUIPE-MASS')).map((review) => review.total)).toEqual([80]);
  });

  it('a retry with the same key gets the first answer and writes once; the key reused for another review is a CONFLICT', async () => {
    const key = randomUUID();
    const value = input('VDAB-GTB', daysAgo(4), 110);
    const first = await record('RESEARCHER', value, key);
    const retry = await record('RESEARCHER', value, key);
    expect(first.errors).toBeUndefined();
    expect(retry.data!.recordFidelityReview).toEqual(first.data!.recordFidelityReview);
    expect((await reviews('RESEARCHER', 'VDAB-GTB')).length).toBe(1);
    const reused = await record('RESEARCHER', { ...value, reviewedOn: daysAgo(3) }, key);
    expect(errorCodes(reused)).toEqual(['CONFLICT']);
    expect((await reviews('RESEARCHER', 'VDAB-GTB')).length).toBe(1);
  });
});

describe('the scale as data', () => {
  it('lists the 25 items by section, each with its label in French, Dutch and English (vocabulary)', async () => {
    const scale = await graph.query<{ fidelityScale: { item: string; section: string; position: number }[] }>(
      'SUPERVISOR',
      '{ fidelityScale { item section position } }',
    );
    expect(scale.errors).toBeUndefined();
    expect(scale.data!.fidelityScale.map((entry) => entry.position)).toEqual(
      Array.from({ length: 25 }, (_, index) => index + 1),
    );
    expect(
      scale.data!.fidelityScale.filter((entry) => entry.section === 'STAFFING').map((entry) => entry.item),
    ).toEqual(['CASELOAD_SIZE', 'EMPLOYMENT_SERVICES_STAFF', 'VOCATIONAL_GENERALISTS']);
    const VOCABULARY =
      'query($enums: [String!]) { vocabulary(enums: $enums) { language enums { name values { value label } } } }';
    type Vocabulary = {
      vocabulary: { language: string; enums: { name: string; values: { value: string; label: string }[] }[] };
    };
    const labels = async (language: string) => {
      const { data, errors } = await graph.query<Vocabulary>(
        'RESEARCHER',
        VOCABULARY,
        { enums: ['FidelityItem', 'FidelityBand'] },
        { 'accept-language': language },
      );
      expect(errors).toBeUndefined();
      return Object.fromEntries(
        data!.vocabulary.enums.map((e) => [e.name, Object.fromEntries(e.values.map((v) => [v.value, v.label]))]),
      );
    };
    const [en, fr, nl] = [await labels('en'), await labels('fr-BE'), await labels('nl-BE')];
    for (const vocabulary of [en, fr, nl]) expect(Object.keys(vocabulary.FidelityItem!)).toHaveLength(25);
    expect([en.FidelityItem!.ZERO_EXCLUSION, fr.FidelityItem!.ZERO_EXCLUSION, nl.FidelityItem!.ZERO_EXCLUSION]).toEqual(
      ['Zero exclusion criteria', 'Zéro exclusion', 'Geen uitsluiting'],
    );
    expect([en.FidelityBand!.NOT_IPS, fr.FidelityBand!.NOT_IPS, nl.FidelityBand!.NOT_IPS]).toEqual([
      'Not supported employment (IPS)',
      'Pas de l’IPS',
      'Geen IPS',
    ]);
  });
});

describe('a race', () => {
  it('two reviews of one team and date sent at once: one is recorded, the other gets CONFLICT', async () => {
    const [a, b] = await Promise.all([
      record('RESEARCHER', input('ISPPC', daysAgo(20), 95)),
      record('INAMI', input('ISPPC', daysAgo(20), 96)),
    ]);
    expect([errorCodes(a), errorCodes(b)].sort()).toEqual([[], ['CONFLICT']]);
    expect((await reviews('INAMI', 'ISPPC')).filter((review) => review.reviewedOn === daysAgo(20))).toHaveLength(1);
  });
});
