/**
 * `npm start`: the whole platform — PostgreSQL (embedded unless DATABASE_URL is set), the four
 * subgraphs on their own loopback ports, and the gateway in front. The only module that starts
 * them all. By default (IPS_PROCESSES=per-subgraph) each subgraph serves in a process of its own
 * (`serve-subgraph.js`, forked) and the gateway in this one, so every core works; with
 * IPS_PROCESSES=one everything serves in this process (what the tests and some benches use).
 */
import { startTracing } from '../runtime/tracing.js';
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { resolve } from 'node:path';
import type { CryptoKey } from 'jose';
import { createCallerVerifier, signCallerToken } from '../gateway/identity.js';
import { startGateway, type RunningGateway } from '../gateway/gateway.js';
import { ROLES, type Role } from '../schema/identity.js';
import { loadDevKeys } from '../gateway/keys.js';
import { SUBGRAPH_NAMES, type SubgraphName } from '../schema/subgraphs.js';
import { config, configOrExit } from '../runtime/config.js';
import { onTerminationSignals, startOrExit, StartupError } from '../runtime/lifecycle.js';
import { logger } from '../runtime/logger.js';
import { assertPortFree } from '../runtime/net.js';
import { DEFAULT_DRAIN_MS, startSubgraph, type RunningSubgraph } from '../subgraphs/kit/subgraph.js';
import type { GatewayTrust } from '../subgraphs/kit/identity.js';
import { roleSupergraphPath } from './compose.js';
import {
  databaseUrlVariable,
  provisionDatabase,
  startEmbeddedPostgres,
  subgraphDatabaseUrls,
  takeOverTerminationSignals,
  type Database,
  type SubgraphDatabaseUrls,
} from './database.js';
import { demoDataAllowed, demoRefusal, markDatabaseOrigin, type DatabaseOrigin } from './database-origin.js';
import { SUBGRAPHS } from './subgraphs.js';

export interface PlatformOptions {
  /** Each subgraph's own role's URL: its requests are served on it (kit/privileges.ts says what each may do). */
  databaseUrls: SubgraphDatabaseUrls;
  /** The owner role's URL: migrations run on it (each subgraph's own URL when absent: a single-role set-up). */
  migrationUrl?: string;
  callerPublicKey: CryptoKey;
  gateway: { privateKey: CryptoKey; publicKey: CryptoKey };
  /** Whom the subgraphs trust to sign identity tokens (a JWK set, a JWKS URL…); the gateway's public key when absent. */
  trustedGatewayKeys?: GatewayTrust;
  gatewayPort?: number;
  /** Load demo data — honoured only in a database marked as created for them (platform/database-origin.ts). */
  seedDemo?: boolean;
  exposeSqlCount?: boolean;
  /** false only to measure the policy's cost (bench/). */
  enforcePolicy?: boolean;
  /**
   * Whether the subgraphs run their background work (the research subgraph's published snapshots);
   * false only for a test that writes in bulk and reads no published aggregate, so that no computation
   * follows its writes. Default true.
   */
  background?: boolean;
  /** How long the gateway waits for a subgraph (gateway's default when absent). */
  subgraphTimeoutMs?: number;
  /**
   * false: the database is known to be migrated already (a copy of a migrated database: the tests'), so the
   * subgraphs do not look; readiness still checks every migration is applied. Default true.
   */
  migrate?: boolean;
  /** Each role's gateway built at its first request, not at start (tests: gateway.ts startRolesOnFirstRequest). */
  gatewayRolesOnFirstRequest?: boolean;
  /** Each subgraph's port (0 or absent: a free one). */
  subgraphPorts?: Partial<Record<SubgraphName, number>>;
  host?: string;
}

export interface Platform {
  gateway: RunningGateway;
  subgraphs: RunningSubgraph[];
  /** Rows added by demo seeding, per subgraph. */
  seeded: Record<string, number>;
  /** What the platform found the first time it started on this database (whether demo data may load). */
  origin: DatabaseOrigin;
  /**
   * In order: the gateway (its own drain), then each subgraph drains its in-flight requests
   * (at most `drainMs`) and closes its ORM pool. PostgreSQL is the caller's to stop after.
   */
  stop(drainMs?: number): Promise<void>;
}

