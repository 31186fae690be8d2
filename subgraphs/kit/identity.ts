/**
 * Subgraph side of identity: every request must carry a token that the gateway
 * signed (ES256, short-lived). `_service` and `_entities` are no exception.
 */
import { jwtVerify, type CryptoKey, type KeyObject } from 'jose';
import { bearerToken, GATEWAY_TOKEN, parseIdentityClaims, type Identity } from '../../schema/identity.js';
import { UnauthenticatedError } from '../../schema/errors.js';

export type VerificationKey = CryptoKey | KeyObject;

/** The verified caller and the operation name the gateway forwarded with it. */
export interface ForwardedRequest {
  identity: Identity;
  operation: string;
}

export async function verifyGatewayToken(authorization: string | undefined, key: VerificationKey): Promise<ForwardedRequest> {
  const token = bearerToken(authorization);
  if (!token) throw new UnauthenticatedError('Subgraphs answer only requests forwarded by the gateway');
  try {
    const { payload } = await jwtVerify(token, key, {
      issuer: GATEWAY_TOKEN.issuer,
      audience: GATEWAY_TOKEN.audience,
      algorithms: [GATEWAY_TOKEN.algorithm],
      requiredClaims: ['exp', 'sub', 'role', 'org'],
    });
    const identity = parseIdentityClaims(payload);
    if (identity) return { identity, operation: typeof payload.op === 'string' ? payload.op : 'anonymous' };
  } catch {
    throw new UnauthenticatedError('The gateway token is invalid or expired');
  }
  throw new UnauthenticatedError('The gateway token carries no valid identity');
}
