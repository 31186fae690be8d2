/**
 * `npm run --silent schema:role -- SRE` prints the API schema a role's clients see:
 * only the fields its role may ever see (schema/policy.ts), for generating their client.
 * `npm run compose` checks the same schema in as `schema/roles/<ROLE>.client.graphql`.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { printSchema } from 'graphql';
import { isRole, ROLES } from '../schema/identity.js';
import { roleSupergraphPath } from './compose.js';
import { apiSchemaOf } from './contracts.js';

const role = process.argv[2];
if (!isRole(role)) {
  console.error(`usage: npm run --silent schema:role -- <${ROLES.join('|')}>`);
  process.exit(2);
}
console.log(printSchema(apiSchemaOf(readFileSync(resolve(roleSupergraphPath(role)), 'utf8'))));
