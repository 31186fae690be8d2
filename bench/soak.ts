/**
 * `npm run bench:soak`: does memory plateau under sustained load? `npm start`'s launcher as operators
 * run it (the built launcher as a child process, its own layout of processes, demo data loaded into a
 * fresh embedded PostgreSQL), then CLIENTS clients on loopback for SECONDS of mixed work — job coaches'
 * caseloads, INAMI's registry walked page by page, participant lookups, and idempotent writes (a coach's
 * message to the physician with a fresh idempotency key, one in four a retry of an earlier key with
 * the same arguments, which replays its first answer) — then AFTER seconds idle. Every EVERY seconds
 * it prints each process's resident memory (VmRSS) beside its V8 heap in use (from its /metrics), so a
 * heap that grows (something kept) can be told from resident memory the allocator keeps but reuses.
 * Prints and never gates CI (a machine shared with others moves these figures).
 * `--restart-postgres-at <s>` restarts PostgreSQL that many seconds into the load (fast shutdown, then a
 * start on the same folder and port, as `pg_ctl restart` does) and prints the answers by HTTP status
 * and by error code: a restart shorter than the subgraphs' retry budget reaches no client.
 *   npm run bench:soak              (CLIENTS=50 SECONDS=120 AFTER=60 EVERY=10 UNIQUE=0; IPS_PROCESSES as npm start; NODE_FLAGS)
 *   npm run bench:soak -- --restart-postgres-at 30
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { signCallerToken } from '../gateway/identity.js';
import { loadDevKeys } from '../gateway/keys.js';
import {
  databaseUrlVariable,
  freePort,
  provisionDatabase,
  startEmbeddedPostgres,
  type Database,
} from '../platform/database.js';
import { SUBGRAPH_NAMES } from '../schema/subgraphs.js';
import type { Identity } from '../schema/identity.js';

const CLIENTS = Number(process.env.CLIENTS ?? 50);
const SECONDS = Number(process.env.SECONDS ?? 120);
const AFTER = Number(process.env.AFTER ?? 60);
const EVERY = Number(process.env.EVERY ?? 10);
/** The share of reads sent as a document never seen before (an alias of its own), as ad-hoc tools and probes send them: what the gateway's caches of parsed documents and query plans keep. */
const UNIQUE = Number(process.env.UNIQUE ?? 0);
/** The Node flags of `npm start` (package.json), read from it so the bench runs what operators run. */
const START_FLAGS = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: { start: string } }).scripts.start
  .match(/ node ((?:--[\w-]+(?:=\S+)? )*)dist\/platform\/launcher\.js/)![1]!
  .trim()
  .split(' ')
  .filter(Boolean);
/** NODE_FLAGS replaces them (e.g. NODE_FLAGS=--experimental-async-context-frame: without the heap ceiling); the launcher's processes inherit them. */
const NODE_FLAGS =
  process.env.NODE_FLAGS === undefined ? START_FLAGS : process.env.NODE_FLAGS.split(' ').filter(Boolean);
/** `--restart-postgres-at <s>`: when (seconds into the load) PostgreSQL is restarted; none without it. */
const RESTART_AT = (() => {
  const at = process.argv.indexOf('--restart-postgres-at');
  if (at < 0) return undefined;
  const seconds = Number(process.argv[at + 1]);
  if (!Number.isFinite(seconds) || seconds < 0)
    throw new Error('--restart-postgres-at takes a number of seconds into the load');
  return seconds;
})();

interface Body {
  data?: Record<string, unknown> | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string } }[];
}

const INAMI: Identity = { role: 'INAMI', organisation: 'INAMI', subject: 'dev-inami' };
const keyOf = (identity: Identity) => `${identity.role}/${identity.organisation}/${identity.subject}`;

const CASELOAD =
  'query Caseload { caseload { pathway { id registryNumber status registeredAt jobCoach } nextAction { kind dueOn } } }';
const REGISTRY =
  'query Registry($after: String) { registry(first: 20, after: $after) { edges { node { id niss givenName familyName region pathway { registryNumber status } } } pageInfo { hasNextPage endCursor } totalCount } }';
const LOOKUP =
  'query Person($id: ID!) { participant(id: $id) { id niss givenName familyName region referrals { form signedOn } consentGrants { recipient category } pathway { registryNumber status convention { partner } } allocation { arm } } }';
const MESSAGE =
  'mutation Message($input: RecordPathwayActInput!, $key: String!) { recordPathwayAct(input: $input, idempotencyKey: $key) { __typename } }';

