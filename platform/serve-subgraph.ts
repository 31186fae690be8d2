/**
 * `npm run start:subgraph -- <participants|pathways|research|billing>`: one subgraph
 * as its own process, configured by environment (runtime/config.ts, README):
 * - DATABASE_URL (required: the application role), PORT (0: any free port), HOST (127.0.0.1)
 * - MIGRATION_DATABASE_URL: the owner role, which runs the migrations (DATABASE_URL when unset)
 * - GATEWAY_JWKS_URL (a JWKS URL, refetched for an unknown kid), GATEWAY_JWKS (a JWK set) or
 *   GATEWAY_PUBLIC_JWK (one key): whom identity tokens are accepted from; the local dev key otherwise
 * - MIGRATE=off to skip migrations (when a release job runs them)
 * SIGTERM/SIGINT: drain in-flight requests (IPS_SHUTDOWN_TIMEOUT_MS), close the pool, exit 0.
 * Forked by `npm start` (platform/launcher.ts): it tells the launcher where it serves over the IPC
 * channel, and stops as on SIGTERM when that channel closes (the launcher is gone).
 */
import { startTracing } from '../runtime/tracing.js';
import { loadDevKeys } from '../gateway/keys.js';
import { configOrExit } from '../runtime/config.js';
import { onTerminationSignals, startOrExit } from '../runtime/lifecycle.js';
import { logger } from '../runtime/logger.js';
import { SUBGRAPH_NAMES, type SubgraphName } from '../schema/subgraphs.js';
import { gatewayTrustFromEnv } from '../subgraphs/kit/identity.js';
import { startSubgraph } from '../subgraphs/kit/subgraph.js';
import type { SubgraphReady } from './launcher.js';
import { SUBGRAPHS } from './subgraphs.js';

const env = configOrExit();
const name = process.argv[2] as SubgraphName;
startTracing({ service: `ips-graph-${name}` }); // off unless IPS_TRACING says otherwise
if (!SUBGRAPH_NAMES.includes(name) || !env.DATABASE_URL) {
  console.error(`usage: DATABASE_URL=postgres://… npm run start:subgraph -- <${SUBGRAPH_NAMES.join('|')}>`);
  process.exit(2);
}
const running = await startOrExit(async () =>
  startSubgraph(SUBGRAPHS[name], {
    databaseUrl: env.DATABASE_URL!,
    migrationUrl: env.MIGRATION_DATABASE_URL,
    gatewayKey: (await gatewayTrustFromEnv()) ?? (await loadDevKeys()).gateway.publicKey,
    host: env.HOST,
    port: env.PORT ?? 0,
    portVariable: 'PORT',
    runMigrations: env.MIGRATE === 'on',
    exposeSqlCount: env.IPS_DEBUG_SQL === '1',
  }),
);
if (process.send) process.send({ type: 'ready', url: running.url, port: running.port } satisfies SubgraphReady);
else console.log(`IPS subgraph ${name} at ${running.url}graphql (port ${running.port}; health: ${running.url}health/ready)`);
logger().info({ subgraph: name, port: running.port }, 'ready');
onTerminationSignals(
  () => running.stop(env.IPS_SHUTDOWN_TIMEOUT_MS),
  (message) => logger().info({ subgraph: name }, message),
);
// Forked by the launcher: its end (even a SIGKILL) closes the channel; stop as on SIGTERM.
process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
