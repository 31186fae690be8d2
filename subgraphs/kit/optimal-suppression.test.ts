/**
 * Optimal complementary suppression (R19; kit/optimal-suppression.ts): on small tables, the pattern
 * it finds is the known optimum (found here by enumerating every pattern), every primary cell is
 * protected — checked by SOLVING for it with an independent integer-programming solver (HiGHS), as
 * the disclosure tests do — and it never withholds more than the greedy method of kit/disclosure.ts.
 */
import highsPackage from 'highs';
import { DISCLOSURE_CONTROL } from '../../schema/policy.js';
import { suppressedRangesOfSums } from '../../test/disclosure-solver.js';
import { determinedCells, suppressTable, tableStructure, type Dimension, type SuppressedTable } from './disclosure.js';
import { suppressTableOptimally, type MilpSolver, type SuppressionObjective } from './optimal-suppression.js';

const loadHighs = ((highsPackage as unknown as { default?: unknown }).default ??
  highsPackage) as typeof highsPackage.default;
let solver: MilpSolver;
beforeAll(async () => {
  solver = (await loadHighs()) as unknown as MilpSolver;
});

/** A small seeded generator (mulberry32), so every run builds the same tables. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Interior counts skewed small: zeros, cells under the threshold, larger ones. */
function counts(dimensions: readonly Dimension[], seed: number): Map<string, number> {
  const next = random(seed);
  const result = new Map<string, number>();
  let keys: string[][] = [[]];
  for (const d of dimensions) keys = keys.flatMap((k) => d.members.map((m) => [...k, m]));
  for (const key of keys) {
    const u = next();
    result.set(key.join('/'), u < 0.15 ? 0 : u < 0.45 ? 1 + Math.floor(next() * 4) : 5 + Math.floor(next() * 40));
  }
  return result;
}

const withheld = (table: SuppressedTable) => table.cells.flatMap((cell, i) => (cell.suppressed ? [i] : []));
const cost = (table: SuppressedTable, objective: SuppressionObjective) =>
  withheld(table).reduce(
    (sum, i) =>
      sum + (table.cells[i]!.suppressed === 'COMPLEMENTARY' ? (objective === 'cells' ? 1 : table.trueCounts[i]!) : 0),
    0,
  );

/** The cheapest complement set by enumeration: every subset of the non-zero published cells, kept when no primary cell is determined. */
function bruteForceOptimum(table: SuppressedTable, objective: SuppressionObjective): number {
  const primaries = table.cells.flatMap((cell, i) => (cell.suppressed === 'PRIMARY' ? [i] : []));
  const candidates = table.trueCounts.flatMap((value, i) =>
    value > 0 && table.cells[i]!.suppressed !== 'PRIMARY' ? [i] : [],
  );
  if (candidates.length > 18) throw new Error('too many cells to enumerate');
  const coefficient = (e: number, cell: number) => (table.equations[e]![0] === cell ? 1 : -1);
  let best = Number.POSITIVE_INFINITY;
  for (let mask = 0; mask < 1 << candidates.length; mask += 1) {
    const chosen = candidates.filter((_, b) => mask & (1 << b));
    const price = chosen.reduce((sum, cell) => sum + (objective === 'cells' ? 1 : table.trueCounts[cell]!), 0);
    if (price >= best) continue;
    const determined = new Set(
      determinedCells(
        table.equations,
        coefficient,
        [...primaries, ...chosen].sort((a, b) => a - b),
      ),
    );
    if (primaries.every((p) => !determined.has(p))) best = price;
  }
  return best;
}

/** Every primary cell's smallest and largest value over non-negative integer tables that agree with what is published differ. */
async function expectEveryPrimaryProtected(table: SuppressedTable): Promise<void> {
  const ranges = await suppressedRangesOfSums({
    counts: table.cells.map((cell) => cell.count),
    equations: table.equations,
  });
  const byCell = new Map(ranges.map((range) => [range.cell, range]));
  for (const [i, cell] of table.cells.entries()) {
    if (cell.count !== null) expect(cell.count === 0 || cell.count >= DISCLOSURE_CONTROL.threshold).toBe(true);
    if (cell.suppressed !== 'PRIMARY') continue;
    const { min, max } = byCell.get(i)!;
    expect(min).toBeLessThanOrEqual(table.trueCounts[i]!);
    expect(max).toBeGreaterThanOrEqual(table.trueCounts[i]!);
    expect(max).toBeGreaterThan(min);
  }
}

const small: [string, Dimension[]][] = [
  [
    '3 × 3 with margins',
    [
      { name: 'r', members: ['r1', 'r2', 'r3'] },
      { name: 'c', members: ['c1', 'c2', 'c3'] },
    ],
  ],
  [
    '2 × 4 with margins',
    [
      { name: 'r', members: ['r1', 'r2'] },
      { name: 'c', members: ['c1', 'c2', 'c3', 'c4'] },
    ],
  ],
  [
    'partner within region × arm',
    [
      { name: 'p', members: ['a', 'b', 'c', 'd'], groups: { east: ['a', 'b'], west: ['c', 'd'] } },
      { name: 'arm', members: ['IPS', 'CONTROL'] },
    ],
  ],
];

