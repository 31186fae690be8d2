/**
 * Subgraph side of identity: every request must carry a token that a trusted gateway
 * signed (ES256, 60 s). `_service` and `_entities` are no exception.
 *
 * Whom a subgraph trusts (`GatewayTrust`):
 * - one public key (development, tests, `GATEWAY_PUBLIC_JWK`): tokens with or without `kid`;
 * - a local JWK set `{ keys: [...] }` (`GATEWAY_JWKS`): several signers at once, each token
 *   picked by its `kid` (without one, every key of the right type is tried);
 * - a JWKS URL (`GATEWAY_JWKS_URL`, jose's `createRemoteJWKSet`): fetched on first use, cached
 *   for 10 minutes, and fetched again (at most every 30 s) when a token names a `kid` it has not
 *   seen — so a signer's new key is trusted without restarting any subgraph, and a key removed
 *   from the set stops being trusted once the cache expires;
 * - any jose key resolver (`JWTVerifyGetKey`).
 * The token contract itself is in docs/operators.md ("The gateway identity token").
 */
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  importJWK,
  jwtVerify,
  type CryptoKey,
  type JSONWebKeySet,
  type JWK,
  type JWTPayload,
  type JWTVerifyGetKey,
  type KeyObject,
} from 'jose';
import { verifiedOnce } from '../../runtime/token-cache.js';
import { bearerToken, GATEWAY_TOKEN, parseIdentityClaims, type Identity } from '../../schema/identity.js';
import { UnauthenticatedError } from '../../schema/errors.js';

/** Whom a subgraph trusts to sign identity tokens: a key, a JWK set, a JWKS URL or a jose resolver. */
export type GatewayTrust = CryptoKey | KeyObject | JSONWebKeySet | URL | JWTVerifyGetKey;

/** How long a fetched JWKS is used before it is fetched again, and the least time between two fetches. */
export const REMOTE_JWKS_CACHE = {
  cacheMaxAge: 10 * 60_000,
  cooldownDuration: 30_000,
  timeoutDuration: 5_000,
} as const;

type Resolved = CryptoKey | KeyObject | JWTVerifyGetKey;
const resolvers = new WeakMap<object, Resolved>();

function isJwkSet(trust: GatewayTrust): trust is JSONWebKeySet {
  return typeof trust === 'object' && trust !== null && Array.isArray((trust as JSONWebKeySet).keys);
}

/** The jose key or resolver for a trust setting, made once per setting (a remote set keeps its cache). */
export function gatewayKeyResolver(trust: GatewayTrust): Resolved {
  const cached = resolvers.get(trust);
  if (cached) return cached;
  let resolved: Resolved;
  if (trust instanceof URL) resolved = createRemoteJWKSet(trust, REMOTE_JWKS_CACHE);
  else if (isJwkSet(trust)) resolved = createLocalJWKSet(trust);
  else resolved = trust;
  resolvers.set(trust, resolved);
  return resolved;
}

/** The verified caller and the operation name the gateway forwarded with it. */
export interface ForwardedRequest {
  identity: Identity;
  operation: string;
}

export async function verifyGatewayToken(
  authorization: string | undefined,
  trust: GatewayTrust,
): Promise<ForwardedRequest> {
  const token = bearerToken(authorization);
  if (!token) throw new UnauthenticatedError({ id: 'auth.gatewayOnly' });
  return verifierOf(trust)(token);
}

/** One verifier per trust, each keeping the tokens it verified until they expire (runtime/token-cache.ts). */
const verifiers = new WeakMap<object, (token: string) => Promise<ForwardedRequest>>();
function verifierOf(trust: GatewayTrust): (token: string) => Promise<ForwardedRequest> {
  let verifier = verifiers.get(trust);
  if (verifier) return verifier;
  const key = gatewayKeyResolver(trust);
  const options = {
    issuer: GATEWAY_TOKEN.issuer,
    audience: GATEWAY_TOKEN.audience,
    algorithms: [GATEWAY_TOKEN.algorithm],
    requiredClaims: ['exp', 'iat', 'sub', 'role', 'org'],
    // A token is valid for 60 s; never accept one issued longer ago than that (plus 5 s of clock skew).
    maxTokenAge: `${GATEWAY_TOKEN.lifetimeSeconds}s`,
    clockTolerance: 5,
  };
  verifier = verifiedOnce(async (token) => {
    let payload: JWTPayload;
    try {
      payload = (
        typeof key === 'function' ? await jwtVerify(token, key, options) : await jwtVerify(token, key, options)
      ).payload;
    } catch {
      throw new UnauthenticatedError({ id: 'auth.gatewayTokenInvalid' });
    }
    const identity = parseIdentityClaims(payload);
    if (!identity) throw new UnauthenticatedError({ id: 'auth.gatewayTokenIdentity' });
    // Kept no longer than the token is accepted: its expiry, and its age limit counted from `iat`.
    const expiresAt = Math.min(payload.exp! * 1000, (payload.iat! + GATEWAY_TOKEN.lifetimeSeconds) * 1000);
    return { value: { identity, operation: typeof payload.op === 'string' ? payload.op : 'anonymous' }, expiresAt };
  });
  verifiers.set(trust, verifier);
  return verifier;
}

/**
 * The trust a subgraph process reads from its environment: `GATEWAY_JWKS_URL` (a JWKS URL),
 * else `GATEWAY_JWKS` (a JWK set as JSON), else `GATEWAY_PUBLIC_JWK` (one public JWK);
 * undefined when none is set (the caller then falls back to the local development key).
 */
export async function gatewayTrustFromEnv(env: NodeJS.ProcessEnv = process.env): Promise<GatewayTrust | undefined> {
  if (env.GATEWAY_JWKS_URL) return new URL(env.GATEWAY_JWKS_URL);
  if (env.GATEWAY_JWKS) {
    const set = JSON.parse(env.GATEWAY_JWKS) as JSONWebKeySet;
    if (!isJwkSet(set) || set.keys.length === 0) throw new Error('GATEWAY_JWKS must be a JWK set: {"keys":[…]}');
    return set;
  }
  if (env.GATEWAY_PUBLIC_JWK)
    return (await importJWK(JSON.parse(env.GATEWAY_PUBLIC_JWK) as JWK, GATEWAY_TOKEN.algorithm)) as CryptoKey;
  return undefined;
}
