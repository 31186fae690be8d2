/**
 * `npm run --silent token -- --role SRE --org ACTIRIS [--subject <id>] [--ttl 8h]`
 * prints a bearer token signed by the local development identity provider.
 */
import { parseArgs } from 'node:util';
import { isRole, ROLES, type Role } from '../schema/identity.js';
import { signCallerToken } from './identity.js';
import { loadDevKeys } from './keys.js';

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

const { values } = parseArgs({
  options: {
    role: { type: 'string' },
    org: { type: 'string' },
    subject: { type: 'string' },
    ttl: { type: 'string', default: '8h' },
  },
});

if (!isRole(values.role)) {
  console.error(`usage: npm run --silent token -- --role <${ROLES.join('|')}> [--org CODE] [--subject ID] [--ttl 8h]`);
  process.exit(2);
}
const role = values.role;
const keys = await loadDevKeys();
const subject = values.subject ?? `dev-${role.toLowerCase().replaceAll('_', '-')}`;
console.log(await signCallerToken({ role, organisation: values.org ?? DEFAULT_ORGANISATION[role], subject }, keys.caller.privateKey, values.ttl));
