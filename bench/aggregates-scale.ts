/**
 * The integrators' aggregates at national scale answer within 1.5× of the demo's time.
 * Starts the platform on an embedded PostgreSQL with its demo data (300 people), times each
 * aggregate the dashboard asks for through the gateway with an integrator's token, then copies the
 * demo up to PEOPLE people (bench/scale-data.ts: every subgraph's rows, valid NISS) and times them
 * again. Two figures per query and size: served (the published snapshot: what every request gets;
 * medians of ITERATIONS interleaved requests) and recomputed (the background computation of the
 * snapshots the query reads after a write, kit/data-version.ts, as it records them; no request waits
 * for it; medians of COLD runs). Prints each ratio scale / demo.
 *
 *   npm run bench:aggregates            (PEOPLE=200000 ITERATIONS=15 by default)
 */
import { signCallerToken } from '../gateway/identity.js';
import { startPlatform } from '../platform/launcher.js';
import type { Identity } from '../schema/identity.js';
import pg from 'pg';
import { DATA_CHANGE_CHANNEL, definedSnapshots } from '../subgraphs/kit/data-version.js';
import { benchDatabase } from './database.js';
import { scaleDemoData } from './scale-data.js';

const PEOPLE = Number(process.env.PEOPLE ?? 200_000);
const ITERATIONS = Number(process.env.ITERATIONS ?? 15);
const COLD = Number(process.env.COLD ?? 3);
// Recomputed after every write (no cadence): each write's computation is timed.
process.env.IPS_AGGREGATES_REFRESH_MS = '0';
/** The stored snapshots each query reads (research/services/aggregate-snapshots.ts). */
const SNAPSHOTS_READ: Record<string, string[]> = {
  'pilotAggregates REFERRALS': ['table:REFERRALS'],
  'pilotAggregates ACTIVITY': ['table:ACTIVITY'],
  'pilotAggregates ENDINGS': ['table:ENDINGS'],
  'pilotAggregates QUESTIONNAIRES': ['table:QUESTIONNAIRES'],
  coachCaseloads: ['coachCaseloads'],
  teamFidelity: ['teamFidelity'],
  consortFlow: ['consortFlow'],
  'the dashboard (one request)': [
    'table:REFERRALS',
    'table:ACTIVITY',
    'table:QUESTIONNAIRES',
    'coachCaseloads',
    'teamFidelity',
    'consortFlow',
  ],
};
const INTEGRATOR: Identity = { role: 'INTEGRATOR', organisation: 'INTEGRATOR-BENCH', subject: 'integrator-bench' };

const QUERIES: Record<string, string> = {
  'pilotAggregates REFERRALS': '{ pilotAggregates(measure: REFERRALS) { cells { key count suppression } } }',
  'pilotAggregates ACTIVITY': '{ pilotAggregates(measure: ACTIVITY) { cells { key count suppression } } }',
  'pilotAggregates ENDINGS': '{ pilotAggregates(measure: ENDINGS) { cells { key count suppression } } }',
  'pilotAggregates QUESTIONNAIRES': '{ pilotAggregates(measure: QUESTIONNAIRES) { cells { key count suppression } } }',
  coachCaseloads: '{ coachCaseloads { partner caseloads overGuideline } }',
  teamFidelity: '{ teamFidelity { team band } }',
  consortFlow: '{ consortFlow { assessed referred registered randomised arms { arm allocated analysed } } }',
  'the dashboard (one request)':
    '{ a: pilotAggregates(measure: REFERRALS, region: WALLONIA) { cells { key count } } b: pilotAggregates(measure: ACTIVITY, region: WALLONIA) { cells { key count } } c: pilotAggregates(measure: QUESTIONNAIRES, region: WALLONIA) { cells { key count } } coachCaseloads(region: WALLONIA) { caseloads } teamFidelity(region: WALLONIA) { band } consortFlow(region: WALLONIA) { randomised } conventions { code partnerPathways } }',
};

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

