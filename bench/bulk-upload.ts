/**
 * What taking an outcome file in bulk costs. The goal: 100 000 rows load in well under a minute on
 * this machine; reported as rows per second against PostgreSQL COPY of the same rows in the same run.
 *
 * Starts the platform on an embedded PostgreSQL, puts PEOPLE randomised members of one health insurer in
 * the access ledger (valid NISS, consent to their insurer), then, REPEAT times, each time with months not
 * sent before:
 * - generates a file of ROWS rows (PEOPLE people × ROWS/PEOPLE months), of benefits paid and of employment
 *   declared, and uploads each through the gateway with the caller's token (`POST /uploads/…`: the whole
 *   path — token check, streaming, per-row checks, COPY into staging, the set-based decision and INSERT);
 * - COPYs the same bytes straight into a table of the same columns (`COPY … FROM STDIN (FORMAT csv,
 *   HEADER)`, pg-copy-streams, as the owner role): the floor any load through PostgreSQL pays.
 * Prints rows/s of each, the ratio upload/COPY, and the upload's seconds for the whole file. Loopback only;
 * never part of CI's gating.
 *
 *   npm run bench:upload            (ROWS=100000 PEOPLE=10000 REPEAT=3 by default)
 */
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { signCallerToken } from '../gateway/identity.js';
import { startPlatform } from '../platform/launcher.js';
import type { Identity } from '../schema/identity.js';
import { UPLOAD_KINDS } from '../schema/uploads.js';
import { makeNiss } from '../subgraphs/participants/services/niss.js';
import { benchDatabase } from './database.js';

const ROWS = Number(process.env.ROWS ?? 100_000);
const PEOPLE = Number(process.env.PEOPLE ?? 10_000);
const REPEAT = Number(process.env.REPEAT ?? 3);
const MONTHS = Math.ceil(ROWS / PEOPLE);
const OA: Identity = { role: 'OA', organisation: 'OA-300', subject: 'oa-bench' };
const INAMI: Identity = { role: 'INAMI', organisation: 'INAMI', subject: 'inami-bench' };
const EMPLOYER = '0203201340';

/** The n-th month from January 2017 (within the pilot, in the past), as YYYY-MM. */
const monthAt = (n: number) => `${2017 + Math.floor(n / 12)}-${String((n % 12) + 1).padStart(2, '0')}`;

/** One file: every person for `months` months starting at `firstMonth`, ROWS rows at most. */
function file(kind: 'benefits' | 'declarations', people: readonly string[], firstMonth: number): string {
  const header = (
    kind === 'benefits' ? UPLOAD_KINDS.benefitStatements : UPLOAD_KINDS.employmentDeclarations
  ).columns.join(',');
  const lines = [header];
  for (let m = 0; m < MONTHS && lines.length <= ROWS; m++) {
    const month = monthAt(firstMonth + m);
    for (let p = 0; p < people.length && lines.length <= ROWS; p++) {
      lines.push(
        kind === 'benefits'
          ? `${people[p]},${month},INVALIDITY,${100_000 + ((p * 37 + m) % 50_000)},${20 + (p % 8)},${p % 3 === 0}`
          : `${people[p]},${month},${EMPLOYER},,${40 + (p % 100)},MINIMUM_TO_MEDIAN,${p % 2 === 0}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

interface Measured {
  rows: number;
  ms: number;
}

async function upload(gatewayUrl: string, path: string, token: string, body: string): Promise<Measured> {
  const started = performance.now();
  const response = await fetch(`${gatewayUrl}uploads/${path}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'text/csv; charset=utf-8',
      'idempotency-key': randomUUID(),
    },
    body,
  });
  const answer = (await response.json()) as {
    batch?: { applied: number; rejected: number; rejections: unknown[] };
    errors?: unknown;
  };
  const ms = performance.now() - started;
  if (response.status !== 200 || !answer.batch || answer.batch.rejected > 0)
    throw new Error(`upload ${path}: ${response.status} ${JSON.stringify(answer).slice(0, 500)}`);
  return { rows: answer.batch.applied, ms };
}

