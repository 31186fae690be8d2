/**
 * `npm start`: the whole platform in one process — PostgreSQL (embedded unless
 * DATABASE_URL is set), the four subgraphs on their own loopback ports, and the
 * gateway in front. The only module that starts them all.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CryptoKey } from 'jose';
import { createCallerVerifier } from '../gateway/identity.js';
import { startGateway, type RunningGateway } from '../gateway/gateway.js';
import { ROLES, type Role } from '../schema/identity.js';
import { loadDevKeys } from '../gateway/keys.js';
import type { SubgraphName } from '../schema/subgraphs.js';
import type { GatewayTrust } from '../subgraphs/kit/identity.js';
import { startSubgraph, type RunningSubgraph } from '../subgraphs/kit/subgraph.js';
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
}

export interface Platform {
  gateway: RunningGateway;
  subgraphs: RunningSubgraph[];
  /** Rows added by demo seeding, per subgraph. */
  seeded: Record<string, number>;
  stop(): Promise<void>;
}

export async function startPlatform(options: PlatformOptions): Promise<Platform> {
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
      });
      subgraphs.push(running);
      if (options.seedDemo && definition.seedDemo) seeded[name] = await definition.seedDemo(running.orm);
    }
    const gateway = await startGateway({
      supergraphs: loadRoleSupergraphs(),
      subgraphUrls: Object.fromEntries(subgraphs.map((s) => [s.name, s.url])),
      verifyCaller: createCallerVerifier({ publicKey: options.callerPublicKey }),
      gatewayPrivateKey: options.gateway.privateKey,
      port: options.gatewayPort,
      exposeSqlCount: options.exposeSqlCount,
      subgraphTimeoutMs: options.subgraphTimeoutMs,
    });
    return {
      gateway,
      subgraphs,
      seeded,
      stop: async () => {
        await gateway.stop();
        await Promise.all(subgraphs.map((s) => s.stop()));
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

async function main(): Promise<void> {
  const startedAt = performance.now();
  let database: Database | undefined;
  const dataDir = resolve(process.env.IPS_DATA_DIR ?? '.data/postgres');
  if (!process.env.DATABASE_URL) database = await startEmbeddedPostgres({ dataDir, port: Number(process.env.PGPORT ?? 54329), persistent: true });
  // With an administrator's URL (the embedded server's, or DATABASE_ADMIN_URL) the database is provisioned
  // and the subgraphs migrate as the owner role and serve as the unprivileged application role; without it,
  // DATABASE_URL is the application role and MIGRATION_DATABASE_URL the owner (DATABASE_URL when unset).
  const adminUrl = process.env.DATABASE_ADMIN_URL ?? database?.url;
  const { appUrl: databaseUrl, ownerUrl: migrationUrl } = adminUrl
    ? await provisionDatabase(adminUrl, new URL(process.env.DATABASE_URL ?? adminUrl).pathname.slice(1) || 'ips')
    : { appUrl: process.env.DATABASE_URL!, ownerUrl: process.env.MIGRATION_DATABASE_URL ?? process.env.DATABASE_URL! };
  const keys = await loadDevKeys();
  const platform = await startPlatform({
    databaseUrl,
    migrationUrl,
    callerPublicKey: keys.caller.publicKey,
    gateway: keys.gateway,
    gatewayPort: Number(process.env.PORT ?? 4000),
    seedDemo: process.env.IPS_DEMO_DATA !== 'off',
    exposeSqlCount: process.env.IPS_DEBUG_SQL === '1',
    subgraphTimeoutMs: process.env.IPS_SUBGRAPH_TIMEOUT_MS ? Number(process.env.IPS_SUBGRAPH_TIMEOUT_MS) : undefined,
  });
  const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);
  console.log(`IPS graph ready in ${seconds}s at ${platform.gateway.url}graphql (${database ? `embedded PostgreSQL in ${dataDir}` : 'DATABASE_URL'})`);
  for (const [name, rows] of Object.entries(platform.seeded)) if (rows > 0) console.log(`  demo data: ${name} +${rows}`);
  console.log('  get a token: npm run --silent token -- --role INAMI --org INAMI');
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    await platform.stop();
    await database?.stop();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
