/**
 * A subgraph slower than the gateway's deadline (IPS_SUBGRAPH_TIMEOUT_MS, 15 s by default) costs the
 * caller that part of the answer, told as what it is: TIMEOUT at the path of each field the subgraph
 * was asked for, `retryable` with a `retryAfter` hint (HTTP 503 and Retry-After when nothing else
 * was answered, as for UNAVAILABLE) — never INTERNAL_SERVER_ERROR. Asked with the integrators'
 * dashboard read itself (web/dashboard/operations.graphql). The subgraph is made slow as a busy
 * database makes it: the table its reads need (the published snapshots, research.aggregate_snapshot)
 * is locked by the administrator, so nothing in the platform waits on purpose.
 */
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { DEFAULT_IDENTITY, startTestPlatform, type TestPlatform } from './harness.js';

/** Small, so that the locked read is past it long before the role's own lock timeout (5 s) ends the wait. */
const SUBGRAPH_TIMEOUT_MS = 1500;
const DASHBOARD = readFileSync(new URL('../web/dashboard/operations.graphql', import.meta.url), 'utf8');
/** The dashboard's root fields the research subgraph answers (the rest are billing's and the gateway's own). */
const RESEARCH_FIELDS = ['referrals', 'activity', 'questionnaires', 'coachCaseloads', 'teamFidelity', 'consortFlow'];

let graph: TestPlatform;
beforeAll(async () => {
  graph = await startTestPlatform({ seedDemo: true, subgraphTimeoutMs: SUBGRAPH_TIMEOUT_MS });
  await graph.snapshotsCurrent(); // every published table stored: what is read below is there, only locked
}, 240_000);
afterAll(async () => {
  await graph?.stop();
});

function adminUrl(): string {
  const server = new URL(process.env.TEST_DATABASE_URL!);
  server.pathname = new URL(graph.databaseUrls.participants).pathname;
  return server.toString();
}

/** Holds an ACCESS EXCLUSIVE lock on a table (as its administrator) while `run` runs: every read of it waits, a published table's computation too. */
async function withTableLocked<T>(table: string, run: () => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    await admin.query('begin');
    await admin.query(`lock table ${table} in access exclusive mode`);
    return await run();
  } finally {
    await admin.query('rollback');
    await admin.end();
  }
}

interface Answer {
  status: number;
  retryAfter: string | null;
  text: string;
  body: {
    data?: Record<string, unknown> | null;
    errors?: { path?: (string | number)[]; extensions?: Record<string, unknown> }[];
  };
}

async function askAsIntegrator(query: string, operationName?: string): Promise<Answer> {
  const response = await fetch(`${graph.platform.gateway.url}graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${await graph.tokenFor(DEFAULT_IDENTITY.INTEGRATOR)}`,
    },
    body: JSON.stringify({ query, operationName, variables: { region: null } }),
  });
  const text = await response.text();
  return {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    text,
    body: JSON.parse(text) as Answer['body'],
  };
}

const told = (answer: Answer) =>
  (answer.body.errors ?? []).map((error) => ({
    path: error.path?.join('.'),
    code: error.extensions?.code,
    retryable: error.extensions?.retryable,
    messageId: error.extensions?.messageId,
  }));

describe("a subgraph slower than the gateway's deadline", () => {
  // Both reads at once, while the table of the research subgraph's published snapshots is locked:
  // each has to read it, and neither can be answered before the gateway's deadline.
  let whole: Answer;
  let partial: Answer;
  beforeAll(async () => {
    [whole, partial] = await withTableLocked('research.aggregate_snapshot', () =>
      Promise.all([
        askAsIntegrator(DASHBOARD, 'Dashboard'),
        askAsIntegrator('query Partial { conventions { code } consortFlow { randomised } }'),
      ]),
    );
  }, 60_000);

  it("tells the dashboard's read TIMEOUT at the path of every field the slow subgraph owed, retryable, never INTERNAL_SERVER_ERROR", () => {
    const timedOut = told(whole).filter((error) => RESEARCH_FIELDS.includes(error.path ?? ''));
    expect(timedOut.map((error) => error.path).sort()).toEqual([...RESEARCH_FIELDS].sort());
    for (const error of timedOut)
      expect(error).toEqual({ path: error.path, code: 'TIMEOUT', retryable: true, messageId: 'timeout.subgraph' });
    expect(whole.text).not.toMatch(/INTERNAL_SERVER_ERROR/);
    // The dashboard's tables are non-null fields: with them gone nothing is left to answer, so the whole answer is the retryable failure.
    expect([whole.status, whole.retryAfter]).toEqual([503, '1']);
  });

  it('keeps what the other subgraphs answered, the slow one TIMEOUT at its own path (HTTP 200)', () => {
    expect(partial.status).toBe(200);
    expect(partial.body.data).toMatchObject({
      conventions: expect.arrayContaining([{ code: 'ARTICLE-23' }]),
      consortFlow: null,
    });
    expect(told(partial)).toEqual([
      { path: 'consortFlow', code: 'TIMEOUT', retryable: true, messageId: 'timeout.subgraph' },
    ]);
  });
});
