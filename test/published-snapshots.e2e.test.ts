/**
 * The published aggregates' snapshots are the database's, not a process's (kit/data-version.ts):
 * computed in the background by one instance per database, stored in research.aggregate_snapshot,
 * and served as stored by every instance — a second replica answers with the same `asOf`, and a
 * process that has just started answers its first request from the stored snapshot without
 * computing (one SQL statement, an `asOf` older than its start).
 */
import pg from 'pg';
import { signGatewayToken } from '../gateway/identity.js';
import { withDatabase } from '../platform/database.js';
import { SQL_COUNT_HEADER } from '../schema/headers.js';
import { researchSubgraph } from '../subgraphs/research/index.js';
import { startSnapshotWorker } from '../subgraphs/kit/data-version.js';
import { openOrm } from '../subgraphs/kit/orm.js';
import { startSubgraph, type RunningSubgraph } from '../subgraphs/kit/subgraph.js';
import { DEFAULT_IDENTITY, startTestPlatform, type GraphQLResponse, type TestPlatform } from './harness.js';
import { seed } from './seed.js';

const ASK = `{
  r: pilotAggregates(measure: REFERRALS) { asOf cells { key count suppression } }
  a: pilotAggregates(measure: ACTIVITY, region: FLANDERS) { asOf }
  c: consortFlow { randomised }
  coachCaseloads { partner caseloads }
}`;

type Answer = GraphQLResponse<{
  r: { asOf: string; cells: unknown[] };
  a: { asOf: string };
  c: { randomised: number | null };
  coachCaseloads: unknown[];
}>;

let graph: TestPlatform;
const replicas: RunningSubgraph[] = [];

beforeAll(async () => {
  graph = await startTestPlatform();
  await seed(graph).trial();
  for (let i = 0; i < 6; i++)
    await seed(graph)
      .person({ postcode: '9000', region: 'FLANDERS' })
      .referredBy('MEDECIN_CONSEIL', { form: 'AANMELDINGSFORMULIER' })
      .registered({ convention: 'VDAB-GTB' })
      .randomised()
      .build();
  await graph.snapshotsCurrent();
}, 300_000);
afterAll(async () => {
  for (const replica of replicas) await replica.stop();
  await graph?.stop();
});

/** Another instance of the research subgraph on the same database, as a second replica or a restarted process. */
async function researchReplica(): Promise<RunningSubgraph> {
  const replica = await startSubgraph(researchSubgraph, {
    databaseUrl: graph.databaseUrls.research,
    gatewayKey: graph.keys.gateway.publicKey,
    runMigrations: false,
    exposeSqlCount: true,
  });
  replicas.push(replica);
  return replica;
}