/** billing first: its migration holds the conventions the demo pathways refer to. */
const SUBGRAPH_ORDER = ['billing', 'participants', 'pathways', 'research'] as const satisfies readonly SubgraphName[];

type SubgraphsOptions = Pick<
  PlatformOptions,
  | 'databaseUrls'
  | 'migrationUrl'
  | 'gateway'
  | 'trustedGatewayKeys'
  | 'seedDemo'
  | 'exposeSqlCount'
  | 'enforcePolicy'
  | 'subgraphPorts'
  | 'host'
  | 'background'
  | 'migrate'
>;

interface StartedSubgraphs {
  subgraphs: RunningSubgraph[];
  seeded: Record<string, number>;
  origin: DatabaseOrigin;
}

/**
 * The four subgraphs in this process, migrated (billing first) and, when asked, seeded with demo
 * data — only if the database was marked as created for them before anything migrated: demo rows
 * attach to whoever is in the tables, so a database that holds people never gets any.
 */
async function startSubgraphs(options: SubgraphsOptions): Promise<StartedSubgraphs> {
  const host = options.host ?? '127.0.0.1';
  const subgraphs: RunningSubgraph[] = [];
  const seeded: Record<string, number> = {};
  const origin = await markDatabaseOrigin(
    options.migrationUrl ?? options.databaseUrls.participants,
    options.seedDemo ?? false,
  );
  const seedDemo = (options.seedDemo ?? false) && demoDataAllowed(origin);
  try {
    for (const name of SUBGRAPH_ORDER) {
      const definition = SUBGRAPHS[name];
      const running = await startSubgraph(definition, {
        databaseUrl: options.databaseUrls[name],
        migrationUrl: options.migrationUrl,
        runMigrations: options.migrate ?? true,
        gatewayKey: options.trustedGatewayKeys ?? options.gateway.publicKey,
        exposeSqlCount: options.exposeSqlCount,
        enforcePolicy: options.enforcePolicy,
        host,
        port: options.subgraphPorts?.[name] ?? 0,
        background: !seedDemo && (options.background ?? true), // after the demo load (below): its writes are followed as one
      });
      subgraphs.push(running);
      if (seedDemo && definition.seedDemo)
        seeded[name] = await definition.seedDemo(running.orm, {
          ownerUrl: options.migrationUrl ?? options.databaseUrls[name],
        });
    }
    // Demo data that reads every subgraph's (outcomes by trial arm), in the order it flows: the jobs, then what the insurers paid.
    for (const name of seedDemo ? (['participants', 'pathways', 'research', 'billing'] as const) : []) {
      const late = SUBGRAPHS[name].seedDemoAfterAll;
      const running = subgraphs.find((s) => s.name === name);
      if (late && running)
        seeded[name] =
          (seeded[name] ?? 0) +
          (await late(running.orm, { ownerUrl: options.migrationUrl ?? options.databaseUrls[name] }));
    }
    if (options.background ?? true) for (const running of subgraphs) await running.startBackground();
    return { subgraphs, seeded, origin };
  } catch (error) {
    await Promise.all(subgraphs.map((s) => s.stop()));
    throw error;
  }
}

async function assertPortsFree(
  options: Pick<PlatformOptions, 'gatewayPort' | 'subgraphPorts' | 'host'>,
): Promise<void> {
  const host = options.host ?? '127.0.0.1';
  await assertPortFree(options.gatewayPort ?? 0, host, 'PORT');
  for (const [name, port] of Object.entries(options.subgraphPorts ?? {}))
    await assertPortFree(port, host, `IPS_SUBGRAPH_PORTS (${name}=…)`);
}

function gatewayFor(options: PlatformOptions, subgraphUrls: Record<string, string>): Promise<RunningGateway> {
  return startGateway({
    supergraphs: loadRoleSupergraphs(),
    subgraphUrls,
    verifyCaller: createCallerVerifier({ publicKey: options.callerPublicKey }),
    gatewayPrivateKey: options.gateway.privateKey,
    host: options.host ?? '127.0.0.1',
    port: options.gatewayPort,
    exposeSqlCount: options.exposeSqlCount,
    subgraphTimeoutMs: options.subgraphTimeoutMs,
    startRolesOnFirstRequest: options.gatewayRolesOnFirstRequest,
  });
}

