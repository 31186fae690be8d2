/**
 * `npm start` as operators run it: the built launcher (dist/platform/launcher.js) as a child process
 * on a temporary data folder and free loopback ports. A taken port is one line and exit 1; SIGTERM
 * during running requests answers them all, then exits 0; after `kill -9`, the next start recovers
 * the orphaned PostgreSQL with no manual step.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { signCallerToken } from '../gateway/identity.js';
import { loadDevKeys } from '../gateway/keys.js';
import pg from 'pg';
import { freePort, startEmbeddedPostgres, type Database } from '../platform/database.js';
import { SUBGRAPH_ROLES } from '../schema/database-roles.js';

const LONG = 180_000;

let folder: string;
let env: NodeJS.ProcessEnv;
let gatewayPort: number;

beforeAll(async () => {
  // The launcher runs as `npm start` runs it: compiled.
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
    stdio: 'inherit',
  });
  folder = mkdtempSync(join(tmpdir(), 'ips-launcher-'));
  gatewayPort = await freePort();
  const { NODE_ENV: _test, TEST_DATABASE_URL: _db, DATABASE_URL: _url, ...rest } = process.env;
  env = {
    ...rest,
    IPS_DATA_DIR: join(folder, 'postgres'),
    IPS_DEV_KEYS: join(folder, 'dev-keys.json'),
    PGPORT: String(await freePort()),
    PORT: String(gatewayPort),
    IPS_LOG_LEVEL: 'warn',
  };
}, LONG);

afterAll(() => rmSync(folder, { recursive: true, force: true }));

interface Launched {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
}

function launch(extra: NodeJS.ProcessEnv = {}): Launched {
  const child = spawn(process.execPath, ['dist/platform/launcher.js'], {
    env: { ...env, ...extra },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exit };
}

async function ready(launched: Launched): Promise<void> {
  const deadline = Date.now() + 150_000;
  // The summary's last line: the subgraphs' lines before it have arrived too (one pipe chunk may end after the first line).
  while (!launched.stdout().includes('get a token:')) {
    if (launched.child.exitCode !== null || Date.now() > deadline)
      throw new Error(`launcher did not start:\n${launched.stdout()}\n${launched.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function query(): Promise<{ status: number; body: { data?: { participants?: unknown[] }; errors?: unknown[] } }> {
  const keys = await loadDevKeys(env.IPS_DEV_KEYS);
  const token = await signCallerToken(
    { role: 'INAMI', organisation: 'INAMI', subject: 'inami-agent-1' },
    keys.caller.privateKey,
    '5m',
  );
  const response = await fetch(`http://127.0.0.1:${gatewayPort}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({
      query:
        '{ participants(first: 50) { niss givenName referrals { form signedOn } pathway { registryNumber status convention { partner site } } allocation { arm } } }',
    }),
  });
  return {
    status: response.status,
    body: (await response.json()) as { data?: { participants?: unknown[] }; errors?: unknown[] },
  };
}

/** The same query over node:http, telling when it has been sent in full on an open connection. */
function inFlight(): { sent: Promise<void>; answer: ReturnType<typeof query> } {
  let markSent!: () => void;
  const sent = new Promise<void>((resolve) => (markSent = resolve));
  const answer = (async () => {
    const keys = await loadDevKeys(env.IPS_DEV_KEYS);
    const token = await signCallerToken(
      { role: 'INAMI', organisation: 'INAMI', subject: 'inami-agent-1' },
      keys.caller.privateKey,
      '5m',
    );
    const body = JSON.stringify({
      query:
        '{ participants(first: 50) { niss givenName referrals { form signedOn } pathway { registryNumber status convention { partner site } } allocation { arm } } }',
    });
    return new Promise<Awaited<ReturnType<typeof query>>>((resolve, reject) => {
      const request = httpRequest(
        {
          host: '127.0.0.1',
          port: gatewayPort,
          path: '/graphql',
          method: 'POST',
          agent: false,
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${token}`,
            'content-length': Buffer.byteLength(body),
          },
        },
        (response) => {
          let text = '';
          response.on('data', (chunk: Buffer) => (text += chunk.toString()));
          response.on('end', () =>
            resolve({
              status: response.statusCode ?? 0,
              body: JSON.parse(text) as Awaited<ReturnType<typeof query>>['body'],
            }),
          );
          response.on('error', reject);
        },
      );
      request.on('error', reject);
      request.on('finish', markSent);
      request.end(body);
    });
  })();
  return { sent, answer };
}

it(
  'names a taken port and the variable to change in one line, and exits 1',
  async () => {
    const holder: Server = createServer();
    await new Promise<void>((resolve) => holder.listen(gatewayPort, '127.0.0.1', resolve));
    try {
      const launched = launch();
      expect(await launched.exit).toBe(1);
      expect(launched.stderr().trim()).toBe(
        `Port ${gatewayPort} on 127.0.0.1 is already in use: stop what holds it or set PORT to another port`,
      );
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  },
  LONG,
);

it(
  'stops at a wrong configuration value naming it',
  async () => {
    const launched = launch({ PORT: 'abc' });
    expect(await launched.exit).toBe(1);
    expect(launched.stderr().trim()).toBe('Configuration: PORT="abc" is not valid: expected a port number (0–65535)');
  },
  LONG,
);

it(
  'prints the subgraph ports, answers every running request on SIGTERM, then exits 0 (a process per subgraph)',
  async () => {
    const launched = launch({ IPS_PROCESSES: 'per-subgraph' });
    await ready(launched);
    expect(launched.stdout()).toMatch(/subgraph participants +http:\/\/127\.0\.0\.1:\d+\//);
    expect(launched.stdout()).toMatch(/demo data: participants \+\d+/); // a fresh data folder: the demo loads
    const pids = [...launched.stdout().matchAll(/; process (\d+)\)/g)].map((match) => Number(match[1]));
    expect(new Set([launched.child.pid, ...pids]).size).toBe(5);
    expect((await query()).status).toBe(200); // warm: plans cached, pools open
    // SIGTERM only once the three requests are in flight: each connected and sent in full, and a moment
    // for the server to take them from its accept queue (a busy machine may take longer than a fixed 30 ms).
    const running = [inFlight(), inFlight(), inFlight()];
    await Promise.all(running.map((request) => request.sent));
    await new Promise((resolve) => setTimeout(resolve, 100));
    launched.child.kill('SIGTERM');
    const answers = await Promise.all(running.map((request) => request.answer));
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.body.errors).toBeUndefined();
      expect(answer.body.data?.participants?.length).toBeGreaterThan(0);
    }
    expect(await launched.exit).toBe(0);
  },
  LONG,
);

it(
  'starts again after kill -9 with no manual step (the orphaned PostgreSQL is stopped first)',
  async () => {
    const first = launch();
    await ready(first);
    // The subgraphs serve in processes of their own, not the launcher's (IPS_PROCESSES=auto: one each with 5 cores or more, else one for the four).
    const processes = [
      ...first.stdout().matchAll(/subgraph (\w+) +http:\/\/127\.0\.0\.1:(\d+)\/graphql .*; process (\d+)\)/g),
    ].map((match) => ({ name: match[1], port: Number(match[2]), pid: Number(match[3]) }));
    expect(processes.map((p) => p.name).sort()).toEqual(['billing', 'participants', 'pathways', 'research']);
    expect(processes.map((p) => p.pid)).not.toContain(first.child.pid);
    expect(new Set(processes.map((p) => p.pid)).size).toBe(availableParallelism() >= 5 ? 4 : 1);
    first.child.kill('SIGKILL');
    await first.exit;
    // The launcher gone, its subgraph processes stop too: none is left holding a port.
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    const deadline = Date.now() + 20_000;
    while (processes.some((p) => alive(p.pid)) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 200));
    expect(processes.filter((p) => alive(p.pid))).toEqual([]);
    const second = launch();
    await ready(second);
    expect(second.stdout()).toContain(
      'an embedded PostgreSQL left by an earlier run holds the data folder: stopping it',
    );
    expect(second.stdout()).not.toMatch(/demo data: \w+ \+/); // its own demo database again: nothing added twice
    expect((await query()).status).toBe(200);
    second.child.kill('SIGTERM');
    expect(await second.exit).toBe(0);
  },
  LONG,
);

describe('readiness tells the truth under every launch layout', () => {
  let dataDir: string;
  let pgPort: number;
  let database: Database;

  // A PostgreSQL of this test's own, named to the launcher as an administrator's URL: the test can stop and start it.
  beforeAll(async () => {
    dataDir = join(folder, 'own-postgres');
    pgPort = await freePort();
    database = await startEmbeddedPostgres({ dataDir, port: pgPort, persistent: true });
  }, LONG);
  afterAll(async () => {
    await database?.stop();
  });

  const subgraphUrls = (launched: Launched) =>
    [...launched.stdout().matchAll(/subgraph (\w+) +(http:\/\/127\.0\.0\.1:\d+\/)graphql/g)].map((match) => ({
      name: match[1]!,
      url: match[2]!,
    }));
  const readiness = async (url: string) => {
    try {
      const response = await fetch(new URL('health/ready', url), { signal: AbortSignal.timeout(5_000) });
      return {
        status: response.status,
        body: (await response.json()) as {
          status: string;
          checks: Record<string, { status: string; detail?: string }>;
        },
      };
    } catch {
      return { status: 0, body: undefined }; // no answer at all: not ready either
    }
  };
  const readyWithin = async (url: string, ms: number) => {
    const deadline = Date.now() + ms;
    let last = await readiness(url);
    while (last.status !== 200 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      last = await readiness(url);
    }
    return last;
  };
  /** The roles connected to the platform's database now (the administrator's view of pg_stat_activity). */
  const connectedRoles = async () => {
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    try {
      const { rows } = await admin.query<{ role: string }>(
        'select distinct usename::text as role from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() order by 1',
      );
      return rows.map((row) => row.role);
    } finally {
      await admin.end();
    }
  };

  it.each(['one', 'two', 'per-subgraph'] as const)(
    'IPS_PROCESSES=%s: every subgraph ready (migrations read by its own role) once it serves, each connected as its own role',
    async (layout) => {
      const launched = launch({ IPS_PROCESSES: layout, DATABASE_ADMIN_URL: database.url, IPS_DEMO_DATA: 'off' });
      try {
        await ready(launched);
        const subgraphs = subgraphUrls(launched);
        expect(subgraphs.map((subgraph) => subgraph.name).sort()).toEqual([
          'billing',
          'participants',
          'pathways',
          'research',
        ]);
        for (const subgraph of subgraphs) {
          const report = await readiness(subgraph.url);
          expect({ subgraph: subgraph.name, ...report }).toEqual({
            subgraph: subgraph.name,
            status: 200,
            body: { status: 'ok', checks: { database: { status: 'ok' }, migrations: { status: 'ok' } } },
          });
        }
        expect((await query()).status).toBe(200);
        const roles = await connectedRoles();
        expect(roles).toEqual(expect.arrayContaining(Object.values(SUBGRAPH_ROLES)));
        expect(roles).not.toContain('ips_app');
      } finally {
        launched.child.kill('SIGTERM');
        await launched.exit;
      }
    },
    LONG,
  );

  it(
    'is 503 while PostgreSQL is down and 200 again once it is back, with no restart of the platform',
    async () => {
      const launched = launch({ DATABASE_ADMIN_URL: database.url, IPS_DEMO_DATA: 'off' });
      try {
        await ready(launched);
        const subgraphs = subgraphUrls(launched);
        for (const subgraph of subgraphs) expect((await readyWithin(subgraph.url, 10_000)).status).toBe(200);

        await database.stop();
        for (const subgraph of subgraphs) {
          const down = await readiness(subgraph.url);
          expect({
            subgraph: subgraph.name,
            status: down.status,
            database: down.body?.checks.database?.status,
          }).toEqual({ subgraph: subgraph.name, status: 503, database: 'failed' });
        }
        expect(launched.child.exitCode).toBeNull(); // the platform waits for its database; it does not stop

        database = await startEmbeddedPostgres({ dataDir, port: pgPort, persistent: true });
        for (const subgraph of subgraphs) {
          const back = await readyWithin(subgraph.url, 30_000);
          expect({ subgraph: subgraph.name, ...back }).toEqual({
            subgraph: subgraph.name,
            status: 200,
            body: { status: 'ok', checks: { database: { status: 'ok' }, migrations: { status: 'ok' } } },
          });
        }
        let answer = await query();
        for (let attempt = 0; answer.status !== 200 && attempt < 20; attempt++) {
          await new Promise((resolve) => setTimeout(resolve, 250));
          answer = await query();
        }
        expect(answer.status).toBe(200);
        expect(answer.body.errors).toBeUndefined();
      } finally {
        launched.child.kill('SIGTERM');
        await launched.exit;
      }
    },
    LONG,
  );
});
