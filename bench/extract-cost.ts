/**
 * What streaming an extract costs. The goal: an extract of 100 000 pseudonymised participants streamed
 * to a file at ≥ 1/3 of PostgreSQL's COPY … TO STDOUT of the same rows, measured in the same run,
 * and peak RSS flat: < 300 MB, within 1.2× between 10 000 and 100 000 rows.
 *
 * Seeds 100 000 synthetic participants (bulk SQL), makes a project key in the pseudonym vault, then, in a
 * child process per measurement (so each peak RSS is its own), as the application role:
 * - streams the rows of one statement — each pseudonymised inside PostgreSQL by pseudonym_vault.pseudonym,
 *   with synthetic month, arm, region, job, hours and benefit columns — to a file with the download
 *   route's own writer (extract-writer.ts: a cursor, back-pressure, CSV or Parquet row groups);
 * - runs `COPY (the same statement) TO STDOUT (FORMAT csv, HEADER)` into a file (pg-copy-streams).
 * Prints rows/s of each, the throughput ratio stream/COPY (goal ≥ 0.33) and peak RSS at 10 000 and
 * 100 000 rows (goal < 300 MB and 100k/10k ≤ 1.2). Loopback only, bounded; never part of CI's gating.
 *
 *   npm run bench:extract          (ROWS=100000 SMALL=10000 REPEAT=3 CHILD_FLAGS="--max-old-space-size=16 --max-semi-space-size=2" by default)
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { streamExtract, type ExtractColumn } from '../subgraphs/research/services/extract-writer.js';

const ROWS = Number(process.env.ROWS ?? 100_000);
const SMALL = Number(process.env.SMALL ?? 10_000);
const REPEAT = Number(process.env.REPEAT ?? 3);
const PROJECT = 'BENCH-EXTRACT';
/**
 * V8 flags of the measuring children. By default their heap is capped (16 MB old space, 2 MB semi-spaces):
 * 100 000 rows held at once would not fit (as JS objects they are several times the file's 10 MB), so an
 * extract that completes under the cap holds a bounded part of it; and V8 then collects as it goes instead
 * of letting the heap grow with the garbage a longer run makes (which an uncapped run shows as a higher
 * peak at 100 000 rows: CHILD_FLAGS= to see it).
 */
const CHILD_FLAGS = (process.env.CHILD_FLAGS ?? '--max-old-space-size=16 --max-semi-space-size=2')
  .split(' ')
  .filter(Boolean);

/** The synthetic extract: the pseudonym from the vault, and columns of the analysis dataset's kinds. */
const statement = (limit: number) => `
  select pseudonym_vault.pseudonym('${PROJECT}', p.id) as pseudonym,
         to_char(date '2019-01-01' + ((extract(epoch from p.created_at)::bigint % 36) * interval '1 month'), 'YYYY-MM') as month,
         case when extract(epoch from p.created_at)::bigint % 2 = 0 then 'IPS' else 'CONTROL' end as arm,
         p.region as region,
         (extract(epoch from p.created_at)::bigint % 3 = 0) as competitive_job,
         ((extract(epoch from p.created_at)::bigint % 5) * 7.5)::double precision as weekly_hours,
         (100000 + extract(epoch from p.created_at)::bigint % 50000)::int as benefit_amount_cents
  from participants.participant p order by p.id limit ${limit}`;
const COLUMNS: ExtractColumn[] = [
  { name: 'pseudonym', type: 'STRING' },
  { name: 'month', type: 'STRING' },
  { name: 'arm', type: 'STRING' },
  { name: 'region', type: 'STRING' },
  { name: 'competitive_job', type: 'BOOLEAN' },
  { name: 'weekly_hours', type: 'DOUBLE' },
  { name: 'benefit_amount_cents', type: 'INTEGER' },
];

type Mode = 'CSV' | 'PARQUET' | 'COPY';
interface Measurement {
  mode: Mode;
  rows: number;
  ms: number;
  bytes: number;
  peakRssMb: number;
}

