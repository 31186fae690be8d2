/**
 * `npm run start:subgraph -- <participants|pathways|research|billing>`: one subgraph (or several,
 * comma-separated, side by side) as its own process, configured by environment (runtime/config.ts, docs/operators.md):
 * - <NAME>_DATABASE_URL (e.g. PATHWAYS_DATABASE_URL: the subgraph's own role, as `db:provision` prints it),
 *   else DATABASE_URL; PORT (0: any free port), HOST (127.0.0.1)
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
import { startSubgraph, type RunningSubgraph } from '../subgraphs/kit/subgraph.js';
import type { SubgraphReady } from './launcher.js';
import { databaseUrlVariable, subgraphDatabaseUrls } from './database.js';
import { SUBGRAPHS } from './subgraphs.js';

const env = configOrExit();
// One subgraph, or several side by side in this process (comma-separated: what IPS_PROCESSES=two forks).
const names = (process.argv[2] ?? '').split(',') as SubgraphName[];
startTracing({ service: `ips-graph-${names.join('-')}` }); // off unless IPS_TRACING says otherwise
if (
  names.some((name) => !SUBGRAPH_NAMES.includes(name)) ||
  names.some((name) => !env[databaseUrlVariable(name)] && !env.DATABASE_URL)
) {
  console.error(
    `usage: <NAME>_DATABASE_URL=postgres://… (each subgraph's own role, e.g. PATHWAYS_DATABASE_URL; else DATABASE_URL) npm run start:subgraph -- <${SUBGRAPH_NAMES.join('|')}>[,<another>…]`,
  );
  process.exit(2);
}
const databaseUrls = subgraphDatabaseUrls(env, names);
const gatewayKey = (await gatewayTrustFromEnv()) ?? (await loadDevKeys()).gateway.publicKey;
const running = await startOrExit(async () => {
  const started: RunningSubgraph[] = [];
  try {
    for (const name of names) {
      started.push(
        await startSubgraph(SUBGRAPHS[name], {
          databaseUrl: databaseUrls[name],
          migrationUrl: env.MIGRATION_DATABASE_URL,
          gatewayKey,
          host: env.HOST,
          // One subgraph: PORT; several: each its IPS_SUBGRAPH_PORTS entry (0: a free port).
          port: names.length === 1 ? (env.PORT ?? 0) : (env.IPS_SUBGRAPH_PORTS[name] ?? 0),
          portVariable: names.length === 1 ? 'PORT' : `IPS_SUBGRAPH_PORTS (${name}=…)`,
          runMigrations: env.MIGRATE === 'on',
          exposeSqlCount: env.IPS_DEBUG_SQL === '1',
        }),
      );
    }
    return started;
  } catch (error) {
    await Promise.all(started.map((subgraph) => subgraph.stop()));
    throw error;
  }
});
if (process.send)
  process.send({
    type: 'ready',
    subgraphs: running.map(({ name, url, port }) => ({ name, url, port })),
  } satisfies SubgraphReady);
else
  for (const { name, url, port } of running)
    console.log(`IPS subgraph ${name} at ${url}graphql (port ${port}; health: ${url}health/ready)`);
for (const { name, port } of running) logger().info({ subgraph: name, port }, 'ready');
onTerminationSignals(
  async () => {
    await Promise.all(running.map((subgraph) => subgraph.stop(env.IPS_SHUTDOWN_TIMEOUT_MS)));
  },
  (message) => logger().info({ subgraphs: names }, message),
);
// Forked by the launcher: its end (even a SIGKILL) closes the channel; stop as on SIGTERM.
process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
