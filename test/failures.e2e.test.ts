/**
 * Failures a client can act on: when what the graph depends on fails — PostgreSQL out, its pool
 * exhausted, a statement or lock wait past its timeout, a subgraph down or past the gateway's
 * deadline — the client reads its own code at the path (UNAVAILABLE, TIMEOUT), `retryable` with a
 * `retryAfter` hint, HTTP 503 and Retry-After when the whole answer failed so; never
 * INTERNAL_SERVER_ERROR, never the driver's or the network's words.
 */
import pg from 'pg';
import { signGatewayToken } from '../gateway/identity.js';
import { transientFailure } from '../subgraphs/kit/failures.js';
import { DEFAULT_IDENTITY, startTestPlatform, type TestPlatform } from './harness.js';

const SUBGRAPH_TIMEOUT_MS = 1500;
let graph: TestPlatform;
beforeAll(async () => {
  graph = await startTestPlatform({ databaseRelay: true, subgraphTimeoutMs: SUBGRAPH_TIMEOUT_MS });
});
afterAll(async () => {
  await graph?.stop();
});

interface Answer {
  status: number;
  retryAfter: string | null;
  text: string;
  body: {
    data?: Record<string, unknown> | null;
    errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
  };
}

async function ask(query: string, as = DEFAULT_IDENTITY.INAMI, variables?: Record<string, unknown>): Promise<Answer> {
  const response = await fetch(`${graph.platform.gateway.url}graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await graph.tokenFor(as)}` },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  return {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    text,
    body: JSON.parse(text) as Answer['body'],
  };
}

/** What a client reads of each error: its path, code, retry hint and catalogue message. */
const told = (answer: Answer) =>
  (answer.body.errors ?? []).map((error) => ({
    path: error.path,
    code: error.extensions?.code,
    retryable: error.extensions?.retryable,
    messageId: error.extensions?.messageId,
  }));
/** Nothing internal in an answer: no internal code, no driver, socket or address. */
const INTERNALS =
  /INTERNAL_SERVER_ERROR|ECONN|EPIPE|terminat|socket|fetch failed|abort|127\.0\.0\.1|localhost|postgres|pg_|\bsqlstate\b|\bstack\b/i;

/** Holds an ACCESS EXCLUSIVE lock on a table (as its administrator) while `run` runs: every read of it waits. */
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

describe("a subgraph past the gateway's deadline is TIMEOUT at its path", () => {
  it('answers 503 with Retry-After when it was the whole answer, and keeps the rest of a partial one', async () => {
    await withTableLocked('billing.convention', async () => {
      const whole = await ask('{ conventions { code } }');
      expect([whole.status, whole.retryAfter]).toEqual([503, '1']);
      expect(told(whole)).toEqual([
        { path: ['conventions'], code: 'TIMEOUT', retryable: true, messageId: 'timeout.subgraph' },
      ]);
      expect(whole.text).not.toMatch(INTERNALS);

      const partial = await ask('{ conventions { code } trialDesigns { version } }');
      expect(partial.status).toBe(200);
      expect(partial.body.data).toMatchObject({ conventions: null, trialDesigns: expect.any(Array) });
      expect(told(partial)).toEqual([
        { path: ['conventions'], code: 'TIMEOUT', retryable: true, messageId: 'timeout.subgraph' },
      ]);
    });
  });
});

describe('a read past its lock or statement timeout is TIMEOUT at its path, not a lost race', () => {
  it("tells a read that waited out the role's lock timeout (5 s) as TIMEOUT, at the subgraph itself", async () => {
    const token = `Bearer ${await signGatewayToken(DEFAULT_IDENTITY.INAMI, graph.keys.gateway.privateKey)}`;
    const answer = await withTableLocked('billing.convention', () =>
      graph.querySubgraph('billing', '{ conventions { code } }', token),
    );
    expect(
      answer.errors?.map((error) => [
        error.path,
        error.extensions?.code,
        error.extensions?.retryable,
        error.extensions?.messageId,
      ]),
    ).toEqual([[['conventions'], 'TIMEOUT', true, 'timeout.statement']]);
    expect(JSON.stringify(answer)).not.toMatch(INTERNALS);
  }, 30_000);
});