const folder = mkdtempSync(join(tmpdir(), 'ips-soak-'));
const keysPath = join(folder, 'dev-keys.json');
const keys = await loadDevKeys(keysPath);
// A persistent folder on a fixed port, so that PostgreSQL can be restarted on them mid-load; removed at the end.
const pgFolder = mkdtempSync(join(tmpdir(), 'ips-soak-pg-'));
chmodSync(pgFolder, 0o755); // as root, PostgreSQL runs as its own user and must reach the folder
const pgPort = await freePort();
const startPostgres = () => startEmbeddedPostgres({ dataDir: join(pgFolder, 'pg'), port: pgPort, persistent: true });
let database: Database = await startPostgres();
const { subgraphUrls: databaseUrls, ownerUrl: migrationUrl } = await provisionDatabase(database.url, 'ips');
const gatewayPort = await freePort();
const started = performance.now();
const child: ChildProcess = spawn(process.execPath, [...NODE_FLAGS, 'dist/platform/launcher.js'], {
  env: {
    ...process.env,
    ...Object.fromEntries(SUBGRAPH_NAMES.map((name) => [databaseUrlVariable(name), databaseUrls[name]])),
    MIGRATION_DATABASE_URL: migrationUrl,
    PORT: String(gatewayPort),
    IPS_DEV_KEYS: keysPath,
    IPS_LOG_LEVEL: process.env.IPS_LOG_LEVEL ?? 'warn',
    IPS_METRICS: 'on',
  },
  stdio: ['ignore', 'pipe', 'inherit'],
});
let stdout = '';
child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
const owner = new pg.Client({ connectionString: migrationUrl });
owner.on('error', () => undefined); // its session ends with a restart; it is not used after the workload is read

