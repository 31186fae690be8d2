/**
 * A PostgreSQL restart under load is ridden through: while the server goes down (fast shutdown, as
 * `pg_ctl restart` does) and comes back within the subgraphs' retry bound, every client's read and
 * write is answered HTTP 200 without an error — no 5xx, no INTERNAL_SERVER_ERROR, no UNAVAILABLE —
 * and each write's effect exists exactly once, also when its COMMIT reached the server but its answer
 * never came back (the idempotency key's command log replays the first answer: DESIGN.md "Data").
 *
 * The test runs its own embedded PostgreSQL (the other test files share the run's server, which it
 * must not restart) and reaches it through the harness's relay (to lose a COMMIT's answer on demand).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startEmbeddedPostgres, type Database } from '../platform/database.js';
import type { Identity } from '../schema/identity.js';
import { DEFAULT_IDENTITY, startTestPlatform, type TestPlatform } from './harness.js';
import { seed } from './seed.js';

const LONG = 240_000;
const CLIENTS = 6;
const INAMI = DEFAULT_IDENTITY.INAMI;
const COACH: Identity = DEFAULT_IDENTITY.JOB_COACH;

let folder: string;
let port: number;
let database: Database;
let graph: TestPlatform;
const people: string[] = [];

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'ips-pg-restart-'));
  port = await freePort();
  database = await startEmbeddedPostgres({ dataDir: join(folder, 'pg'), port, persistent: true });
  graph = await startTestPlatform({ serverUrl: database.url, databaseRelay: true });
  // People on the coach's caseload and in the registry: their fields are read under the policy's rules (ledger reads).
  await seed(graph).trial();
  for (let i = 0; i < 3; i++)
    people.push(
      (
        await seed(graph)
          .person()
          .registered({ convention: 'ARTICLE-23' })
          .randomised({ arm: 'IPS' })
          .withCoach(COACH.subject)
          .build()
      ).participantId,
    );
}, LONG);

afterAll(async () => {
  await graph?.stop();
  await database?.stop();
  rmSync(folder, { recursive: true, force: true });
}, LONG);

/** Fast shutdown (SIGINT: every session ended with 57P01), then a start on the same folder and port. */
async function restartPostgres(): Promise<number> {
  const started = performance.now();
  await database.stop();
  database = await startEmbeddedPostgres({ dataDir: join(folder, 'pg'), port, persistent: true });
  return performance.now() - started;
}

/** Per subgraph, the pooled connections checked out while it serves no request (a connection kept by a request that ended). */
async function heldConnections(): Promise<Record<string, number>> {
  await new Promise((resolve) => setTimeout(resolve, 200)); // the last answers' access-log writes
  const held: Record<string, number> = {};
  for (const subgraph of graph.platform.subgraphs) {
    const pool = (await subgraph.orm.em.getConnection().getNativeClient()) as unknown as {
      totalCount: number;
      idleCount: number;
    };
    held[subgraph.name] = subgraph.inFlight === 0 ? pool.totalCount - pool.idleCount : 0;
  }
  return held;
}

interface Answer {
  status: number;
  body: {
    data?: Record<string, unknown> | null;
    errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
  };
}

async function ask(as: Identity, query: string, variables?: Record<string, unknown>): Promise<Answer> {
  const response = await fetch(`${graph.platform.gateway.url}graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await graph.tokenFor(as)}` },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as Answer['body'] };
}

const ENROL =
  'mutation($input: EnrolStaffMemberInput!, $key: String!) { enrolStaffMember(input: $input, idempotencyKey: $key) { id subject } }';
const enrolment = (subject: string) => ({
  input: { subject, function: 'INAMI_AGENT', displayName: `Agent ${subject}` },
  key: `key-${subject}`,
});

/**
 * One read per subgraph, and a write. The coach's caseload reads the staff directory for the caller
 * first; the registry's and the caseload's personal fields are decided on ledger rows, read meanwhile.
 */
const READS: [Identity, string][] = [
  [INAMI, '{ conventions { code } }'],
  [INAMI, '{ trialDesigns { version } }'],
  [INAMI, '{ registry(first: 5) { edges { node { id niss givenName region } } totalCount } }'],
  [COACH, '{ caseload { pathway { id registryNumber status } nextAction { kind dueOn } } }'],
];

/** What went wrong in an answer, as a client reads it (empty when it is HTTP 200 without errors). */
const faults = (answer: Answer, what: string) =>
  answer.status === 200 && !answer.body.errors
    ? []
    : [{ what, status: answer.status, codes: (answer.body.errors ?? []).map((error) => error.extensions?.code) }];

