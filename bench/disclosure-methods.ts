/**
 * Disclosure control methods compared on the pilot's published tables (R19; DISCLOSURE_CONTROL in
 * schema/policy.ts): the greedy complementary suppression of kit/disclosure.ts, optimal
 * suppression (kit/optimal-suppression.ts: fewest cells, least weight) and the cell key method
 * (kit/cell-key.ts), on the demo and on the demo copied up to PEOPLE people (bench/scale-data.ts).
 *
 * Each table (REFERRALS, ACTIVITY, ENDINGS, QUESTIONNAIRES) is read exactly, as a reader of exact
 * counts receives it (INAMI: threshold 0, the same cells and margins), through the gateway; each
 * method is then applied to the same true counts here. Printed per scale, table and method:
 * cells, non-zero cells and how many of them are published, cells withheld (primary /
 * complementary), information lost (withheld cells and their total weight, i.e. the people they
 * count; for the cell key method: the share of cells perturbed, the mean and largest absolute
 * noise, and the margins no longer equal to their published parts), compute time, and for the
 * suppression methods the primary cells an attacker pins to one value with the LP (over
 * non-negative reals, HiGHS: must be 0).
 *
 * The optimal method's MILP is capped per independent system (CAP_MS): a capped system is
 * completed greedily and pruned, and its line gives the lower bound the MILPs proved.
 * Measurements, not assertions.
 *
 *   npm run bench:disclosure            (PEOPLE=200000 CAP_MS=10000 VERIFY=1 by default; PEOPLE=0: the demo only)
 *   SAVE_TABLES=/tmp/t npm run bench:disclosure      also writes the exact tables, /tmp/t-<scale>.json
 *   TABLES_FROM=/tmp/t-demo612.json,/tmp/t-200k.json npm run bench:disclosure      the methods on saved tables, no platform
 */
import highsPackage from 'highs';
import { readFileSync, writeFileSync } from 'node:fs';
import pg from 'pg';
import { signCallerToken } from '../gateway/identity.js';
import { startPlatform } from '../platform/launcher.js';
import { DISCLOSURE_CONTROL } from '../schema/policy.js';
import { RECORD_KEY_MODULUS } from '../subgraphs/kit/cell-key.js';
import { perturbTable, suppressTable, type Dimension, type SuppressedTable } from '../subgraphs/kit/disclosure.js';
import {
  suppressTableOptimally,
  type MilpSolver,
  type OptimalStatistics,
} from '../subgraphs/kit/optimal-suppression.js';
import { benchDatabase } from './database.js';
import { scaleDemoData } from './scale-data.js';

const PEOPLE = Number(process.env.PEOPLE ?? 200_000);
const CAP_MS = Number(process.env.CAP_MS ?? 10_000);
const VERIFY = process.env.VERIFY !== '0';
const MEASURES = ['REFERRALS', 'ACTIVITY', 'ACTIVITY_BY_YEAR', 'ENDINGS', 'QUESTIONNAIRES'] as const;
process.env.IPS_AGGREGATES_REFRESH_MS = '0'; // each read after the copy computes the tables from the data

// The package's types describe its CommonJS build (the loader on `.default`); its ES build exports the loader itself.
const loadHighs = ((highsPackage as unknown as { default?: unknown }).default ??
  highsPackage) as typeof highsPackage.default;
const solver = (await loadHighs()) as unknown as MilpSolver & {
  solve(lp: string, options?: object): { Status: string; ObjectiveValue: number };
};

interface ExactTable {
  measure: string;
  dimensions: Dimension[];
  counts: Map<string, number>;
  /** The table as the platform serves it to an integrator (DISCLOSURE_CONTROL's method), and how long that request took. */
  served?: { cells: { key: string[]; count: number | null; suppression: string }[]; ms: number };
}