/** One measurement, in its own process: connect as the application role, one read-only transaction, to a file. */
async function child(mode: Mode, rows: number, url: string, file: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('begin isolation level repeatable read read only');
  await client.query("set local statement_timeout = '15min'");
  const started = performance.now();
  let sent: number;
  const out = createWriteStream(file);
  if (mode === 'COPY') {
    const copy = client.query(copyTo(`copy (${statement(rows)}) to stdout with (format csv, header)`));
    await pipeline(copy, out);
    sent = copy.rowCount;
  } else {
    sent = (await streamExtract(client, statement(rows), [], COLUMNS, mode, out)).rows;
    await new Promise<void>((resolve, reject) =>
      out.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
  }
  const ms = performance.now() - started;
  await client.query('commit');
  await client.end();
  const result: Measurement = {
    mode,
    rows: sent,
    ms,
    bytes: statSync(file).size,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

function measure(mode: Mode, rows: number, url: string, folder: string): Measurement {
  const file = join(folder, `${mode}-${rows}.out`);
  const run = spawnSync(
    process.execPath,
    [...CHILD_FLAGS, fileURLToPath(import.meta.url), '--child', mode, String(rows), url, file],
    { encoding: 'utf8', timeout: 600_000 },
  );
  if (run.status !== 0) throw new Error(`child ${mode} ${rows} failed: ${run.stderr}`);
  rmSync(file, { force: true });
  return JSON.parse(run.stdout.trim().split('\n').at(-1)!) as Measurement;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main(): Promise<void> {
  // Loaded here, not by the children: their peak RSS is the extract's, not the platform's.
  const { benchDatabase, seedSyntheticParticipants } = await import('./database.js');
  const { startPlatform } = await import('../platform/launcher.js');
  const { database, databaseUrls, migrationUrl, keys } = await benchDatabase();
  const databaseUrl = databaseUrls.research; // the extract is the research subgraph's, on its role
  const platform = await startPlatform({
    databaseUrls,
    migrationUrl,
    callerPublicKey: keys.caller.publicKey,
    gateway: keys.gateway,
    gatewayPort: 0,
    seedDemo: false,
  });
  await platform.stop(); // the schemas are migrated: the rest runs on the database alone
  const folder = mkdtempSync(join(tmpdir(), 'ips-extract-bench-'));
  const owner = new pg.Client({ connectionString: migrationUrl });
  await owner.connect();
  try {
    let started = performance.now();
    await seedSyntheticParticipants(owner, ROWS);
    await owner.query('analyze participants.participant');
    const app = new pg.Client({ connectionString: databaseUrl });
    await app.connect();
    await app.query('select pseudonym_vault.ensure_key($1)', [PROJECT]);
    await app.end();
    console.log(
      `Seeded ${ROWS} synthetic participants in ${((performance.now() - started) / 1000).toFixed(1)} s; ${REPEAT} runs per measurement, each in its own process (node ${CHILD_FLAGS.join(' ') || 'with no flags'})`,
    );
    started = performance.now();

    const results: Record<string, Measurement> = {};
    for (const rows of [SMALL, ROWS]) {
      for (const mode of ['COPY', 'CSV', 'PARQUET'] as Mode[]) {
        const runs = Array.from({ length: REPEAT }, () => measure(mode, rows, databaseUrl, folder));
        if (runs.some((run) => run.rows !== rows))
          throw new Error(`${mode} sent ${runs.map((run) => run.rows).join(', ')} rows, not ${rows}`);
        results[`${mode}-${rows}`] = {
          ...runs[0]!,
          ms: median(runs.map((run) => run.ms)),
          peakRssMb: Math.max(...runs.map((run) => run.peakRssMb)),
        };
      }
    }
    const line = (m: Measurement) =>
      `  ${m.mode.padEnd(8)} ${String(m.rows).padStart(7)} rows  ${m.ms.toFixed(0).padStart(6)} ms  ${Math.round(
        (m.rows / m.ms) * 1000,
      )
        .toString()
        .padStart(7)} rows/s  ${(m.bytes / 1e6).toFixed(1).padStart(6)} MB  peak RSS ${m.peakRssMb.toFixed(0)} MB`;
    console.log('\nMedians (COPY = PostgreSQL COPY (…) TO STDOUT (FORMAT csv) of the same statement, into a file):');
    for (const m of Object.values(results)) console.log(line(m));
    const copy = results[`COPY-${ROWS}`]!;
    console.log(`\nAt ${ROWS} rows:`);
    for (const mode of ['CSV', 'PARQUET'] as const) {
      const big = results[`${mode}-${ROWS}`]!;
      const small = results[`${mode}-${SMALL}`]!;
      const throughput = copy.ms / big.ms;
      const flat = big.peakRssMb / small.peakRssMb;
      console.log(
        `  ${mode.padEnd(8)} throughput ${throughput.toFixed(2)} × COPY's (goal ≥ 0.33: ${throughput >= 1 / 3 ? 'met' : 'NOT met'}); ` +
          `peak RSS ${big.peakRssMb.toFixed(0)} MB at ${ROWS} vs ${small.peakRssMb.toFixed(0)} MB at ${SMALL} = ${flat.toFixed(2)}× (goal < 300 MB and ≤ 1.2×: ${big.peakRssMb < 300 && flat <= 1.2 ? 'met' : 'NOT met'})`,
      );
    }
    console.log(`\n(${((performance.now() - started) / 1000).toFixed(0)} s of measurements)`);
  } finally {
    await owner.end();
    rmSync(folder, { recursive: true, force: true });
    await database.stop();
  }
}

if (process.argv[2] === '--child') {
  const [, , , mode, rows, url, file] = process.argv;
  await child(mode as Mode, Number(rows), url!, file!);
} else {
  await main();
}
