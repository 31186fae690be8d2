/**
 * `npm run start:gateway`: the gateway alone, configured by environment:
 * - SUBGRAPH_URLS: `participants=http://…/graphql,pathways=…,research=…,billing=…` (required)
 * - CALLER_JWKS_URL (+ CALLER_ISSUER, CALLER_AUDIENCE) in production; the local dev key otherwise
 * - GATEWAY_PRIVATE_JWK: the key that signs subgraph tokens; the local dev key otherwise
 * - PORT (4000), HOST (127.0.0.1), SUPERGRAPHS (folder of the role supergraphs, schema/roles)
 * - IPS_SUBGRAPH_TIMEOUT_MS: how long a subgraph may take before its part of the answer is an error (15000)
 * - IPS_CORS_ORIGINS: browser origins allowed (comma-separated, `http://host:*` for any port); none in production, loopback otherwise
 * - IPS_IDE: on|off, the in-browser IDE at / and /graphql; on unless NODE_ENV=production
 */
import { startTracing } from '../runtime/tracing.js';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CryptoKey } from 'jose';
import { configOrExit } from '../runtime/config.js';
import { onTerminationSignals, startOrExit } from '../runtime/lifecycle.js';
import { logger } from '../runtime/logger.js';
import { assertPortFree } from '../runtime/net.js';
import { ROLES, type Role } from '../schema/identity.js';
import { startGateway } from './gateway.js';
import { createCallerVerifier } from './identity.js';
import { keyFromJwkEnv, loadDevKeys } from './keys.js';

const env = configOrExit();
startTracing({ service: 'ips-graph-gateway' }); // off unless IPS_TRACING says otherwise
const subgraphUrls: Record<string, string> = { ...env.SUBGRAPH_URLS };
if (Object.keys(subgraphUrls).length === 0) {
  console.error(
    'Set SUBGRAPH_URLS, e.g. participants=http://127.0.0.1:4001/graphql,pathways=http://127.0.0.1:4002/graphql,…',
  );
  process.exit(2);
}
const gateway = await startOrExit(async () => {
  await assertPortFree(env.PORT ?? 4000, env.HOST, 'PORT');
  const devKeys = env.CALLER_JWKS_URL && env.GATEWAY_PRIVATE_JWK ? undefined : await loadDevKeys();
  const gatewayPrivateKey: CryptoKey = env.GATEWAY_PRIVATE_JWK
    ? await keyFromJwkEnv('GATEWAY_PRIVATE_JWK')
    : (devKeys ?? (await loadDevKeys())).gateway.privateKey;
  return startGateway({
    supergraphs: Object.fromEntries(
      ROLES.map((role) => [role, readFileSync(resolve(env.SUPERGRAPHS, `${role}.supergraph.graphql`), 'utf8')]),
    ) as Record<Role, string>,
    subgraphUrls,
    verifyCaller: createCallerVerifier(
      env.CALLER_JWKS_URL
        ? { jwksUrl: env.CALLER_JWKS_URL, issuer: env.CALLER_ISSUER, audience: env.CALLER_AUDIENCE }
        : { publicKey: (devKeys ?? (await loadDevKeys())).caller.publicKey },
    ),
    gatewayPrivateKey,
    host: env.HOST,
    port: env.PORT ?? 4000,
    subgraphTimeoutMs: env.IPS_SUBGRAPH_TIMEOUT_MS,
  });
});
console.log(`IPS gateway at ${gateway.url}`);
// RunningGateway.stop() drains in-flight requests (the gateway's HTTP layer), then stops its servers.
onTerminationSignals(
  () => gateway.stop(),
  (message) => logger().info({ component: 'gateway' }, message),
);