describe("PostgreSQL's own failures are told by what they are", () => {
  const appPool = () =>
    new pg.Pool({ connectionString: graph.databaseUrls.participants, max: 1, connectionTimeoutMillis: 200 });

  it('a pool with no free connection within its acquire timeout: UNAVAILABLE (busy)', async () => {
    const pool = appPool();
    const held = await pool.connect();
    try {
      const error = await pool.connect().then(
        () => undefined,
        (failure: unknown) => failure,
      );
      expect(transientFailure(error)?.extensions).toMatchObject({
        code: 'UNAVAILABLE',
        messageId: 'unavailable.busy',
        retryable: true,
      });
    } finally {
      held.release();
      await pool.end();
    }
  });

  it('a statement past statement_timeout (57014): TIMEOUT', async () => {
    const client = new pg.Client({ connectionString: graph.databaseUrls.participants });
    await client.connect();
    try {
      await client.query("set statement_timeout = '50ms'");
      const error = await client.query('select pg_sleep(2)').then(
        () => undefined,
        (failure: unknown) => failure,
      );
      expect((error as { code?: string }).code).toBe('57014');
      expect(transientFailure(error)?.extensions).toMatchObject({ code: 'TIMEOUT', messageId: 'timeout.statement' });
    } finally {
      await client.end();
    }
  });

  it('a connection the server ends (57P01, an administrator or a shutdown): UNAVAILABLE', async () => {
    const client = new pg.Client({ connectionString: graph.databaseUrls.participants });
    client.on('error', () => undefined);
    await client.connect();
    const [{ pid }] = (await client.query<{ pid: number }>('select pg_backend_pid() as pid')).rows as [{ pid: number }];
    const running = client.query('select pg_sleep(5)').then(
      () => undefined,
      (failure: unknown) => failure,
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    await graph.sql('select pg_terminate_backend($1)', [pid]);
    const error = await running;
    expect(transientFailure(error)?.extensions).toMatchObject({
      code: 'UNAVAILABLE',
      messageId: 'unavailable.database',
    });
    await client.end().catch(() => undefined);
  });

  it('no statement of a client fault or a bug becomes one (a syntax error, a constraint)', async () => {
    const syntax = await graph.roleSql('participants', 'selec 1').then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect(transientFailure(syntax)).toBeUndefined();
    expect(transientFailure(new Error('Cannot read properties of undefined'))).toBeUndefined();
  });
});

describe('an outage of PostgreSQL is UNAVAILABLE at every path, then passes', () => {
  it('answers 503 UNAVAILABLE with Retry-After to reads and writes while the database is out, and serves again once it is back', async () => {
    expect((await ask('{ conventions { code } }')).status).toBe(200);
    await graph.databaseRelay!.cut();
    try {
      // An outage that outlasts the subgraphs' retries (their budget ends before the gateway's 1.5 s deadline) is told as one.
      const read = await ask('{ conventions { code } trialDesigns { version } }');
      expect([read.status, read.retryAfter]).toEqual([503, '5']);
      const byPath = told(read).sort((a, b) => String(a.path).localeCompare(String(b.path)));
      expect(byPath).toEqual([
        { path: ['conventions'], code: 'UNAVAILABLE', retryable: true, messageId: 'unavailable.database' },
        { path: ['trialDesigns'], code: 'UNAVAILABLE', retryable: true, messageId: 'unavailable.database' },
      ]);
      expect(read.text).not.toMatch(INTERNALS);

      const write = await ask(
        'mutation($key: String!) { enrolStaffMember(input: { subject: "outage-1", function: INAMI_AGENT, displayName: "Outage" }, idempotencyKey: $key) { id } }',
        DEFAULT_IDENTITY.INAMI,
        { key: 'outage-enrol-0001' },
      );
      expect([write.status, told(write)]).toEqual([
        503,
        [{ path: ['enrolStaffMember'], code: 'UNAVAILABLE', retryable: true, messageId: 'unavailable.database' }],
      ]);
      expect(write.text).not.toMatch(INTERNALS);
    } finally {
      await graph.databaseRelay!.restore();
    }
    // The pool reconnects by itself: the next requests are served (within a few seconds).
    const deadline = Date.now() + 15_000;
    let back = await ask('{ conventions { code } }');
    while (back.status !== 200 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      back = await ask('{ conventions { code } }');
    }
    expect([back.status, back.body.errors]).toEqual([200, undefined]);
  }, 60_000);
});

describe('a pool with no connection free is UNAVAILABLE (busy) at its path, through the gateway', () => {
  it('answers 503 with the busy hint when every pooled connection of the subgraph is taken, and serves once one is free', async () => {
    const billing = graph.platform.subgraphs.find((subgraph) => subgraph.name === 'billing')!;
    const pool = (await billing.orm.em.getConnection().getNativeClient()) as unknown as pg.Pool & {
      options: { max: number; connectionTimeoutMillis: number };
    };
    const held = await Promise.all(Array.from({ length: pool.options.max }, () => pool.connect()));
    // The pool's acquire timeout (5 s) shortened below the gateway's deadline (1.5 s here), so the subgraph's own answer arrives.
    const acquireTimeout = pool.options.connectionTimeoutMillis;
    pool.options.connectionTimeoutMillis = 300;
    try {
      const busy = await ask('{ conventions { code } }');
      expect([busy.status, busy.retryAfter]).toEqual([503, '1']);
      expect(told(busy)).toEqual([
        { path: ['conventions'], code: 'UNAVAILABLE', retryable: true, messageId: 'unavailable.busy' },
      ]);
      expect(busy.text).not.toMatch(INTERNALS);
    } finally {
      pool.options.connectionTimeoutMillis = acquireTimeout;
      for (const client of held) client.release();
    }
    const free = await ask('{ conventions { code } }');
    expect([free.status, free.body.errors]).toEqual([200, undefined]);
  });
});

describe('a subgraph that is down is UNAVAILABLE at its paths (run last: it stops billing)', () => {
  it("answers 503 when it was the whole answer, and the other subgraphs' data with it otherwise", async () => {
    await graph.platform.subgraphs.find((subgraph) => subgraph.name === 'billing')!.stop(0);
    const whole = await ask('{ conventions { code } }');
    expect([whole.status, whole.retryAfter]).toEqual([503, '5']);
    expect(told(whole)).toEqual([
      { path: ['conventions'], code: 'UNAVAILABLE', retryable: true, messageId: 'unavailable.subgraph' },
    ]);
    expect(whole.text).not.toMatch(INTERNALS);

    const partial = await ask('{ conventions { code } trialDesigns { version } }');
    expect(partial.status).toBe(200);
    expect(partial.body.data).toMatchObject({ conventions: null, trialDesigns: expect.any(Array) });
    expect(told(partial)).toEqual([
      { path: ['conventions'], code: 'UNAVAILABLE', retryable: true, messageId: 'unavailable.subgraph' },
    ]);
  });
});

function adminUrl(): string {
  const server = new URL(process.env.TEST_DATABASE_URL!);
  server.pathname = new URL(graph.databaseUrls.participants).pathname;
  return server.toString();
}
