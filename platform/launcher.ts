/**
 * `npm start`: the whole platform in one process — PostgreSQL (embedded unless
 * DATABASE_URL is set), the four subgraphs on their own loopback ports, and the
 * gateway in front. The only module that starts them all.
 */
import { startTracing } from '../runtime/tracing.js';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CryptoKey } from 'jose';
import { createCallerVerifier, signCallerToken } from '../gateway/identity.js';
import { startGateway, type RunningGateway } from '../gateway/gateway.js';
import { ROLES, type Role } from '../schema/identity.js';
import { loadDevKeys } from '../gateway/keys.js';
import type { SubgraphName } from '../schema/subgraphs.js';
import { config, configOrExit } from '../runtime/config.js';
import { onTerminationSignals, startOrExit } from '../runtime/lifecycle.js';
import { logger } from '../runtime/logger.js';
import { assertPortFree } from '../runtime/net.js';
import { DEFAULT_DRAIN_MS, startSubgraph, type RunningSubgraph } from '../subgraphs/kit/subgraph.js';
import type { GatewayTrust } from '../subgraphs/kit/identity.js';
import { roleSupergraphPath } from './compose.js';
import { provisionDatabase, startEmbeddedPostgres, type Database } from './database.js';
import { SUBGRAPHS } from './subgraphs.js';

export interface PlatformOptions {
  /** The application role's URL: requests are served on it. */
  databaseUrl: string;
  /** The owner role's URL: migrations run on it (databaseUrl when absent). */
  migrationUrl?: string;
  callerPublicKey: CryptoKey;
  gateway: { privateKey: CryptoKey; publicKey: CryptoKey };
  /** Whom the subgraphs trust to sign identity tokens (a JWK set, a JWKS URL…); the gateway's public key when absent. */
  trustedGatewayKeys?: GatewayTrust;
  gatewayPort?: number;
  seedDemo?: boolean;
  exposeSqlCount?: boolean;
  /** false only to measure the policy's cost (bench/). */
  enforcePolicy?: boolean;
  /** How long the gateway waits for a subgraph (gateway's default when absent). */
  subgraphTimeoutMs?: number;
  /** Each subgraph's port (0 or absent: a free one). */
  subgraphPorts?: Partial<Record<SubgraphName, number>>;
  host?: string;
}

export interface Platform {
  gateway: RunningGateway;
  subgraphs: RunningSubgraph[];
  /** Rows added by demo seeding, per subgraph. */
  seeded: Record<string, number>;
  /**
   * In order: the gateway (its own drain), then each subgraph drains its in-flight requests
   * (at most `drainMs`) and closes its ORM pool. PostgreSQL is the caller's to stop after.
   */
  stop(drainMs?: number): Promise<void>;
}

