/**
 * `DATABASE_ADMIN_URL=postgres://admin@host/ips npm run db:provision`: the privileged set-up of a
 * database (application role, allocation vault). Prints the DATABASE_URL the subgraphs use.
 */
import { provisionDatabase } from './database.js';

const adminUrl = process.env.DATABASE_ADMIN_URL;
if (!adminUrl) {
  console.error('usage: DATABASE_ADMIN_URL=postgres://admin:…@host:5432/ips [IPS_APP_PASSWORD=…] npm run db:provision');
  process.exit(2);
}
const database = new URL(adminUrl).pathname.slice(1) || 'ips';
console.log(await provisionDatabase(adminUrl, database));
