/**
 * The database roles of the platform, named once: provisioning (platform/) creates them,
 * the kit grants to them after migrating, the allocation vault is owned by one of them.
 */

/** Runs the migrations and owns every table, view, sequence and function of the subgraphs. */
export const OWNER_ROLE = 'ips_owner';

/** The role the subgraphs serve requests as: owns nothing, holds only the DML it needs. */
export const APP_ROLE = 'ips_app';

/** Owns the allocation vault (R6); cannot log in. */
export const VAULT_OWNER = 'ips_allocation_vault';

/** Owns the pseudonym vault (R19): the projects' keys and the function that pseudonymises; cannot log in. */
export const PSEUDONYM_VAULT_OWNER = 'ips_pseudonym_vault';
