/**
 * `npm run start:subgraph -- <participants|pathways|research|billing>`: one subgraph
 * as its own process, configured by environment:
 * - DATABASE_URL (required: the application role), PORT (0: any free port), HOST (127.0.0.1)
 * - MIGRATION_DATABASE_URL: the owner role, which runs the migrations (DATABASE_URL when unset)
 * - GATEWAY_JWKS_URL (a JWKS URL, refetched for an unknown kid), GATEWAY_JWKS (a JWK set) or
 *   GATEWAY_PUBLIC_JWK (one key): whom identity tokens are accepted from; the local dev key otherwise
 * - MIGRATE=off to skip migrations (when a release job runs them)
 */
import { loadDevKeys } from '../gateway/keys.js';
import { SUBGRAPH_NAMES, type SubgraphName } from '../schema/subgraphs.js';
import { gatewayTrustFromEnv } from '../subgraphs/kit/identity.js';
import { startSubgraph } from '../subgraphs/kit/subgraph.js';
import { SUBGRAPHS } from './subgraphs.js';

const name = process.argv[2] as SubgraphName;
if (!SUBGRAPH_NAMES.includes(name) || !process.env.DATABASE_URL) {
  console.error(`usage: DATABASE_URL=postgres://… npm run start:subgraph -- <${SUBGRAPH_NAMES.join('|')}>`);
  process.exit(2);
}
const gatewayKey = (await gatewayTrustFromEnv()) ?? (await loadDevKeys()).gateway.publicKey;
const running = await startSubgraph(SUBGRAPHS[name], {
  databaseUrl: process.env.DATABASE_URL,
  migrationUrl: process.env.MIGRATION_DATABASE_URL,
  gatewayKey,
  host: process.env.HOST ?? '127.0.0.1',
  port: Number(process.env.PORT ?? 0),
  runMigrations: process.env.MIGRATE !== 'off',
});
console.log(`IPS subgraph ${name} at ${running.url}`);
