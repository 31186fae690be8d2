/**
 * Gateway side of identity: verifies the caller's bearer JWT (a JWKS URL in
 * production, the local dev key otherwise) and signs the short-lived token that
 * forwards the caller's identity to subgraphs.
 */
import { createRemoteJWKSet, jwtVerify, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import { UnauthenticatedError } from '../schema/errors.js';
import {
  bearerToken,
  CALLER_TOKEN_DEFAULTS,
  GATEWAY_TOKEN,
  parseIdentityClaims,
  type Identity,
} from '../schema/identity.js';
import { roleFitsOrganisation } from '../schema/organisations.js';
import { verifiedOnce } from '../runtime/token-cache.js';
import { keyId } from './keys.js';

export interface CallerTokenOptions {
  /** Production: the identity provider's JWKS. */
  jwksUrl?: string;
  /** Development: the local identity provider's public key. */
  publicKey?: CryptoKey;
  issuer?: string;
  audience?: string;
}

export type CallerVerifier = (authorization: string | undefined) => Promise<Identity>;

export function createCallerVerifier(options: CallerTokenOptions): CallerVerifier {
  const verifyOptions = {
    issuer: options.issuer ?? CALLER_TOKEN_DEFAULTS.issuer,
    audience: options.audience ?? CALLER_TOKEN_DEFAULTS.audience,
    algorithms: ['ES256', 'RS256'],
    requiredClaims: ['exp', 'sub'],
  };
  const jwks = options.jwksUrl ? createRemoteJWKSet(new URL(options.jwksUrl)) : undefined;
  const publicKey = options.publicKey;
  if (!jwks && !publicKey) throw new Error('Caller tokens need a JWKS URL or a public key');
  // A caller sends the same token with every request until it expires: it is verified once (runtime/token-cache.ts).
  const verify = verifiedOnce(async (token) => {
    let payload: JWTPayload | undefined;
    try {
      payload = jwks
        ? (await jwtVerify(token, jwks, verifyOptions)).payload
        : publicKey
          ? (await jwtVerify(token, publicKey, verifyOptions)).payload
          : undefined;
    } catch {
      throw new UnauthenticatedError({ id: 'auth.tokenInvalid' });
    }
    if (!payload) throw new Error('Caller tokens need a JWKS URL or a public key');
    const identity = parseIdentityClaims(payload);
    if (!identity) throw new UnauthenticatedError({ id: 'auth.tokenClaims' });
    // An identity provider that pairs a role with an organisation it cannot belong to is not trusted with that caller.
    if (!roleFitsOrganisation(identity.role, identity.organisation)) {
      throw new UnauthenticatedError({
        id: 'auth.tokenClaimsInconsistent',
        params: { role: identity.role, organisation: identity.organisation },
      });
    }
    // jwtVerify required `exp` (requiredClaims).
    return { value: identity, expiresAt: (payload.exp ?? 0) * 1000 };
  });
  return async (authorization) => {
    const token = bearerToken(authorization);
    if (!token) throw new UnauthenticatedError({ id: 'auth.tokenMissing' });
    return verify(token);
  };
}

/** Signs a caller token with the local dev identity provider's key (`npm run token`, tests). */
export async function signCallerToken(identity: Identity, privateKey: CryptoKey, lifetime = '8h'): Promise<string> {
  return new SignJWT({ role: identity.role, org: identity.organisation })
    .setProtectedHeader({ alg: CALLER_TOKEN_DEFAULTS.algorithm })
    .setSubject(identity.subject)
    .setIssuer(CALLER_TOKEN_DEFAULTS.issuer)
    .setAudience(CALLER_TOKEN_DEFAULTS.audience)
    .setIssuedAt()
    .setExpirationTime(lifetime)
    .sign(privateKey);
}

/**
 * The token subgraphs accept: the caller's identity and operation name, signed by the gateway, valid
 * for a minute. Its header names the key (`kid`: the key's JWK thumbprint, as `publicJwks` publishes
 * it), so subgraphs trusting a JWK set of several gateways or keys pick the right one.
 */
export async function signGatewayToken(
  identity: Identity,
  privateKey: CryptoKey,
  operation = 'anonymous',
): Promise<string> {
  const kid = await keyId(privateKey);
  return new SignJWT({ role: identity.role, org: identity.organisation, op: operation })
    .setProtectedHeader({ alg: GATEWAY_TOKEN.algorithm, ...(kid ? { kid } : {}) })
    .setSubject(identity.subject)
    .setIssuer(GATEWAY_TOKEN.issuer)
    .setAudience(GATEWAY_TOKEN.audience)
    .setIssuedAt()
    .setExpirationTime(`${GATEWAY_TOKEN.lifetimeSeconds}s`)
    .sign(privateKey);
}