try {
  const deadline = Date.now() + 300_000;
  while (!stdout.includes('get a token')) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the launcher did not start:\n${stdout}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const gateway = `http://127.0.0.1:${gatewayPort}/`;
  // One row per process: its pid and a URL whose /metrics it serves (the gateway's, or one of its subgraphs').
  const processes = new Map<number, { name: string; metrics: string }>([
    [child.pid!, { name: 'launcher + gateway', metrics: `${gateway}metrics` }],
  ]);
  for (const match of stdout.matchAll(/subgraph (\w+) +(http:\/\/\S+\/)graphql .*; process (\d+)\)/g)) {
    const pid = Number(match[3]);
    const known = processes.get(pid);
    processes.set(
      pid,
      known ? { ...known, name: `${known.name} + ${match[1]}` } : { name: match[1]!, metrics: `${match[2]}metrics` },
    );
  }
  console.log(
    `IPS graph soak — ${availableParallelism()} cores, Node ${process.version}, ${new Date().toISOString()}; ready in ${((performance.now() - started) / 1000).toFixed(0)} s`,
  );
  console.log(
    `node ${NODE_FLAGS.join(' ')}; ${CLIENTS} clients for ${SECONDS} s, then ${AFTER} s idle; every ${EVERY} s each process's VmRSS, V8 heap in use and V8 heap committed (MB)`,
  );

  await owner.connect();
  const work = await workload(owner);
  console.log(
    `work: ${work.coaches.length} coaches' caseloads and messages, INAMI's registry by pages of 20, lookups among ${work.people.length} people; ${(UNIQUE * 100).toFixed(0)} % of reads a document never seen before`,
  );

  const columns = [...processes.values()].map((p) => p.name);
  console.log(
    `\n${'t (s)'.padStart(6)}  ${'requests'.padStart(8)}  ${'errors'.padStart(6)}  ${columns.map((name) => `${name}: rss/heap/committed`.padStart(Math.max(24, name.length + 17))).join('  ')}`,
  );
  const stats: Stats = {
    requests: 0,
    errors: new Map<string, number>(),
    http5xx: 0,
    statuses: new Map<number, number>(),
    paths: new Map<string, Set<string>>(),
  };
  const samples: { t: number; phase: 'load' | 'idle'; rss: number[]; heap: number[] }[] = [];
  const t0 = performance.now();
  const sample = async (phase: 'load' | 'idle') => {
    const t = Math.round((performance.now() - t0) / 1000);
    const rss = [...processes.keys()].map(rssMb);
    const heaps = await Promise.all([...processes.values()].map((p) => heapMb(p.metrics)));
    const heap = heaps.map((h) => h.used);
    samples.push({ t, phase, rss, heap });
    const errorCount = [...stats.errors.values()].reduce((sum, n) => sum + n, 0);
    console.log(
      `${String(t).padStart(6)}  ${String(stats.requests).padStart(8)}  ${String(errorCount).padStart(6)}  ${columns.map((name, i) => `${rss[i]!.toFixed(0)}/${heap[i]!.toFixed(0)}/${heaps[i]!.total.toFixed(0)}`.padStart(Math.max(24, name.length + 17))).join('  ')}${phase === 'idle' ? '  (idle)' : ''}`,
    );
  };
  await sample('load');
  const until = t0 + SECONDS * 1000;
  const sampler = setInterval(() => void sample('load'), EVERY * 1000);
  let restart: Promise<void> = Promise.resolve();
  if (RESTART_AT !== undefined) {
    restart = (async () => {
      await new Promise((resolve) => setTimeout(resolve, RESTART_AT * 1000));
      const at = performance.now();
      await database.stop();
      database = await startPostgres();
      console.log(
        `PostgreSQL restarted at t=${Math.round((at - t0) / 1000)} s: down and back in ${Math.round(performance.now() - at)} ms (fast shutdown, then a start on the same folder)`,
      );
    })();
  }
  await Promise.all([restart, ...Array.from({ length: CLIENTS }, (_, i) => client(i, until, gateway, work, stats))]);
  clearInterval(sampler);
  await sample('load');
  const idleUntil = performance.now() + AFTER * 1000;
  while (performance.now() < idleUntil) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(EVERY * 1000, idleUntil - performance.now())));
    await sample('idle');
  }

  const errorsByCode = [...stats.errors].map(([code, n]) => `${code} ${n}`).join(', ') || 'none';
  const byStatus = [...stats.statuses]
    .sort(([a], [b]) => a - b)
    .map(([status, n]) => `${status} ${n}`)
    .join(', ');
  console.log(
    `\n${stats.requests} requests (${(stats.requests / SECONDS).toFixed(0)}/s), HTTP 5xx ${stats.http5xx}, answers by HTTP status: ${byStatus}; errors by code: ${errorsByCode}`,
  );
  for (const [code, where] of stats.paths) console.log(`  ${code}: ${[...where].join('; ')}`);
  // What the processes logged as errors (JSON lines on the launcher's stdout), so an error code above has its cause beside it.
  const logged = stdout.split('\n').flatMap((line) => {
    try {
      const entry = JSON.parse(line) as { level?: number; msg?: string; err?: { message?: string } };
      return (entry.level ?? 0) >= 50 ? [`${entry.msg ?? ''}: ${entry.err?.message ?? ''}`.slice(0, 200)] : [];
    } catch {
      return [];
    }
  });
  if (logged.length > 0)
    console.log(`logged errors (${logged.length}, distinct shown): ${[...new Set(logged)].slice(0, 5).join(' | ')}`);
  // Warm-up: the first quarter of the load. After it, a plateau is flat to the end of the load and after it.
  const load = samples.filter((s) => s.phase === 'load');
  const warm = load.find((s) => s.t >= SECONDS / 4) ?? load[0]!;
  const end = load.at(-1)!;
  const last = samples.at(-1)!;
  console.log(`after warm-up (t=${warm.t} s) → end of load (t=${end.t} s) → ${AFTER} s later; ratios against warm-up`);
  columns.forEach((name, i) => {
    const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(2)}×` : '—');
    console.log(
      `  ${name.padEnd(36)} rss ${warm.rss[i]!.toFixed(0)} → ${end.rss[i]!.toFixed(0)} → ${last.rss[i]!.toFixed(0)} MB (${ratio(end.rss[i]!, warm.rss[i]!)}, ${ratio(last.rss[i]!, warm.rss[i]!)})   heap ${warm.heap[i]!.toFixed(0)} → ${end.heap[i]!.toFixed(0)} → ${last.heap[i]!.toFixed(0)} MB (${ratio(end.heap[i]!, warm.heap[i]!)}, ${ratio(last.heap[i]!, warm.heap[i]!)})   peak rss ${peakRssMb([...processes.keys()][i]!).toFixed(0)} MB`,
    );
  });
} finally {
  await owner.end().catch(() => {});
  if (child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  await database.stop();
  rmSync(pgFolder, { recursive: true, force: true });
}

interface Stats {
  requests: number;
  errors: Map<string, number>;
  http5xx: number;
  statuses: Map<number, number>;
  /** Per error code, a few of the operations and paths it was told at. */
  paths: Map<string, Set<string>>;
}

interface Workload {
  coaches: { identity: Identity; pathways: string[] }[];
  people: string[];
  tokens: Map<string, string>;
}

/** Who does what: every demo coach with open pathways (their caseload, their messages), INAMI, the referred people. */
async function workload(db: pg.Client): Promise<Workload> {
  const { rows: coached } = await db.query<{ job_coach: string; ips_partner: string; pathways: string[] }>(
    `select p.job_coach, p.ips_partner, array_agg(p.id::text order by p.id) as pathways from pathways.pathway p
       join access.ledger l on l.participant_id = p.participant_id
       join participants.staff_member s on s.subject = p.job_coach and s.organisation_code = p.ips_partner and s.function = 'JOB_COACH' and s.ended_at is null
     where p.status = 'OPEN' and l.trial_arm = 'IPS' group by 1, 2 order by 1`,
  );
  if (coached.length === 0) throw new Error('the demo has no coach with an open IPS-arm pathway');
  const { rows: people } = await db.query<{ id: string }>('select id::text from participants.participant order by id');
  const tokens = new Map<string, string>();
  const coaches = coached.map((row) => ({
    identity: { role: 'JOB_COACH', organisation: row.ips_partner, subject: row.job_coach } satisfies Identity,
    pathways: row.pathways,
  }));
  for (const identity of [INAMI, ...coaches.map((c) => c.identity)])
    tokens.set(keyOf(identity), await signCallerToken(identity, keys.caller.privateKey, '2h'));
  return { coaches, people: people.map((p) => p.id), tokens };
}

/** A deterministic stream per client, so two runs send the same mix. */
function stream(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One client: one request after the other until `until`: 35 % caseloads, 25 % registry pages, 25 % lookups, 15 % messages (a quarter of them retries). */
async function client(index: number, until: number, gateway: string, work: Workload, stats: Stats): Promise<void> {
  const random = stream(index + 1);
  const coach = work.coaches[index % work.coaches.length]!;
  const sent: { key: string; input: Record<string, unknown> }[] = [];
  let cursor: string | null = null;
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Brussels' }).format(new Date());
  while (performance.now() < until) {
    const roll = random();
    let as = coach.identity;
    let query: string;
    let variables: Record<string, unknown> = {};
    if (roll < 0.35) query = CASELOAD;
    else if (roll < 0.6) {
      as = INAMI;
      query = REGISTRY;
      variables = { after: cursor };
    } else if (roll < 0.85) {
      as = INAMI;
      query = LOOKUP;
      variables = { id: work.people[Math.floor(random() * work.people.length)] };
    } else {
      query = MESSAGE;
      const retry = sent.length > 0 && random() < 0.25;
      const message = retry
        ? sent[Math.floor(random() * sent.length)]!
        : {
            key: randomUUID(),
            input: {
              pathwayId: coach.pathways[Math.floor(random() * coach.pathways.length)],
              kind: 'MESSAGE_TO_PHYSICIAN',
              actOn: today,
              detail: `Follow-up note ${sent.length + 1}: work schedule discussed.`,
              detailCategory: 'EMPLOYMENT',
            },
          };
      if (!retry) sent.push(message);
      variables = { input: message.input, key: message.key };
    }
    if (query !== MESSAGE && UNIQUE > 0 && random() < UNIQUE)
      query = query.replace('{ ', `{ once_${index}_${stats.requests}: __typename `);
    try {
      const response = await fetch(`${gateway}graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${work.tokens.get(keyOf(as))}` },
        body: JSON.stringify({ query, variables }),
      });
      if (response.status >= 500) stats.http5xx++;
      stats.statuses.set(response.status, (stats.statuses.get(response.status) ?? 0) + 1);
      const body = (await response.json()) as Body;
      for (const error of body.errors ?? []) {
        const code = error.extensions?.code ?? 'UNKNOWN';
        stats.errors.set(code, (stats.errors.get(code) ?? 0) + 1);
        const where = `${query.match(/^(query|mutation) (\w+)/)?.[2] ?? 'anonymous'} at ${(error.path ?? []).join('.') || '(request)'}`;
        const seen = stats.paths.get(code) ?? new Set<string>();
        if (seen.size < 5) stats.paths.set(code, seen.add(where));
      }
      if (query.startsWith('query Registry')) {
        const page = (
          body.data?.registry as { pageInfo: { hasNextPage: boolean; endCursor: string | null } } | undefined
        )?.pageInfo;
        cursor = page?.hasNextPage ? page.endCursor : null;
      }
    } catch {
      stats.errors.set('NETWORK', (stats.errors.get('NETWORK') ?? 0) + 1);
    }
    stats.requests++;
  }
}

function status(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8')
      .split('\n')
      .find((entry) => entry.startsWith(`${field}:`));
    return Number(line?.match(/(\d+)/)?.[1] ?? NaN) / 1024;
  } catch {
    return NaN;
  }
}
function rssMb(pid: number): number {
  return status(pid, 'VmRSS');
}
function peakRssMb(pid: number): number {
  return status(pid, 'VmHWM');
}

/** The V8 heap of the process serving `metricsUrl` (prom-client's default metrics), in MB: in use (live and not yet collected) and committed. */
async function heapMb(metricsUrl: string): Promise<{ used: number; total: number }> {
  try {
    const text = await (await fetch(metricsUrl)).text();
    const read = (metric: string) =>
      Number(
        text
          .split('\n')
          .find((entry) => entry.startsWith(`${metric} `))
          ?.split(' ')
          .at(-1) ?? NaN,
      ) /
      1024 /
      1024;
    return { used: read('ips_nodejs_heap_size_used_bytes'), total: read('ips_nodejs_heap_size_total_bytes') };
  } catch {
    return { used: NaN, total: NaN };
  }
}
