/**
 * `npm run demo:scale -- 200000`: copies the demo of a running `npm start` up to that many people
 * (bench/scale-data.ts: every subgraph's rows, valid NISS, server-side INSERT … SELECT), to try the
 * platform and its dashboard at national scale. Uses DATABASE_ADMIN_URL, else `npm start`'s embedded
 * server on PGPORT (54329). Start from a fresh demo (delete .data/postgres); a second run adds nothing
 * once the count is reached.
 */
import { embeddedAdminUrl } from '../platform/database.js';
import { config } from '../runtime/config.js';
import { scaleDemoData } from './scale-data.js';

const people = Number(process.argv[2] ?? 200_000);
if (!Number.isInteger(people) || people <= 0) {
  console.error('usage: npm run demo:scale -- <people>   (e.g. 200000)');
  process.exit(2);
}
const env = config();
const adminUrl = env.DATABASE_ADMIN_URL ?? embeddedAdminUrl(env.PGPORT);
const started = performance.now();
console.log(`Copying the demo up to ${people} people…`);
const added = await scaleDemoData(adminUrl, people, (line) => console.log(line));
const rows = Object.values(added).reduce((sum, n) => sum + n, 0);
console.log(`${rows} rows added in ${((performance.now() - started) / 1000).toFixed(0)} s`);