interface Row {
  scale: string;
  measure: string;
  method: string;
  cells: number;
  nonZero: number;
  nonZeroPublished: number;
  primary: number;
  complementary: number;
  withheldWeight: number;
  loss: string;
  ms: number;
  note: string;
}

const TABLE_QUERY = (measure: string) =>
  `{ pilotAggregates(measure: ${measure}) { threshold dimensions { name members total groups { name members } } cells { key count margin } } }`;

interface ServedBody {
  errors?: { extensions?: { retryable?: boolean; retryAfter?: number } }[];
  data: { pilotAggregates: { cells: { key: string[]; count: number | null; suppression: string }[] } };
}

/**
 * The table as an integrator is served it. A table whose first snapshot is still being computed answers
 * a retryable UNAVAILABLE with retryAfter, as after any first start: asked again when it says, for at
 * most ten minutes. The time is the answering request's.
 */
async function servedTable(
  url: string,
  integratorToken: string,
  measure: string,
): Promise<{ body: ServedBody; ms: number }> {
  const deadline = Date.now() + 600_000;
  for (;;) {
    const started = performance.now();
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${integratorToken}` },
      body: JSON.stringify({ query: `{ pilotAggregates(measure: ${measure}) { cells { key count suppression } } }` }),
    });
    const body = (await response.json()) as ServedBody;
    const ms = performance.now() - started;
    if (!body.errors) return { body, ms };
    const retryAfter = body.errors.every((error) => error.extensions?.retryable === true)
      ? Math.max(...body.errors.map((error) => error.extensions?.retryAfter ?? 1))
      : undefined;
    if (retryAfter === undefined || Date.now() > deadline) throw new Error(JSON.stringify(body.errors).slice(0, 500));
    await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000));
  }
}

async function exactTables(url: string, token: string, integratorToken: string): Promise<ExactTable[]> {
  const tables: ExactTable[] = [];
  for (const measure of MEASURES) {
    const { body: servedBody, ms: servedMs } = await servedTable(url, integratorToken, measure);
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: TABLE_QUERY(measure) }),
    });
    const body = (await response.json()) as {
      errors?: unknown[];
      data: {
        pilotAggregates: {
          threshold: number;
          dimensions: {
            name: string;
            members: string[];
            total: boolean;
            groups: { name: string; members: string[] }[];
          }[];
          cells: { key: string[]; count: number | null; margin: boolean }[];
        };
      };
    };
    if (body.errors) throw new Error(JSON.stringify(body.errors).slice(0, 500));
    const { threshold, dimensions, cells } = body.data.pilotAggregates;
    if (threshold !== 0) throw new Error(`${measure}: not read exactly (threshold ${threshold})`);
    tables.push({
      measure,
      dimensions: dimensions.map((d) => ({
        name: d.name,
        members: d.members,
        total: d.total,
        ...(d.groups.length > 0 ? { groups: Object.fromEntries(d.groups.map((g) => [g.name, g.members])) } : {}),
      })),
      // Interior cells only: margins are summed again by each method.
      counts: new Map(
        cells.filter((cell) => !cell.margin).map((cell) => [cell.key.join('\u0000'), cell.count ?? Number.NaN]),
      ),
      served: { cells: servedBody.data.pilotAggregates.cells, ms: servedMs },
    });
  }
  return tables;
}

/** How many primary cells the published table lets an attacker fix to one value (LP over non-negative reals, each independent system on its own). */
function exposedPrimaries(table: SuppressedTable): number {
  const counts = table.cells.map((cell) => cell.count);
  const rows: { unknowns: number[]; text: string }[] = [];
  const parent = new Map<number, number>();
  const find = (i: number): number => {
    while (parent.get(i) !== i) i = parent.get(i)!;
    return i;
  };
  table.equations.forEach((equation, e) => {
    let constant = 0;
    const terms: string[] = [];
    const unknowns: number[] = [];
    equation.forEach((cell, position) => {
      const sign = position === 0 ? 1 : -1;
      const count = counts[cell];
      if (count === undefined) throw new Error(`The equation names cell ${cell}, which the table lacks`);
      if (count === null) {
        terms.push(`${sign > 0 ? '+' : '-'} x${cell}`);
        unknowns.push(cell);
      } else constant += sign * count;
    });
    if (unknowns.length === 0) return;
    rows.push({ unknowns, text: ` e${e}: ${terms.join(' ')} = ${-constant}` });
    for (const cell of unknowns) if (!parent.has(cell)) parent.set(cell, cell);
    for (const cell of unknowns.slice(1)) parent.set(find(cell), find(unknowns[0]!));
  });
  const systems = new Map<number, { cells: number[]; constraints: string[] }>();
  for (const cell of parent.keys()) {
    const root = find(cell);
    if (!systems.has(root)) systems.set(root, { cells: [], constraints: [] });
    systems.get(root)!.cells.push(cell);
  }
  for (const row of rows) systems.get(find(row.unknowns[0]!))!.constraints.push(row.text);
  let exposed = 0;
  table.cells.forEach((cell, i) => {
    if (cell.suppressed !== 'PRIMARY' || !parent.has(i)) return; // in no equation: nothing fixes it
    const system = systems.get(find(i))!;
    const range = (['Minimize', 'Maximize'] as const).map((sense) => {
      const lp = [
        sense,
        ` obj: x${i}`,
        'Subject To',
        ...system.constraints,
        'Bounds',
        ...system.cells.map((c) => ` x${c} >= 0`),
        'End',
      ].join('\n');
      const solution = solver.solve(lp, { output_flag: false });
      if (sense === 'Maximize' && solution.Status !== 'Optimal') return Number.POSITIVE_INFINITY;
      if (solution.Status !== 'Optimal') throw new Error(`HiGHS: ${solution.Status}`);
      return solution.ObjectiveValue;
    });
    if (range[1]! - range[0]! < 1e-6) exposed += 1;
  });
  return exposed;
}

function suppressionRow(
  scale: string,
  measure: string,
  method: string,
  table: SuppressedTable,
  ms: number,
  note: string,
): Row {
  let nonZero = 0;
  let nonZeroPublished = 0;
  let primary = 0;
  let complementary = 0;
  let withheldWeight = 0;
  table.cells.forEach((cell, i) => {
    const value = table.trueCounts[i]!;
    if (value > 0) nonZero += 1;
    if (value > 0 && cell.count !== null) nonZeroPublished += 1;
    if (cell.suppressed === 'PRIMARY') primary += 1;
    if (cell.suppressed === 'COMPLEMENTARY') complementary += 1;
    if (cell.suppressed) withheldWeight += value;
  });
  const total = table.trueCounts.reduce((sum, value) => sum + value, 0);
  const exposed = VERIFY ? `LP: ${exposedPrimaries(table)} primary pinned` : '';
  return {
    scale,
    measure,
    method,
    cells: table.cells.length,
    nonZero,
    nonZeroPublished,
    primary,
    complementary,
    withheldWeight,
    loss: `${primary + complementary} cells withheld, weight ${withheldWeight} (${((100 * withheldWeight) / Math.max(total, 1)).toFixed(1)} % of all cells' sum)`,
    ms,
    note: [note, exposed].filter(Boolean).join('; '),
  };
}

/**
 * The cell key method (kit/cell-key.ts, DISCLOSURE_CONTROL.cellKey): every cell published with the
 * ptable's noise under its cell key. Record keys live in SQL (a keyed hash of each person's id); here
 * each interior cell's record-key sum is APPROXIMATED by the sum of as many pseudo-random 32-bit keys
 * as it counts people, drawn from a generator seeded by the table and the cell's coordinates
 * (uniform keys, as the real ones are); kit/disclosure.ts's perturbTable adds a margin's parts' sums, as in production.
 * What the approximation misses: the same person's key is the same in every quarter's table (the
 * real noise of two quarters counting the same people is the same), here independent. The time is
 * the perturbation's alone (the record-key sums are part of the counting query in SQL).
 */
function cellKeyRows(scale: string, table: ExactTable): Row[] {
  const count = (key: readonly string[]) => table.counts.get(key.join('\u0000')) ?? 0;
  // The record-key sums first (SQL's work, not the method's), then the method timed alone.
  const sums = new Map<string, bigint>();
  for (const [joined, value] of table.counts) {
    const next = mulberry32(fnv1a(`${table.measure}\u0000${joined}`));
    let sum = 0;
    for (let n = 0; n < value; n += 1) sum += Math.floor(next() * RECORD_KEY_MODULUS);
    sums.set(joined, BigInt(sum));
  }
  const started = performance.now();
  const perturbedTable = perturbTable(
    table.dimensions,
    count,
    (key) => sums.get(key.join('\u0000')) ?? 0n,
    DISCLOSURE_CONTROL.cellKey,
  );
  const ms = performance.now() - started;
  const published = perturbedTable.cells.map((cell, i) => ({
    published: cell.count!,
    noise: cell.count! - perturbedTable.trueCounts[i]!,
  }));
  let nonZero = 0;
  let perturbed = 0;
  let perturbedNonZero = 0;
  let noiseSum = 0;
  let noiseMax = 0;
  let hiddenAsZero = 0;
  published.forEach(({ noise, published: shown }, i) => {
    const value = perturbedTable.trueCounts[i]!;
    if (value > 0) nonZero += 1;
    if (noise !== 0) perturbed += 1;
    if (value > 0 && noise !== 0) perturbedNonZero += 1;
    if (value > 0) noiseSum += Math.abs(noise);
    noiseMax = Math.max(noiseMax, Math.abs(noise));
    if (value > 0 && shown === 0) hiddenAsZero += 1;
  });
  const unequal = perturbedTable.equations.filter(
    (equation) =>
      published[equation[0]!]!.published !==
      equation.slice(1).reduce((total, cell) => total + published[cell]!.published, 0),
  ).length;
  const cells = published.length;
  return [
    {
      scale,
      measure: table.measure,
      method: 'cell key (approx. keys)',
      cells,
      nonZero,
      nonZeroPublished: nonZero,
      primary: 0,
      complementary: 0,
      withheldWeight: 0,
      loss: `every cell published with noise: ${perturbed} cells perturbed (${((100 * perturbed) / cells).toFixed(1)} %; of non-zero ${((100 * perturbedNonZero) / Math.max(nonZero, 1)).toFixed(1)} %), mean |noise| of non-zero ${(noiseSum / Math.max(nonZero, 1)).toFixed(2)}, max ${noiseMax}; ${hiddenAsZero} non-zero shown as 0; ${unequal} of ${perturbedTable.equations.length} sums no longer add up`,
      ms,
      note: '',
    },
  ];
}

/** A 32-bit FNV-1a hash: a generator's seed from a cell's coordinates. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash;
}

/** mulberry32: a small seeded generator of uniform numbers in [0, 1). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The table an integrator is served, against the exact one: withheld cells, and the noise of every published count that differs. */
function servedRow(scale: string, table: ExactTable): Row {
  const exact = suppressTable(table.dimensions, (key) => table.counts.get(key.join('\u0000')) ?? 0, { threshold: 0 });
  let [nonZero, nonZeroPublished, primary, complementary, withheldWeight, perturbed, noiseSum, noiseMax] = [
    0, 0, 0, 0, 0, 0, 0, 0,
  ];
  for (const cell of table.served!.cells) {
    const value = exact.cell(cell.key)!.count!;
    if (value > 0) nonZero += 1;
    if (value > 0 && cell.count !== null) nonZeroPublished += 1;
    if (cell.suppression === 'PRIMARY') primary += 1;
    if (cell.suppression === 'COMPLEMENTARY') complementary += 1;
    if (cell.count === null) withheldWeight += value;
    else if (cell.count !== value) {
      perturbed += 1;
      noiseSum += Math.abs(cell.count - value);
      noiseMax = Math.max(noiseMax, Math.abs(cell.count - value));
    }
  }
  const noise =
    perturbed > 0
      ? `; ${perturbed} published counts differ from the truth (mean |noise| ${(noiseSum / perturbed).toFixed(2)} among them, max ${noiseMax})`
      : '';
  return {
    scale,
    measure: table.measure,
    method: 'as served (integrator)',
    cells: table.served!.cells.length,
    nonZero,
    nonZeroPublished,
    primary,
    complementary,
    withheldWeight,
    loss: `${primary + complementary} cells withheld, weight ${withheldWeight}${noise}`,
    ms: table.served!.ms,
    note: 'ms: the request, computation of the snapshot included',
  };
}

function compare(scale: string, tables: readonly ExactTable[]): Row[] {
  const rows: Row[] = [];
  if (process.env.SAVE_TABLES)
    writeFileSync(
      `${process.env.SAVE_TABLES}-${scale.replace(/\W+/g, '')}.json`,
      JSON.stringify(tables.map((t) => ({ scale, ...t, counts: [...t.counts] }))),
    );
  for (const table of tables) {
    const count = (key: readonly string[]) => table.counts.get(key.join('\u0000')) ?? 0;
    let started = performance.now();
    const greedy = suppressTable(table.dimensions, count, DISCLOSURE_CONTROL);
    console.log(`  ${scale} ${table.measure}: greedy ${(performance.now() - started).toFixed(0)} ms`);
    rows.push(suppressionRow(scale, table.measure, 'greedy suppression', greedy, performance.now() - started, ''));
    for (const objective of ['cells', 'weight'] as const) {
      started = performance.now();
      const { table: optimal, statistics } = suppressTableOptimally(table.dimensions, count, DISCLOSURE_CONTROL, {
        solver,
        objective,
        timeLimitMs: CAP_MS,
      });
      console.log(`  ${scale} ${table.measure}: optimal ${objective} ${(performance.now() - started).toFixed(0)} ms`);
      rows.push(
        suppressionRow(
          scale,
          table.measure,
          `optimal (least ${objective})`,
          optimal,
          performance.now() - started,
          optimalNote(statistics),
        ),
      );
    }
    rows.push(...cellKeyRows(scale, table));
    if (table.served) rows.push(servedRow(scale, table));
    console.log(`  ${scale} ${table.measure}: done`);
  }
  return rows;
}

function optimalNote(statistics: OptimalStatistics): string {
  const { systems, capped, milps, cuts, cost, lowerBound } = statistics;
  return `${systems} systems, ${milps} MILPs, ${cuts} cuts; ${capped === 0 ? 'every system optimal' : `${capped} capped at ${CAP_MS / 1000} s (cost ${cost} ≥ bound ${lowerBound})`}`;
}

/** Tables saved by an earlier run (SAVE_TABLES=prefix writes prefix-<scale>.json): the methods again, without the platform. */
const saved = process.env.TABLES_FROM?.split(',').filter(Boolean) ?? [];
const rows: Row[] = [];
if (saved.length > 0) {
  for (const file of saved) {
    const tables = (
      JSON.parse(readFileSync(file, 'utf8')) as {
        scale?: string;
        measure: string;
        dimensions: Dimension[];
        counts: [string, number][];
      }[]
    ).map((t) => ({ ...t, counts: new Map(t.counts) }));
    rows.push(...compare(tables[0]?.scale ?? file, tables));
  }
} else for (const [scale, tables] of await readOnThePlatform()) rows.push(...compare(scale, tables));

/** The exact tables of the demo, then of the demo copied up to PEOPLE people; the platform stops before the methods run. */
async function readOnThePlatform(): Promise<[string, ExactTable[]][]> {
  const read: [string, ExactTable[]][] = [];
  const { database, databaseUrls, migrationUrl, keys } = await benchDatabase();
  const platform = await startPlatform({
    databaseUrls,
    migrationUrl,
    callerPublicKey: keys.caller.publicKey,
    gateway: keys.gateway,
    gatewayPort: 0,
    seedDemo: true,
    subgraphTimeoutMs: 300_000,
  }); // the exact tables at national scale may outlast a request's usual 15 s
  let admin: pg.Client | undefined;
  // Stopped by a signal: the embedded server stops too.
  const stop = () => void platform.stop().finally(() => database.stop().finally(() => process.exit(130)));
  process.once('SIGINT', stop).once('SIGTERM', stop);
  try {
    const url = `${platform.gateway.url}graphql`;
    const token = await signCallerToken(
      { role: 'INAMI', organisation: 'INAMI', subject: 'disclosure-bench' },
      keys.caller.privateKey,
      '4h',
    );
    const integratorToken = await signCallerToken(
      { role: 'INTEGRATOR', organisation: 'INTEGRATOR-BENCH', subject: 'disclosure-bench' },
      keys.caller.privateKey,
      '4h',
    );
    const client = new pg.Client({ connectionString: database.url });
    admin = client;
    await client.connect();
    const people = async () =>
      Number((await client.query<{ n: string }>('select count(*) as n from participants.participant')).rows[0]!.n);
    const demoPeople = await people();
    console.log(`The demo: ${demoPeople} people`);
    read.push([`demo (${demoPeople})`, await exactTables(url, token, integratorToken)]);
    if (PEOPLE > demoPeople) {
      const started = performance.now();
      console.log(`Copying the demo up to ${PEOPLE} people…`);
      await scaleDemoData(database.url, PEOPLE, (line) => console.log(line));
      await client.query(`select nextval('access.data_version')`); // what any write does: the next read computes the tables anew
      console.log(`Scaled in ${((performance.now() - started) / 1000).toFixed(0)} s`);
      read.push([`${Math.round((await people()) / 1000)}k`, await exactTables(url, token, integratorToken)]);
    }
  } finally {
    // Closed before the server stops: a client still open then would die with an unhandled error that
    // hides whatever failed above.
    await admin?.end().catch(() => undefined);
    await platform.stop();
    await database.stop();
  }
  return read;
}

console.log(
  `\nDisclosure control methods (threshold ${DISCLOSURE_CONTROL.threshold}; optimal capped at ${CAP_MS / 1000} s per independent system)`,
);
const header = [
  'scale',
  'table',
  'method',
  'cells',
  'non-zero',
  'published',
  'primary',
  'compl.',
  'withheld weight',
  'ms',
];
const widths = [12, 15, 26, 7, 9, 10, 8, 7, 16, 9];
console.log(header.map((h, i) => (i < 3 ? h.padEnd(widths[i]!) : h.padStart(widths[i]!))).join(' '));
for (const row of rows) {
  const published = `${row.nonZeroPublished}`;
  const cellsOut = [
    row.scale,
    row.measure,
    row.method,
    row.cells,
    row.nonZero,
    published,
    row.primary,
    row.complementary,
    row.withheldWeight,
    row.ms.toFixed(0),
  ];
  console.log(
    cellsOut.map((c, i) => (i < 3 ? String(c).padEnd(widths[i]!) : String(c).padStart(widths[i]!))).join(' '),
  );
}
console.log('\nPer line: information lost and notes');
for (const row of rows)
  console.log(
    `${row.scale} ${row.measure} ${row.method}: ${row.loss}; non-zero published ${((100 * row.nonZeroPublished) / Math.max(row.nonZero, 1)).toFixed(1)} %${row.note ? `; ${row.note}` : ''}`,
  );