/** The whole platform in this process (tests, benches, IPS_PROCESSES=one). */
export async function startPlatform(options: PlatformOptions): Promise<Platform> {
  // Before any gateway is constructed: @apollo/gateway's usage reporting (and its cloud-metadata probes) stays off.
  process.env.APOLLO_TELEMETRY_DISABLED ??= config().APOLLO_TELEMETRY_DISABLED;
  // Every port first, so a taken one fails before migrations run.
  await assertPortsFree(options);
  const { subgraphs, seeded, origin } = await startSubgraphs(options);
  try {
    const gateway = await gatewayFor(options, Object.fromEntries(subgraphs.map((s) => [s.name, s.url])));
    return {
      gateway,
      subgraphs,
      seeded,
      origin,
      stop: async (drainMs = DEFAULT_DRAIN_MS) => {
        // The gateway drains first (its requests in flight answered, bounded), then the subgraphs theirs.
        await gateway.stop();
        await Promise.all(subgraphs.map((s) => s.stop(drainMs)));
      },
    };
  } catch (error) {
    await Promise.all(subgraphs.map((s) => s.stop()));
    throw error;
  }
}

/**
 * Migrates (owner role) and seeds the database in this process, with the four subgraphs started
 * on free ports and stopped again: what a forked `prepare-database.js` runs before the subgraphs serve.
 */
export async function prepareDatabase(
  options: Pick<PlatformOptions, 'databaseUrls' | 'migrationUrl' | 'gateway' | 'seedDemo' | 'host'>,
): Promise<PreparedDatabase> {
  const { subgraphs, seeded, origin } = await startSubgraphs({ ...options, subgraphPorts: {} });
  await Promise.all(subgraphs.map((s) => s.stop()));
  return { seeded, origin };
}

/** What preparing a database did: demo rows added per subgraph, and the database's mark. */
export interface PreparedDatabase {
  seeded: Record<string, number>;
  origin: DatabaseOrigin;
}

const PREPARE_DATABASE = fileURLToPath(new URL('./prepare-database.js', import.meta.url));

