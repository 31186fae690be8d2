/**
 * The database roles of the platform, named once: provisioning (platform/) creates them,
 * the kit grants to them after migrating (subgraphs/kit/privileges.ts), the vaults are owned by two of them.
 */
import type { SubgraphName } from './subgraphs.js';

/** Runs the migrations and owns every table, view, sequence and function of the subgraphs. */
export const OWNER_ROLE = 'ips_owner';

/**
 * The role each subgraph serves requests as: owns nothing, holds only what `subgraphs/kit/privileges.ts`
 * gives it. One per subgraph, so the credentials of one subgraph reach nothing of another's.
 */
export const SUBGRAPH_ROLES = {
  participants: 'ips_participants',
  pathways: 'ips_pathways',
  research: 'ips_research',
  billing: 'ips_billing',
} as const satisfies Record<SubgraphName, string>;
export type SubgraphRole = (typeof SUBGRAPH_ROLES)[SubgraphName];

/**
 * The one application role of earlier releases, which served every subgraph. Provisioning no longer
 * creates it; in a database an earlier release provisioned, it is stripped of everything.
 */
export const LEGACY_APP_ROLE = 'ips_app';

/** Owns the allocation vault (R6); cannot log in. */
export const VAULT_OWNER = 'ips_allocation_vault';

/** Owns the pseudonym vault (R19): the projects' keys and the function that pseudonymises; cannot log in. */
export const PSEUDONYM_VAULT_OWNER = 'ips_pseudonym_vault';
