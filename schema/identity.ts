/**
 * The caller's identity as it travels through the graph: the roles of the pilot
 * (DOMAIN.md, "The actors") and the claims every token carries.
 */
export const ROLES = [
  'MEDECIN_CONSEIL', // advising physician of a health insurer (R1, R3, R14–R16)
  'OA', // health insurer (organisme assureur / verzekeringsinstelling)
  'INAMI', // central registry (R5–R7)
  'SRE', // regional employment service: VDAB, FOREM, ACTIRIS (R8–R10)
  'JOB_COACH', // IPS job coach (R11, R13)
  'SUPERVISOR', // IPS supervisor
  'RESEARCHER', // ULB research team (R6, R12, R19)
  'INTEGRATOR', // builds regional dashboards on aggregates only
  'PARTICIPANT', // the insured person, own data and own consent
] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Who is asking: verified at the gateway, forwarded to subgraphs in a gateway-signed token. */
export interface Identity {
  /** Stable identifier of the person (or system) behind the token. */
  subject: string;
  role: Role;
  /** Organisation code: an OA code (e.g. `OA-300`), `INAMI`, `VDAB`, `FOREM`, `ACTIRIS`, an IPS partner code, `ULB`… */
  organisation: string;
}

/** Claims of the short-lived token the gateway signs for subgraphs. */
export const GATEWAY_TOKEN = {
  issuer: 'ips-graph-gateway',
  audience: 'ips-graph-subgraphs',
  algorithm: 'ES256',
  lifetimeSeconds: 60,
} as const;

/** Claims expected on a caller's token at the gateway (overridable by environment in production). */
export const CALLER_TOKEN_DEFAULTS = {
  issuer: 'ips-graph-dev-idp',
  audience: 'ips-graph',
  algorithm: 'ES256',
} as const;

/** Reads `sub`, `role` and `org` claims; undefined when one is missing or the role is unknown. */
export function parseIdentityClaims(payload: Record<string, unknown>): Identity | undefined {
  const { sub, role, org } = payload;
  if (typeof sub !== 'string' || sub === '' || !isRole(role) || typeof org !== 'string' || org === '') return undefined;
  return { subject: sub, role, organisation: org };
}

export function bearerToken(authorization: string | undefined): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
}