describe('a PostgreSQL restart under load reaches no client', () => {
  it(
    'answers every read and write of concurrent clients 200 without errors, and applies each write exactly once',
    async () => {
      await graph.enrol(COACH);
      for (const [as, query] of READS) expect(faults(await ask(as, query), query)).toEqual([]);

      const seen: { what: string; status: number; codes: unknown[] }[] = [];
      const written: { subject: string; id: string }[] = [];
      let answers = 0;
      let running = true;
      const client = async (index: number) => {
        for (let round = 0; running || round < 3; round++) {
          const [as, query] = READS[(index + round) % READS.length]!;
          const read = await ask(as, query);
          seen.push(...faults(read, query));
          const subject = `restart-${index}-${round}-${randomUUID().slice(0, 8)}`;
          const write = await ask(INAMI, ENROL, enrolment(subject));
          seen.push(...faults(write, `enrol ${subject}`));
          const id = (write.body.data?.enrolStaffMember as { id?: string } | undefined)?.id;
          if (id) written.push({ subject, id });
          answers += 2;
        }
      };
      const load = Array.from({ length: CLIENTS }, (_, index) => client(index));
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const before = answers;
      const outageMs = await restartPostgres();
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      running = false;
      await Promise.all(load);

      expect({ outageUnderBound: outageMs < 8_000, answersDuringRestart: answers > before }).toEqual({
        outageUnderBound: true,
        answersDuringRestart: true,
      });
      expect(seen).toEqual([]);
      // Each write acknowledged once, applied once: one directory row per subject, the one the answer named.
      const rows = await graph.sql<{ subject: string; id: string }>(
        'select subject, id::text as id from participants.staff_member where subject like $1',
        ['restart-%'],
      );
      expect(rows.length).toBe(written.length);
      expect(new Map(rows.map((row) => [row.subject, row.id]))).toEqual(
        new Map(written.map((write) => [write.subject, write.id])),
      );
      // The connections the restart broke left their pools: none is still held with no request in flight.
      expect(await heldConnections()).toEqual({ billing: 0, participants: 0, pathways: 0, research: 0 });
    },
    LONG,
  );
});

describe('a COMMIT whose answer is lost is retried exactly once', () => {
  it(
    'answers 200 with the write applied once, and a retry of the key replays that same answer',
    async () => {
      const subject = `lost-commit-${randomUUID().slice(0, 8)}`;
      const dropped = graph.databaseRelay!.dropNextCommandCommit();
      const first = await ask(INAMI, ENROL, enrolment(subject));
      await dropped; // the COMMIT reached PostgreSQL and its connection was dropped before the answer came back
      expect(faults(first, 'enrol')).toEqual([]);
      const again = await ask(INAMI, ENROL, enrolment(subject));
      expect(faults(again, 'retry')).toEqual([]);
      expect(again.body.data).toEqual(first.body.data);
      const rows = await graph.sql<{ id: string }>(
        'select id::text as id from participants.staff_member where subject = $1',
        [subject],
      );
      expect(rows).toEqual([{ id: (first.body.data!.enrolStaffMember as { id: string }).id }]);
      expect(await heldConnections()).toEqual({ billing: 0, participants: 0, pathways: 0, research: 0 });
    },
    LONG,
  );
});

describe('a connection lost while the policy reads the ledger for a decision', () => {
  it.each([
    // pathways decides `Participant.pathway` in its rule, reading the ledger there first (kit/policy.ts decide)
    [
      "a policy rule (the registry's pathways)",
      '{ registry(first: 5) { edges { node { id niss givenName pathway { registryNumber status } } } } }',
      undefined,
    ],
    // participants reads the ledger in the lookup's resolver (kit/access/guard.ts visibleOrNull)
    [
      'a resolver (a lookup)',
      'query($id: ID!) { participant(id: $id) { id niss givenName referrals { form signedOn } pathway { registryNumber status } } }',
      1,
    ],
  ])(
    'is ridden through in %s, never told as a denial (FORBIDDEN) nor as an outage',
    async (_where, query, person) => {
      const variables = person === undefined ? undefined : { id: people[person] };
      const expected = await ask(INAMI, query, variables);
      expect(faults(expected, 'before')).toEqual([]);
      let dropped = false;
      void graph
        .databaseRelay!.dropNextStatement(/from access\.ledger l where l\.participant_id in/)
        .then(() => (dropped = true));
      const answer = await ask(INAMI, query, variables);
      expect({ dropped, faults: faults(answer, 'lost') }).toEqual({ dropped: true, faults: [] });
      expect(answer.body.data).toEqual(expected.body.data);
      expect(await heldConnections()).toEqual({ billing: 0, participants: 0, pathways: 0, research: 0 });
    },
    LONG,
  );
});