/** The integrator's dashboard query, straight to one instance (the gateway picks none: each is asked in turn). */
async function askInstance(url: string): Promise<Answer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${await signGatewayToken(DEFAULT_IDENTITY.INTEGRATOR, graph.keys.gateway.privateKey)}`,
      [SQL_COUNT_HEADER]: '1',
    },
    body: JSON.stringify({ query: ASK }),
  });
  return { status: response.status, ...((await response.json()) as Omit<Answer, 'status'>) };
}

const researchUrl = () => graph.platform.subgraphs.find((s) => s.name === 'research')!.url;

it('serves the same snapshot, with the same asOf, from two replicas of the research subgraph; one of them computes', async () => {
  const second = await researchReplica();
  const [one, two] = [await askInstance(researchUrl()), await askInstance(second.url)];
  expect(one.errors).toBeUndefined();
  expect(two.errors).toBeUndefined();
  expect(two.data!.r.asOf).toBe(one.data!.r.asOf);
  expect(two.data!.a.asOf).toBe(one.data!.a.asOf);
  expect(two.data).toEqual(one.data);
  const [stored] = await graph.sql<{ as_of: Date }>(
    `select as_of from research.aggregate_snapshot where key = 'table:REFERRALS'`,
  );
  expect(one.data!.r.asOf).toBe(stored!.as_of.toISOString());
  // One state of the data for every publication (their joint disclosure control assumes it): one asOf, one version.
  const [moments] = await graph.sql<{ asOf: number; versions: number }>(
    `select count(distinct as_of)::int as "asOf", count(distinct data_version)::int as versions from research.aggregate_snapshot`,
  );
  expect(moments).toEqual({ asOf: 1, versions: 1 });
  // One computation per database: one session holds the snapshots' lock, whatever the replicas.
  const [locks] = await graph.sql<{ n: number }>(
    `select count(*)::int as n from pg_locks l join pg_database d on d.oid = l.database where l.locktype = 'advisory' and d.datname = current_database() and l.granted`,
  );
  expect(locks!.n).toBe(1);
});

it('answers the first request after a restart from the stored snapshot, without computing (one statement, asOf before the start)', async () => {
  const before = await graph.sql<{ key: string; as_of: Date; data_version: string }>(
    `select key, as_of, data_version::text from research.aggregate_snapshot order by key`,
  );
  const startedAt = new Date();
  const restarted = await researchReplica(); // a fresh process's state: nothing in memory
  const first = await askInstance(restarted.url);
  expect(first.errors).toBeUndefined();
  expect(new Date(first.data!.r.asOf).getTime()).toBeLessThan(startedAt.getTime());
  expect(first.data!.r.asOf).toBe(before.find((row) => row.key === 'table:REFERRALS')!.as_of.toISOString());
  // As many statements as a request served from this process's memory: a snapshot read per field, none of a computation's.
  const second = await askInstance(restarted.url);
  expect(second.data).toEqual(first.data);
  expect(first.extensions?.sqlStatements).toBe(second.extensions?.sqlStatements);
  expect(
    await graph.sql(`select key, as_of, data_version::text from research.aggregate_snapshot order by key`),
  ).toEqual(before);
});

it('brings every snapshot up to a write in the background, and keeps serving the previous one meanwhile', async () => {
  const before = await askInstance(researchUrl());
  await seed(graph)
    .person({ postcode: '9000', region: 'FLANDERS' })
    .referredBy('MEDECIN_CONSEIL', { form: 'AANMELDINGSFORMULIER' })
    .registered({ convention: 'VDAB-GTB' })
    .randomised()
    .build();
  await graph.snapshotsCurrent();
  const after = await askInstance(researchUrl());
  expect(new Date(after.data!.r.asOf).getTime()).toBeGreaterThan(new Date(before.data!.r.asOf).getTime());
  // A replica that did not compute it serves it too.
  const [replica] = replicas;
  expect((await askInstance(replica!.url)).data!.r.asOf).toBe(after.data!.r.asOf);
});

it('answers UNAVAILABLE, retryable with a hint, while a snapshot was never stored (a first start), then the computed one', async () => {
  // A first start: no snapshot of the key, and the computation's store held back (a table lock that lets reads through).
  const admin = new pg.Client({ connectionString: withDatabase(process.env.TEST_DATABASE_URL!, graph.databaseName) });
  await admin.connect();
  try {
    await admin.query(`delete from research.aggregate_snapshot where key = 'coachCaseloads'`);
    await admin.query('begin');
    await admin.query('lock table research.aggregate_snapshot in exclusive mode');
    const answer = await askInstance(researchUrl());
    const missing = answer.errors?.find((error) => error.path?.[0] === 'coachCaseloads');
    expect(missing?.extensions).toMatchObject({ code: 'UNAVAILABLE', retryable: true, retryAfter: expect.any(Number) });
    await admin.query('commit');
  } finally {
    await admin.end();
  }
  await graph.snapshotsCurrent();
  const again = await askInstance(researchUrl());
  expect(again.errors).toBeUndefined();
  expect(again.data!.coachCaseloads.length).toBeGreaterThan(0);
});

it('stops at once while a computation runs: the computation is cancelled, not waited for (a deploy, SIGTERM)', async () => {
  // A worker of its own (its own table and lock, so the platform's worker is left alone) whose computation
  // waits on a table lock this test holds: stop() must return while the lock is still held.
  const admin = new pg.Client({ connectionString: withDatabase(process.env.TEST_DATABASE_URL!, graph.databaseName) });
  await admin.connect();
  const table = 'research.aggregate_snapshot_stop_check';
  const role = decodeURIComponent(new URL(graph.databaseUrls.research).username);
  await admin.query(`create table ${table} (like research.aggregate_snapshot including all)`);
  await admin.query(`grant select, insert, update on ${table} to "${role}"`);
  // The role's lock_timeout (5 s) would end the wait by itself: longer for this database's new sessions, so that only a cancel ends it.
  await admin.query(`alter role "${role}" in database "${graph.databaseName}" set lock_timeout = '120s'`);
  await graph.snapshotsCurrent(); // the platform's own worker has nothing to compute: the only waiting computation is this one's
  const orm = await openOrm({
    schema: 'research',
    databaseUrl: graph.databaseUrls.research,
    entities: [],
    migrations: [],
  });
  try {
    await admin.query('begin');
    await admin.query('lock table billing.convention in access exclusive mode');
    const worker = await startSnapshotWorker(orm, graph.databaseUrls.research, { table, pollMs: 60_000 });
    // Its first pass computes (nothing stored in its table) and waits on the lock.
    const waitingOnLock = async () =>
      (await admin.query<{ n: number }>(`select count(*)::int as n from pg_locks where not granted`)).rows[0]!.n;
    for (let i = 0; i < 300 && (await waitingOnLock()) === 0; i++)
      await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await waitingOnLock()).toBeGreaterThan(0);
    // Not a time measured: a deadlock detected. Without the cancel, stop() waits for the lock, which is held until after it.
    const stopped = await Promise.race([
      worker.stop().then(() => 'stopped'),
      new Promise((resolve) => setTimeout(() => resolve('still waiting on the computation'), 30_000).unref()),
    ]);
    expect(stopped).toBe('stopped');
    expect(await waitingOnLock()).toBe(0);
    expect((await admin.query(`select count(*)::int as n from ${table}`)).rows[0]).toEqual({ n: 0 }); // nothing of the cancelled pass stored
  } finally {
    await admin.query('rollback').catch(() => undefined);
    await admin.query(`alter role "${role}" in database "${graph.databaseName}" reset lock_timeout`);
    await admin.query(`drop table if exists ${table}`);
    await admin.end();
    await orm.close();
  }
}, 120_000);