export async function startPlatform(options: PlatformOptions): Promise<Platform> {
  // Before any gateway is constructed: @apollo/gateway's usage reporting (and its cloud-metadata probes) stays off.
  process.env.APOLLO_TELEMETRY_DISABLED ??= config().APOLLO_TELEMETRY_DISABLED;
  const host = options.host ?? '127.0.0.1';
  // Every port first, so a taken one fails before migrations run.
  await assertPortFree(options.gatewayPort ?? 0, host, 'PORT');
  for (const [name, port] of Object.entries(options.subgraphPorts ?? {})) await assertPortFree(port ?? 0, host, `IPS_SUBGRAPH_PORTS (${name}=…)`);
  const subgraphs: RunningSubgraph[] = [];
  const seeded: Record<string, number> = {};
  try {
    // billing first: its migration holds the conventions the demo pathways refer to.
    for (const name of ['billing', 'participants', 'pathways', 'research'] as const satisfies readonly SubgraphName[]) {
      const definition = SUBGRAPHS[name];
      const running = await startSubgraph(definition, {
        databaseUrl: options.databaseUrl,
        migrationUrl: options.migrationUrl,
        gatewayKey: options.trustedGatewayKeys ?? options.gateway.publicKey,
        exposeSqlCount: options.exposeSqlCount,
        enforcePolicy: options.enforcePolicy,
        host,
        port: options.subgraphPorts?.[name] ?? 0,
      });
      subgraphs.push(running);
      if (options.seedDemo && definition.seedDemo) seeded[name] = await definition.seedDemo(running.orm);
    }
    // Demo data that reads every subgraph's (outcomes by trial arm), in the order it flows: the jobs, then what the insurers paid.
    for (const name of options.seedDemo ? (['participants', 'pathways', 'research', 'billing'] as const) : []) {
      const late = SUBGRAPHS[name].seedDemoAfterAll;
      const running = subgraphs.find((s) => s.name === name);
      if (late && running) seeded[name] = (seeded[name] ?? 0) + (await late(running.orm));
    }
    const gateway = await startGateway({
      supergraphs: loadRoleSupergraphs(),
      subgraphUrls: Object.fromEntries(subgraphs.map((s) => [s.name, s.url])),
      verifyCaller: createCallerVerifier({ publicKey: options.callerPublicKey }),
      gatewayPrivateKey: options.gateway.privateKey,
      host,
      port: options.gatewayPort,
      exposeSqlCount: options.exposeSqlCount,
      subgraphTimeoutMs: options.subgraphTimeoutMs,
    });
    return {
      gateway,
      subgraphs,
      seeded,
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


/** Each role's supergraph, as `npm run compose` wrote it. */
export function loadRoleSupergraphs(): Record<Role, string> {
  return Object.fromEntries(ROLES.map((role) => [role, readFileSync(resolve(roleSupergraphPath(role)), 'utf8')])) as Record<Role, string>;
}

/**
 * The web pages with a development token in the link's fragment (never sent to the server; the page
 * keeps it for the tab): the integrators' dashboard, and the questionnaire of a demo person whose wave
 * is open or due. Local development keys only: `npm start` is development.
 */
async function printPageLinks(platform: Platform): Promise<void> {
  const keys = await loadDevKeys();
  const base = platform.gateway.url;
  const integrator = await signCallerToken({ role: 'INTEGRATOR', organisation: 'DASHBOARD-WAL', subject: 'dev-integrator' }, keys.caller.privateKey, '8h');
  console.log(`  dashboard (integrator): ${base}dashboard/?region=WALLONIA#token=${integrator}`);
  const participants = platform.subgraphs.find((subgraph) => subgraph.name === 'participants');
  const [person] = participants
    ? await participants.orm.em.fork().execute<{ niss: string }[]>(
        `select p.niss from research.questionnaire_wave_status w join participants.participant p on p.id = w.participant_id
         where w.state in ('OPEN', 'DUE') order by w.state desc, p.niss limit 1`,
      )
    : [];
  if (!person) return;
  const token = await signCallerToken({ role: 'PARTICIPANT', organisation: 'SELF', subject: person.niss }, keys.caller.privateKey, '8h');
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
  const platform = await startOrExit(async () => {
    // Ports before anything starts: a taken one is one line naming it.
    await assertPortFree(gatewayPort, env.HOST, 'PORT');
    for (const [name, port] of Object.entries(env.IPS_SUBGRAPH_PORTS)) await assertPortFree(port ?? 0, env.HOST, `IPS_SUBGRAPH_PORTS (${name}=…)`);
    if (!env.DATABASE_URL) database = await startEmbeddedPostgres({ dataDir, port: env.PGPORT, portVariable: 'PGPORT', persistent: true });
    try {
      // With an administrator's URL (the embedded server's, or DATABASE_ADMIN_URL) the database is provisioned
      // and the subgraphs migrate as the owner role and serve as the unprivileged application role; without it,
      // DATABASE_URL is the application role and MIGRATION_DATABASE_URL the owner (DATABASE_URL when unset).
      const adminUrl = env.DATABASE_ADMIN_URL ?? database?.url;
      const { appUrl: databaseUrl, ownerUrl: migrationUrl } = adminUrl
        ? await provisionDatabase(adminUrl, new URL(env.DATABASE_URL ?? adminUrl).pathname.slice(1) || 'ips')
        : { appUrl: env.DATABASE_URL!, ownerUrl: env.MIGRATION_DATABASE_URL ?? env.DATABASE_URL! };
      const keys = await loadDevKeys();
      return await startPlatform({
        databaseUrl,
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
  console.log(`IPS graph ready in ${seconds}s at ${platform.gateway.url}graphql (${database ? `embedded PostgreSQL in ${dataDir}, port ${env.PGPORT}` : 'DATABASE_URL'})`);
  for (const subgraph of platform.subgraphs) console.log(`  subgraph ${subgraph.name.padEnd(12)} ${subgraph.url}graphql  (health: ${subgraph.url}health/ready)`);
  for (const [name, rows] of Object.entries(platform.seeded)) if (rows > 0) console.log(`  demo data: ${name} +${rows}`);
  console.log('  get a token: npm run --silent token -- --role INAMI --org INAMI');
  await printPageLinks(platform).catch((error: unknown) => log.warn({ err: error }, 'no links to the web pages'));
  log.info({ gateway: platform.gateway.url, subgraphs: Object.fromEntries(platform.subgraphs.map((s) => [s.name, s.port])), pgPort: database ? env.PGPORT : undefined }, 'ready');
  onTerminationSignals(
    async () => {
      await platform.stop(env.IPS_SHUTDOWN_TIMEOUT_MS); // drain, then close the pools
      await database?.stop(); // then PostgreSQL
      log.info('stopped');
      log.flush();
    },
    (message) => log.info(message),
  );
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