const { database, databaseUrls, migrationUrl, keys } = await benchDatabase();
const platform = await startPlatform({
  databaseUrls,
  migrationUrl,
  callerPublicKey: keys.caller.publicKey,
  gateway: keys.gateway,
  gatewayPort: 0,
  seedDemo: true,
  subgraphTimeoutMs: 300_000,
}); // a recomputation at national scale may outlast a request's usual 15 s
try {
  const url = `${platform.gateway.url}graphql`;
  const token = await signCallerToken(INTEGRATOR, keys.caller.privateKey, '2h');
  const ask = async (query: string): Promise<number> => {
    const started = performance.now();
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query }),
    });
    const body = (await response.json()) as { errors?: unknown[] };
    const elapsed = performance.now() - started;
    if (body.errors) throw new Error(JSON.stringify(body.errors).slice(0, 500));
    return elapsed;
  };
  const admin = new pg.Client({ connectionString: database.url });
  await admin.connect();
  /** What any write statement does (the version advanced, a notice at commit), then the background computation's times, as stored. */
  const recompute = async (): Promise<Map<string, number>> => {
    const { version } = (
      await admin.query<{ version: string }>(
        `select nextval('access.data_version')::text as version, pg_notify($1, '')`,
        [DATA_CHANGE_CHANNEL],
      )
    ).rows[0]!;
    for (;;) {
      const { rows } = await admin.query<{ key: string; computed_ms: number }>(
        `select key, computed_ms from research.aggregate_snapshot where key = any($1::text[]) and data_version >= $2::bigint`,
        [definedSnapshots(), version],
      );
      if (rows.length === definedSnapshots().length) return new Map(rows.map((row) => [row.key, row.computed_ms]));
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };
  const measure = async (): Promise<{ served: Record<string, number>; recomputed: Record<string, number> }> => {
    const served: Record<string, number[]> = Object.fromEntries(Object.keys(QUERIES).map((name) => [name, []]));
    const recomputed: Record<string, number[]> = Object.fromEntries(Object.keys(QUERIES).map((name) => [name, []]));
    for (const query of Object.values(QUERIES)) await ask(query); // warm-up: plans, caches, JIT
    for (let i = 0; i < COLD; i += 1) {
      const computed = await recompute();
      for (const name of Object.keys(QUERIES))
        recomputed[name]!.push(SNAPSHOTS_READ[name]!.reduce((sum, key) => sum + computed.get(key)!, 0));
    }
    for (const query of Object.values(QUERIES)) await ask(query);
    for (let i = 0; i < ITERATIONS; i += 1)
      for (const [name, query] of Object.entries(QUERIES)) served[name]!.push(await ask(query));
    const medians = (times: Record<string, number[]>) =>
      Object.fromEntries(Object.entries(times).map(([name, values]) => [name, median(values)]));
    return { served: medians(served), recomputed: medians(recomputed) };
  };

  const demo = await measure();
  const started = performance.now();
  console.log(`Copying the demo up to ${PEOPLE} people…`);
  await scaleDemoData(database.url, PEOPLE, (line) => console.log(line));
  console.log(`Scaled in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  const scaled = await measure();

  for (const [kind, title] of [
    ['served', `served from the snapshot (medians of ${ITERATIONS}); goal: ratio ≤ 1.5`],
    ['recomputed', `computed in the background after a write, the snapshots each reads (medians of ${COLD})`],
  ] as const) {
    console.log(`\nAggregates through the gateway (INTEGRATOR), ${title}`);
    console.log(
      `${'query'.padEnd(34)} ${'demo ms'.padStart(9)} ${`${PEOPLE / 1000}k ms`.padStart(9)} ${'ratio'.padStart(7)}`,
    );
    for (const name of Object.keys(QUERIES)) {
      const [a, b] = [demo[kind][name]!, scaled[kind][name]!];
      console.log(
        `${name.padEnd(34)} ${a.toFixed(1).padStart(9)} ${b.toFixed(1).padStart(9)} ${(b / a).toFixed(2).padStart(7)}${kind === 'served' && b / a > 1.5 ? '  over the goal' : ''}`,
      );
    }
  }
  await admin.end();
} finally {
  await platform.stop();
  await database.stop();
}
