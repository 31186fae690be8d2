/**
 * Time from `npm start`'s launcher to the first answered query: cold (a fresh data folder:
 * initdb, migrations, demo data) and warm (the same folder again). The build step of
 * `npm start` is not included (run once by `npm run bench:start` before measuring).
 *
 *   npm run bench:start
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signCallerToken } from '../gateway/identity.js';
import { loadDevKeys } from '../gateway/keys.js';
import { freePort } from '../platform/database.js';

const folder = mkdtempSync(join(tmpdir(), 'ips-start-'));
chmodSync(folder, 0o755);
const keysPath = join(folder, 'dev-keys.json');
const keys = await loadDevKeys(keysPath);
const token = await signCallerToken(
  { role: 'INAMI', organisation: 'INAMI', subject: 'bench' },
  keys.caller.privateKey,
  '1h',
);

async function timeToFirstQuery(): Promise<number> {
  const [port, pgPort] = [await freePort(), await freePort()];
  const started = performance.now();
  const child = spawn(process.execPath, ['dist/platform/launcher.js'], {
    env: {
      ...process.env,
      PORT: String(port),
      PGPORT: String(pgPort),
      IPS_DATA_DIR: join(folder, 'pg'),
      IPS_DEV_KEYS: keysPath,
    },
    stdio: 'ignore',
  });
  try {
    for (let attempt = 0; attempt < 1200; attempt++) {
      try {
        const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ query: '{ participants(first: 1) { id pathway { registryNumber } } }' }),
        });
        const body = (await response.json()) as { data?: { participants?: unknown[] } };
        if (body.data?.participants?.length === 1) return (performance.now() - started) / 1000;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('no answer within 60 s');
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

try {
  const cold = await timeToFirstQuery();
  const warm = await timeToFirstQuery();
  console.log(
    `Time to first query: cold ${cold.toFixed(1)} s (initdb, migrations, demo data), warm ${warm.toFixed(1)} s (existing data folder)`,
  );
} finally {
  rmSync(folder, { recursive: true, force: true });
}