describe('optimal suppression: the known optimum on small tables', () => {
  it('a lone small cell of a 2 × 2 table takes the other three interior cells (the cheapest cycle), not the margins', () => {
    const dims: Dimension[] = [
      { name: 'a', members: ['x', 'y'] },
      { name: 'b', members: ['p', 'q'] },
    ];
    const values: Record<string, number> = { 'x/p': 2, 'x/q': 30, 'y/p': 25, 'y/q': 40 };
    const { table } = suppressTableOptimally(dims, (k) => values[k.join('/')]!, DISCLOSURE_CONTROL, {
      solver,
      objective: 'weight',
    });
    expect(
      table.cells
        .filter((c) => c.suppressed === 'COMPLEMENTARY')
        .map((c) => c.key.join('/'))
        .sort(),
    ).toEqual(['x/q', 'y/p', 'y/q']);
  });

  for (const objective of ['cells', 'weight'] as const) {
    for (const [label, dims] of small) {
      for (const seed of [1, 2, 3, 4, 5, 6]) {
        it(`${label}, table ${seed}, least ${objective}: the enumerated optimum, every primary cell protected, never more than greedy`, async () => {
          const interior = counts(dims, seed * 104_729);
          const count = (key: readonly string[]) => interior.get(key.join('/')) ?? 0;
          const { table, statistics } = suppressTableOptimally(dims, count, DISCLOSURE_CONTROL, { solver, objective });
          const greedy = suppressTable(dims, count, DISCLOSURE_CONTROL);
          expect(statistics.capped).toBe(0);
          expect(statistics.cost).toBe(cost(table, objective));
          expect(cost(table, objective)).toBe(bruteForceOptimum(table, objective));
          expect(cost(table, objective)).toBeLessThanOrEqual(cost(greedy, objective));
          expect(table.cells.map((c) => c.suppressed === 'PRIMARY')).toEqual(
            greedy.cells.map((c) => c.suppressed === 'PRIMARY'),
          );
          await expectEveryPrimaryProtected(table);
        });
      }
    }
  }
});

describe('optimal suppression: larger tables', () => {
  const partners: Dimension = {
    name: 'partner',
    members: ['GTB', 'VDAB-ANTWERPEN', 'ISPPC', 'ARTICLE23', 'MASS', 'EQUIPE'],
    groups: { FLANDERS: ['GTB', 'VDAB-ANTWERPEN'], WALLONIA: ['ISPPC', 'ARTICLE23'], BRUSSELS: ['MASS', 'EQUIPE'] },
  };
  const shapes: [string, Dimension[]][] = [
    [
      'partner within region × quarter × arm',
      [
        partners,
        { name: 'quarter', members: ['2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4'] },
        { name: 'arm', members: ['IPS', 'CONTROL'] },
      ],
    ],
    [
      'partner within region × quarter apart × arm × employed',
      [
        partners,
        { name: 'quarter', members: ['2026-Q1', '2026-Q2'], total: false },
        { name: 'arm', members: ['IPS', 'CONTROL', 'NOT_RANDOMISED'] },
        { name: 'status', members: ['EMPLOYED', 'NOT_EMPLOYED'] },
      ],
    ],
  ];
  for (const [label, dims] of shapes) {
    for (const seed of [11, 12]) {
      it(`${label}, table ${seed}: every primary cell protected, never more cells nor weight than greedy, within its bound`, async () => {
        const interior = counts(dims, seed);
        const count = (key: readonly string[]) => interior.get(key.join('/')) ?? 0;
        const greedy = suppressTable(dims, count, DISCLOSURE_CONTROL);
        for (const objective of ['cells', 'weight'] as const) {
          // A short cap: a capped system is completed greedily and pruned, still never worse than greedy.
          const { table, statistics } = suppressTableOptimally(dims, count, DISCLOSURE_CONTROL, {
            solver,
            objective,
            timeLimitMs: 3000,
          });
          expect(statistics.cost).toBe(cost(table, objective));
          expect(statistics.lowerBound).toBeLessThanOrEqual(statistics.cost);
          if (statistics.capped === 0) expect(statistics.lowerBound).toBe(statistics.cost);
          expect(cost(table, objective)).toBeLessThanOrEqual(cost(greedy, objective));
          await expectEveryPrimaryProtected(table);
        }
      });
    }
  }

  it('a table whose systems outlast the cap is completed greedily and stays protected', async () => {
    const dims = shapes[0]![1];
    const interior = counts(dims, 99);
    const { table, statistics } = suppressTableOptimally(
      dims,
      (key) => interior.get(key.join('/')) ?? 0,
      DISCLOSURE_CONTROL,
      { solver, objective: 'cells', timeLimitMs: 0 },
    );
    expect(statistics.capped).toBe(statistics.systems);
    expect(statistics.lowerBound).toBe(0); // no MILP solved: nothing proven
    expect(statistics.systems).toBeGreaterThan(0);
    await expectEveryPrimaryProtected(table);
    expect(tableStructure(dims).keys).toHaveLength(table.cells.length);
  });
});
