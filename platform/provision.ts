/**
 * `DATABASE_ADMIN_URL=postgres://admin@host/ips npm run db:provision`: the privileged set-up of a
 * database (the owner role, a role per subgraph, the vaults). Prints the URL each subgraph serves requests
 * with (its own role: PARTICIPANTS_DATABASE_URL…) and the MIGRATION_DATABASE_URL they migrate with (the owner role).
 */
import { SUBGRAPH_NAMES } from '../schema/subgraphs.js';
import { databaseUrlVariable, provisionDatabase } from './database.js';

const adminUrl = process.env.DATABASE_ADMIN_URL;
if (!adminUrl) {
  console.error(
    "usage: DATABASE_ADMIN_URL=postgres://admin:…@host:5432/ips [IPS_APP_PASSWORD=… (the secret the subgraph roles' passwords derive from)] [IPS_OWNER_PASSWORD=…] npm run db:provision",
  );
  process.exit(2);
}
const database = new URL(adminUrl).pathname.slice(1) || 'ips';
const { subgraphUrls, ownerUrl } = await provisionDatabase(adminUrl, database);
for (const name of SUBGRAPH_NAMES) console.log(`${databaseUrlVariable(name)}=${subgraphUrls[name]}`);
console.log(`MIGRATION_DATABASE_URL=${ownerUrl}`);
