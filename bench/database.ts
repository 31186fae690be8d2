/** What every bench starts from: an embedded PostgreSQL in a temporary folder, provisioned, and fresh keys. */
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { ephemeralDevKeys } from '../gateway/keys.js';
import { provisionDatabase, startEmbeddedPostgres } from '../platform/database.js';

export async function benchDatabase() {
  const folder = mkdtempSync(join(tmpdir(), 'ips-bench-'));
  chmodSync(folder, 0o755); // as root, PostgreSQL runs as its own user and must reach the folder
  const database = await startEmbeddedPostgres({ dataDir: join(folder, 'pg'), persistent: false });
  const { subgraphUrls: databaseUrls, ownerUrl: migrationUrl } = await provisionDatabase(database.url, 'ips');
  return { database, databaseUrls, migrationUrl, keys: await ephemeralDevKeys() };
}

/** Synthetic participants in bulk (one statement), as the owner role: names and NISS made up, one second apart in `created_at`. */
export async function seedSyntheticParticipants(owner: pg.Client, people: number): Promise<void> {
  await owner.query(
    `insert into participants.participant (id, niss, given_name, family_name, birth_date, region, postcode, health_insurer, incapacity_status, created_at)
     select gen_random_uuid(), lpad(g::text, 11, '0'), 'Camille', 'Lambert-' || g, date '1985-07-30',
            (array['FLANDERS', 'WALLONIA', 'BRUSSELS'])[1 + g % 3], '4000', 'OA-300', 'INVALIDITY', timestamptz '2026-01-01' + g * interval '1 second'
     from generate_series(1, $1::int) g`,
    [people],
  );
}
