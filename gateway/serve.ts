/**
 * `npm run start:gateway`: the gateway alone, configured by environment:
 * - SUBGRAPH_URLS: `participants=http://…/graphql,pathways=…,research=…,billing=…` (required)
 * - CALLER_JWKS_URL (+ CALLER_ISSUER, CALLER_AUDIENCE) in production; the local dev key otherwise
 * - GATEWAY_PRIVATE_JWK: the key that signs subgraph tokens; the local dev key otherwise
 * - PORT (4000), HOST (127.0.0.1), SUPERGRAPHS (folder of the role supergraphs, schema/roles)
 * - IPS_SUBGRAPH_TIMEOUT_MS: how long a subgraph may take before its part of the answer is an error (15000)
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CryptoKey } from 'jose';
import { ROLES, type Role } from '../schema/identity.js';
import { startGateway } from './gateway.js';
import { createCallerVerifier } from './identity.js';
import { keyFromJwkEnv, loadDevKeys } from './keys.js';

const subgraphUrls = Object.fromEntries(
  (process.env.SUBGRAPH_URLS ?? '').split(',').filter(Boolean).map((pair) => pair.split('=', 2) as [string, string]),
);
if (Object.keys(subgraphUrls).length === 0) {
  console.error('Set SUBGRAPH_URLS, e.g. participants=http://127.0.0.1:4001/graphql,pathways=http://127.0.0.1:4002/graphql,…');
  process.exit(2);
}
const devKeys = process.env.CALLER_JWKS_URL && process.env.GATEWAY_PRIVATE_JWK ? undefined : await loadDevKeys();
const gatewayPrivateKey: CryptoKey = process.env.GATEWAY_PRIVATE_JWK ? await keyFromJwkEnv('GATEWAY_PRIVATE_JWK') : devKeys!.gateway.privateKey;
const gateway = await startGateway({
  supergraphs: Object.fromEntries(
    ROLES.map((role) => [role, readFileSync(resolve(process.env.SUPERGRAPHS ?? 'schema/roles', `${role}.supergraph.graphql`), 'utf8')]),
  ) as Record<Role, string>,
  subgraphUrls,
  verifyCaller: createCallerVerifier(
    process.env.CALLER_JWKS_URL
      ? { jwksUrl: process.env.CALLER_JWKS_URL, issuer: process.env.CALLER_ISSUER, audience: process.env.CALLER_AUDIENCE }
      : { publicKey: devKeys!.caller.publicKey },
  ),
  gatewayPrivateKey,
  host: process.env.HOST ?? '127.0.0.1',
  port: Number(process.env.PORT ?? 4000),
  subgraphTimeoutMs: process.env.IPS_SUBGRAPH_TIMEOUT_MS ? Number(process.env.IPS_SUBGRAPH_TIMEOUT_MS) : undefined,
});
console.log(`IPS gateway at ${gateway.url}`);
