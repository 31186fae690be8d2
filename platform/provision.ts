/**
 * `DATABASE_ADMIN_URL=postgres://admin@host/ips npm run db:provision`: the privileged set-up of a
 * database (owner and application roles, allocation vault). Prints the DATABASE_URL the subgraphs serve
 * requests with (the application role) and the MIGRATION_DATABASE_URL they migrate with (the owner role).
 */
import { provisionDatabase } from './database.js';

const adminUrl = process.env.DATABASE_ADMIN_URL;
if (!adminUrl) {
  console.error('usage: DATABASE_ADMIN_URL=postgres://admin:…@host:5432/ips [IPS_APP_PASSWORD=…] [IPS_OWNER_PASSWORD=…] npm run db:provision');
  process.exit(2);
}
const database = new URL(adminUrl).pathname.slice(1) || 'ips';
const { appUrl, ownerUrl } = await provisionDatabase(adminUrl, database);
console.log(`DATABASE_URL=${appUrl}\nMIGRATION_DATABASE_URL=${ownerUrl}`);
