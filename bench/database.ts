/** What every bench starts from: an embedded PostgreSQL in a temporary folder, provisioned, and fresh keys. */
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ephemeralDevKeys } from '../gateway/keys.js';
import { provisionDatabase, startEmbeddedPostgres } from '../platform/database.js';

export async function benchDatabase() {
  const folder = mkdtempSync(join(tmpdir(), 'ips-bench-'));
  chmodSync(folder, 0o755); // as root, PostgreSQL runs as its own user and must reach the folder
  const database = await startEmbeddedPostgres({ dataDir: join(folder, 'pg'), persistent: false });
  const { appUrl: databaseUrl, ownerUrl: migrationUrl } = await provisionDatabase(database.url, 'ips');
  return { database, databaseUrl, migrationUrl, keys: await ephemeralDevKeys() };
}
