/**
 * `npm run --silent token -- --role SRE --org ACTIRIS [--subject <id>] [--ttl 8h]`
 * prints a bearer token signed by the local development identity provider.
 * `npm run token` bundles this file with esbuild and runs it (no project build: a token
 * in well under a second), so it imports nothing that needs decorator metadata.
 */
import { parseArgs } from 'node:util';
import { isRole, ROLES, type Role } from '../schema/identity.js';
import { signCallerToken } from './identity.js';
import { DEV_KEYS_PATH, loadDevKeys } from './keys.js';

/** A plausible organisation for each role when --org is not given. */
const DEFAULT_ORGANISATION: Record<Role, string> = {
  MEDECIN_CONSEIL: 'OA-300',
  OA: 'OA-300',
  INAMI: 'INAMI',
  SRE: 'FOREM',
  JOB_COACH: 'ARTICLE-23',
  SUPERVISOR: 'ARTICLE-23',
  RESEARCHER: 'ULB',
  INTEGRATOR: 'DASHBOARD-WAL',
  PARTICIPANT: 'SELF',
};

const SYNOPSIS = 'usage: npm run --silent token -- --role ROLE [--org CODE] [--subject ID] [--ttl 8h]';
const USAGE = `${SYNOPSIS}

Prints a bearer token for the local gateway, signed with the development key in
${DEV_KEYS_PATH}
(made on first use; IPS_DEV_KEYS names another file, relative to the project folder).

  --role ROLE     ${ROLES.join(', ')}
  --org CODE      the caller's organisation (default per role: ${Object.entries(DEFAULT_ORGANISATION)
    .map(([role, org]) => `${role} ${org}`)
    .join(', ')})
  --subject ID    the caller's id (default dev-<role>)
  --ttl 8h        how long the token is valid (a span such as 90s, 30m, 8h, 2d)
  --help          this text

Example: curl -H "authorization: Bearer $(npm run --silent token -- --role INAMI --org INAMI)" ...`;

/** A bad command line: the usage on standard error and exit status 2, never a stack trace. */
function usageError(message: string): never {
  console.error(`${message}\n${SYNOPSIS}\n(--help says more)`);
  process.exit(2);
}

let values: { role?: string; org?: string; subject?: string; ttl: string; help?: boolean };
try {
  ({ values } = parseArgs({
    options: {
      role: { type: 'string' },
      org: { type: 'string' },
      subject: { type: 'string' },
      ttl: { type: 'string', default: '8h' },
      help: { type: 'boolean', short: 'h' },
    },
  }));
} catch (error) {
  usageError(`token: ${error instanceof Error ? error.message : String(error)}`);
}

if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
if (!isRole(values.role))
  usageError(values.role === undefined ? 'token: --role is required' : `token: unknown role ${values.role}`);
const role = values.role;
const keys = await loadDevKeys();
const subject = values.subject ?? `dev-${role.toLowerCase().replaceAll('_', '-')}`;
try {
  console.log(
    await signCallerToken(
      { role, organisation: values.org ?? DEFAULT_ORGANISATION[role], subject },
      keys.caller.privateKey,
      values.ttl,
    ),
  );
} catch (error) {
  // jose refuses a --ttl it cannot read ("Invalid time period format").
  usageError(`token: --ttl ${values.ttl}: ${error instanceof Error ? error.message : String(error)}`);
}
