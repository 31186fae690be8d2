/**
 * Forked by `npm start` (platform/launcher.ts, IPS_PROCESSES=per-subgraph) before the subgraphs
 * serve: migrates the database as the owner role and loads the demo data (IPS_DEMO_DATA; only into a
 * database marked as created for them, platform/database-origin.ts), each subgraph as its own role,
 * tells the launcher what it added over the IPC channel, and exits — so the launcher's own process,
 * which serves the gateway, never holds what migrating and seeding loaded.
 */
import { ephemeralDevKeys } from '../gateway/keys.js';
import { configOrExit } from '../runtime/config.js';
import { startOrExit } from '../runtime/lifecycle.js';
import { subgraphDatabaseUrls } from './database.js';
import { prepareDatabase } from './launcher.js';

const env = configOrExit();
const prepared = await startOrExit(async () =>
  prepareDatabase({
    databaseUrls: subgraphDatabaseUrls(env),
    migrationUrl: env.MIGRATION_DATABASE_URL,
    // No request reaches the subgraphs started here: a throwaway key.
    gateway: (await ephemeralDevKeys()).gateway,
    seedDemo: env.IPS_DEMO_DATA === 'on',
    host: env.HOST,
  }),
);
// Exit once the message is out: nothing of this process is needed any more.
if (process.send) process.send({ type: 'prepared', ...prepared }, () => process.exit(0));
else process.exit(0);