/** The migrations and demo data in a short-lived process: what they load is not kept by the gateway's. */
function prepareInChild(options: PlatformOptions): Promise<PreparedDatabase> {
  const child = fork(PREPARE_DATABASE, [], {
    env: {
      ...databaseEnv(process.env, options, SUBGRAPH_ORDER),
      ...(options.migrationUrl ? { MIGRATION_DATABASE_URL: options.migrationUrl } : {}),
      IPS_DEMO_DATA: options.seedDemo ? 'on' : 'off',
      HOST: options.host ?? '127.0.0.1',
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolvePrepared, reject) => {
    let prepared: PreparedDatabase | undefined;
    child.once(
      'message',
      (message: { type: 'prepared' } & PreparedDatabase) =>
        (prepared = { seeded: message.seeded, origin: message.origin }),
    );
    child.once('exit', (code) =>
      code === 0 && prepared
        ? resolvePrepared(prepared)
        : reject(new StartupError(`preparing the database failed (exit code ${code}): see the lines above`)),
    );
  });
}

/** A subgraph serving in a process of its own, forked from the launcher. */
export interface SubgraphProcess {
  name: SubgraphName;
  url: string;
  port: number;
  pid: number;
}

export interface PlatformProcesses {
  gateway: RunningGateway;
  subgraphs: SubgraphProcess[];
  seeded: Record<string, number>;
  origin: DatabaseOrigin;
  /** Resolves when a subgraph process ends without being asked to (its name and exit code). */
  readonly lost: Promise<{ name: SubgraphName; code: number | null }>;
  /** The gateway drains, then each subgraph process drains (SIGTERM) and exits. */
  stop(drainMs?: number): Promise<void>;
}

/** The message a forked subgraph process sends its launcher once it serves (serve-subgraph.ts). */
export interface SubgraphReady {
  type: 'ready';
  subgraphs: { name: SubgraphName; url: string; port: number }[];
}

const SERVE_SUBGRAPH = fileURLToPath(new URL('./serve-subgraph.js', import.meta.url));

/** The variables that carry database credentials: a child process gets only those of its subgraphs. */
const DATABASE_VARIABLES = [
  'DATABASE_URL',
  'MIGRATION_DATABASE_URL',
  'DATABASE_ADMIN_URL',
  'IPS_APP_PASSWORD',
  'IPS_OWNER_PASSWORD',
  ...SUBGRAPH_NAMES.map(databaseUrlVariable),
];

/** The environment of a child serving `names`: each one's own URL, and no other subgraph's credentials. */
function databaseEnv(
  env: NodeJS.ProcessEnv,
  options: Pick<PlatformOptions, 'databaseUrls'>,
  names: readonly SubgraphName[],
): NodeJS.ProcessEnv {
  const child = Object.fromEntries(Object.entries(env).filter(([name]) => !DATABASE_VARIABLES.includes(name)));
  for (const name of names) child[databaseUrlVariable(name)] = options.databaseUrls[name];
  return child;
}

function forkSubgraphs(
  names: readonly SubgraphName[],
  env: NodeJS.ProcessEnv,
): Promise<{ child: ChildProcess; ready: SubgraphReady }> {
  // A process group of its own: a terminal's Ctrl-C reaches the launcher, which stops the children in order.
  const child = fork(SERVE_SUBGRAPH, [names.join(',')], {
    env,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    detached: true,
  });
  return new Promise((resolveReady, reject) => {
    const onExit = (code: number | null) =>
      reject(
        new StartupError(
          `the process of the ${names.join(', ')} subgraph${names.length > 1 ? 's' : ''} ended at start (exit code ${code})`,
        ),
      );
    child.once('exit', onExit);
    child.once('message', (message: SubgraphReady) => {
      child.off('exit', onExit);
      resolveReady({ child, ready: message });
    });
  });
}

/** How `npm start` lays the subgraphs out in processes (IPS_PROCESSES; `one` is startPlatform). */
export type ProcessLayout = 'per-subgraph' | 'two';

/**
 * The platform in several processes: the database is migrated and seeded by a short-lived child
 * first, then the subgraphs serve on the application role (MIGRATE=off) — each in a forked process of
 * its own (`per-subgraph`), or the four side by side in one (`two`: with the gateway's, two processes)
 * — and the gateway serves in this one.
 */
export async function startPlatformProcesses(
  options: PlatformOptions,
  layout: ProcessLayout = 'per-subgraph',
): Promise<PlatformProcesses> {
  process.env.APOLLO_TELEMETRY_DISABLED ??= config().APOLLO_TELEMETRY_DISABLED;
  await assertPortsFree(options);
  const prepared = await prepareInChild(options);
  const children: { names: readonly SubgraphName[]; child: ChildProcess }[] = [];
  let stopping = false;
  let reportLost: (lost: { name: SubgraphName; code: number | null }) => void = () => {};
  const lost = new Promise<{ name: SubgraphName; code: number | null }>((resolveLost) => (reportLost = resolveLost));
  const stopChildren = (drainMs: number) =>
    Promise.all(
      children.map(
        ({ child }) =>
          new Promise<void>((resolveStopped) => {
            if (child.exitCode !== null || child.signalCode !== null) {
              resolveStopped();
              return;
            }
            const killer = setTimeout(() => child.kill('SIGKILL'), drainMs + 5_000);
            child.once('exit', () => {
              clearTimeout(killer);
              resolveStopped();
            });
            child.kill('SIGTERM');
          }),
      ),
    );
  try {
    const processes: SubgraphProcess[] = [];
    const groups: (readonly SubgraphName[])[] =
      layout === 'two' ? [SUBGRAPH_ORDER] : SUBGRAPH_ORDER.map((name) => [name]);
    for (const names of groups) {
      const [first] = names;
      if (!first) throw new Error('A subgraph process must serve at least one subgraph');
      const { child, ready } = await forkSubgraphs(names, {
        ...databaseEnv(process.env, options, names),
        MIGRATE: 'off',
        HOST: options.host ?? '127.0.0.1',
        PORT: String(names.length === 1 ? (options.subgraphPorts?.[first] ?? 0) : 0),
        IPS_SUBGRAPH_PORTS: names.map((name) => `${name}=${options.subgraphPorts?.[name] ?? 0}`).join(','),
        IPS_DEBUG_SQL: options.exposeSqlCount ? '1' : (process.env.IPS_DEBUG_SQL ?? ''),
      });
      children.push({ names, child });
      child.once('exit', (code) => {
        if (!stopping) reportLost({ name: first, code });
      });
      const pid = child.pid;
      if (pid === undefined) throw new Error(`The process of ${names.join(', ')} did not start`);
      for (const subgraph of ready.subgraphs) processes.push({ ...subgraph, pid });
    }
    const gateway = await gatewayFor(options, Object.fromEntries(processes.map((s) => [s.name, s.url])));
    return {
      gateway,
      subgraphs: processes,
      seeded: prepared.seeded,
      origin: prepared.origin,
      lost,
      stop: async (drainMs = DEFAULT_DRAIN_MS) => {
        stopping = true;
        await gateway.stop();
        await stopChildren(drainMs);
      },
    };
  } catch (error) {
    stopping = true;
    await stopChildren(DEFAULT_DRAIN_MS);
    throw error;
  }
}

/** Each role's supergraph, as `npm run compose` wrote it. */
export function loadRoleSupergraphs(): Record<Role, string> {
  return Object.fromEntries(
    ROLES.map((role) => [role, readFileSync(resolve(roleSupergraphPath(role)), 'utf8')]),
  ) as Record<Role, string>;
}

/**
 * The web pages with a development token in the link's fragment (never sent to the server; the page
 * keeps it for the tab): the integrators' dashboard, and the questionnaire of a demo person whose wave
 * is open or due. Local development keys only: `npm start` is development.
 */
async function printPageLinks(gatewayUrl: string, ownerUrl: string): Promise<void> {
  const keys = await loadDevKeys();
  const base = gatewayUrl;
  const integrator = await signCallerToken(
    { role: 'INTEGRATOR', organisation: 'DASHBOARD-WAL', subject: 'dev-integrator' },
    keys.caller.privateKey,
    '8h',
  );
  console.log(`  dashboard (integrator): ${base}dashboard/?region=WALLONIA#token=${integrator}`);
  // A person's NISS across two subgraphs' tables: the owner role's read (development only), no subgraph's.
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  const {
    rows: [person],
  } = await client
    .query<{ niss: string }>(
      `select p.niss from research.questionnaire_wave_status w join participants.participant p on p.id = w.participant_id
       where w.state in ('OPEN', 'DUE') order by w.state desc, p.niss limit 1`,
    )
    .finally(() => client.end());
  if (!person) return;
  const token = await signCallerToken(
    { role: 'PARTICIPANT', organisation: 'SELF', subject: person.niss },
    keys.caller.privateKey,
    '8h',
  );
  console.log(`  questionnaire (a demo person with a wave to answer): ${base}questionnaire/#token=${token}`);
}

async function main(): Promise<void> {
  const startedAt = performance.now();
  const env = configOrExit();
  startTracing({ service: 'ips-graph' }); // off unless IPS_TRACING says otherwise
  const log = logger();
  let database: Database | undefined;
  const dataDir = resolve(env.IPS_DATA_DIR);
  const gatewayPort = env.PORT ?? 4000;
  let ownerUrl = '';
  const platform = await startOrExit(async (): Promise<Platform | PlatformProcesses> => {
    // Ports before anything starts: a taken one is one line naming it.
    await assertPortFree(gatewayPort, env.HOST, 'PORT');
    for (const [name, port] of Object.entries(env.IPS_SUBGRAPH_PORTS))
      await assertPortFree(port, env.HOST, `IPS_SUBGRAPH_PORTS (${name}=…)`);
    const givenUrl = env.DATABASE_URL ?? SUBGRAPH_NAMES.map((name) => env[databaseUrlVariable(name)]).find(Boolean);
    // No server named (neither a subgraph's URL nor an administrator's): the embedded one.
    if (!givenUrl && !env.DATABASE_ADMIN_URL)
      database = await startEmbeddedPostgres({ dataDir, port: env.PGPORT, portVariable: 'PGPORT', persistent: true });
    try {
      // With an administrator's URL (the embedded server's, or DATABASE_ADMIN_URL) the database is provisioned
      // and the subgraphs migrate as the owner role and each serves as its own role; without it, each subgraph
      // serves on its <NAME>_DATABASE_URL (DATABASE_URL when unset) and migrates on MIGRATION_DATABASE_URL.
      const adminUrl = env.DATABASE_ADMIN_URL ?? database?.url;
      const { subgraphUrls: databaseUrls, ownerUrl: migrationUrl } = adminUrl
        ? await provisionDatabase(adminUrl, new URL(givenUrl ?? adminUrl).pathname.slice(1) || 'ips')
        : { subgraphUrls: subgraphDatabaseUrls(env), ownerUrl: env.MIGRATION_DATABASE_URL };
      ownerUrl = migrationUrl ?? databaseUrls.research;
      const keys = await loadDevKeys();
      // Five processes want five cores; with fewer, two (gateway, subgraphs) use them with less memory (bench/platform-bench.ts).
      const layout =
        env.IPS_PROCESSES === 'auto' ? (availableParallelism() >= 5 ? 'per-subgraph' : 'two') : env.IPS_PROCESSES;
      const start = (platformOptions: PlatformOptions) =>
        layout === 'one' ? startPlatform(platformOptions) : startPlatformProcesses(platformOptions, layout);
      return await start({
        databaseUrls,
        migrationUrl,
        callerPublicKey: keys.caller.publicKey,
        gateway: keys.gateway,
        host: env.HOST,
        gatewayPort,
        subgraphPorts: env.IPS_SUBGRAPH_PORTS,
        seedDemo: env.IPS_DEMO_DATA === 'on',
        exposeSqlCount: env.IPS_DEBUG_SQL === '1',
        subgraphTimeoutMs: env.IPS_SUBGRAPH_TIMEOUT_MS,
      });
    } catch (error) {
      await database?.stop();
      throw error;
    }
  });
  const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);
  // The human summary on stdout (the README's first command); everything else is JSON lines.
  console.log(
    `IPS graph ready in ${seconds}s at ${platform.gateway.url}graphql (${database ? `embedded PostgreSQL in ${dataDir}, port ${env.PGPORT}` : 'DATABASE_URL'})`,
  );
  for (const subgraph of platform.subgraphs)
    console.log(
      `  subgraph ${subgraph.name.padEnd(12)} ${subgraph.url}graphql  (health: ${subgraph.url}health/ready${'pid' in subgraph ? `; process ${subgraph.pid}` : ''})`,
    );
  for (const [name, rows] of Object.entries(platform.seeded))
    if (rows > 0) console.log(`  demo data: ${name} +${rows}`);
  if (env.IPS_DEMO_DATA === 'on' && !demoDataAllowed(platform.origin)) console.log(`  ${demoRefusal(platform.origin)}`);
  console.log('  get a token: npm run --silent token -- --role INAMI --org INAMI');
  await printPageLinks(platform.gateway.url, ownerUrl).catch((error: unknown) =>
    log.warn({ err: error }, 'no links to the web pages'),
  );
  log.info(
    {
      gateway: platform.gateway.url,
      subgraphs: Object.fromEntries(platform.subgraphs.map((s) => [s.name, s.port])),
      pgPort: database ? env.PGPORT : undefined,
    },
    'ready',
  );
  const shutdown = async () => {
    await platform.stop(env.IPS_SHUTDOWN_TIMEOUT_MS); // drain, then close the pools
    await database?.stop(); // then PostgreSQL
    log.info('stopped');
    log.flush();
  };
  takeOverTerminationSignals(); // our shutdown stops PostgreSQL last, after the drain
  onTerminationSignals(shutdown, (message) => log.info(message));
  // A subgraph process that dies takes the platform down with it (exit 1): a supervisor restarts the whole.
  if ('lost' in platform)
    void platform.lost.then(async ({ name, code }) => {
      log.error({ subgraph: name, code }, 'a subgraph process ended; stopping the platform');
      await shutdown().catch(() => {});
      process.exit(1);
    });
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