async function copy(owner: pg.Client, columns: readonly string[], body: string): Promise<Measured> {
  await owner.query('drop table if exists bench_copy');
  await owner.query(`create temporary table bench_copy (${columns.map((name) => `${name} text`).join(', ')})`);
  const started = performance.now();
  const stream = owner.query(copyFrom(`copy bench_copy from stdin with (format csv, header)`));
  await pipeline(Readable.from([Buffer.from(body)]), stream);
  return { rows: stream.rowCount, ms: performance.now() - started };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const perSecond = ({ rows, ms }: Measured) => rows / (ms / 1000);

async function main(): Promise<void> {
  const { database, databaseUrls, migrationUrl, keys } = await benchDatabase();
  const platform = await startPlatform({
    databaseUrls,
    migrationUrl,
    callerPublicKey: keys.caller.publicKey,
    gateway: keys.gateway,
    gatewayPort: 0,
    seedDemo: false,
  });
  const owner = new pg.Client({ connectionString: migrationUrl });
  await owner.connect();
  try {
    // PEOPLE randomised members of OA-300 whose consent names their insurer and INAMI (as a referral leaves them).
    const people = Array.from({ length: PEOPLE }, (_, i) =>
      makeNiss(new Date(Date.UTC(1960, 0, 1 + Math.floor(i / 400))).toISOString().slice(0, 10), 1 + (i % 400) * 2),
    );
    await owner.query(
      `insert into access.ledger (participant_id, self_subject, region, employment_service, health_insurer, consent_grants, research_consent, trial_arm)
       select gen_random_uuid(), n, 'WALLONIA', 'FOREM', 'OA-300', '{HEALTH_INSURER/administrative,INAMI/administrative}', true, case when o % 2 = 0 then 'IPS' else 'CONTROL' end
       from unnest($1::text[]) with ordinality as p(n, o)`,
      [people],
    );
    await owner.query('analyze access.ledger');
    const tokens = {
      OA: await signCallerToken(OA, keys.caller.privateKey),
      INAMI: await signCallerToken(INAMI, keys.caller.privateKey),
    };
    const results: Record<'benefits' | 'declarations', { upload: Measured[]; copy: Measured[] }> = {
      benefits: { upload: [], copy: [] },
      declarations: { upload: [], copy: [] },
    };
    for (let run = 0; run < REPEAT; run++) {
      for (const kind of ['benefits', 'declarations'] as const) {
        const spec = kind === 'benefits' ? UPLOAD_KINDS.benefitStatements : UPLOAD_KINDS.employmentDeclarations;
        const body = file(kind, people, run * MONTHS);
        // Interleaved, the order alternating, so that neither side always runs on a warmer cache.
        const first = run % 2 === 0 ? 'upload' : 'copy';
        for (const side of first === 'upload' ? (['upload', 'copy'] as const) : (['copy', 'upload'] as const)) {
          const measured =
            side === 'upload'
              ? await upload(platform.gateway.url, spec.path, kind === 'benefits' ? tokens.OA : tokens.INAMI, body)
              : await copy(owner, spec.columns, body);
          results[kind][side].push(measured);
          console.log(
            `run ${run + 1} ${kind.padEnd(12)} ${side.padEnd(6)} ${measured.rows} rows in ${(measured.ms / 1000).toFixed(2)} s = ${Math.round(perSecond(measured))} rows/s`,
          );
        }
      }
    }
    console.log(
      `\nMedians of ${REPEAT} runs, ${ROWS} rows a file (${PEOPLE} people × ${MONTHS} months), through the gateway against COPY of the same bytes:`,
    );
    for (const kind of ['benefits', 'declarations'] as const) {
      const uploadRate = median(results[kind].upload.map(perSecond));
      const copyRate = median(results[kind].copy.map(perSecond));
      const seconds = median(results[kind].upload.map((m) => m.ms / 1000));
      console.log(
        `${kind.padEnd(12)} upload ${Math.round(uploadRate)} rows/s (${seconds.toFixed(1)} s for the file), COPY ${Math.round(copyRate)} rows/s, ratio upload/COPY ${(uploadRate / copyRate).toFixed(2)}`,
      );
    }
  } finally {
    await owner.query('drop table if exists bench_copy').catch(() => {});
    await owner.end();
    await platform.stop();
    await database.stop();
  }
}

await main();
