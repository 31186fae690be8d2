/**
 * Disclosure control (R19, DISCLOSURE_CONTROL in schema/policy.ts), each method on constructed
 * tables. GREEDY_SUPPRESSION: no suppressed cell can be recovered from the published cells, margins
 * and totals — checked by SOLVING for each one with an independent integer-programming solver
 * (HiGHS): the smallest and the largest non-negative integer value the published cells allow must
 * differ. CELL_KEY: every cell published, and no true count under the threshold pinned, nor confined
 * to 1..threshold − 1, by a reader who knows D and every sum (test/disclosure-solver.ts exposedSmallCounts).
 */
import { DISCLOSURE_CONTROL } from '../../schema/policy.js';
import { exposedSmallCounts, narrowest, noisyRanges, suppressedRanges } from '../../test/disclosure-solver.js';
import { RECORD_KEY_MODULUS } from './cell-key.js';
import {
  publishTable,
  suppressTable,
  tableStructure,
  TOTAL,
  type Dimension,
  type DisclosureRule,
  type SuppressedTable,
} from './disclosure.js';

const GREEDY: DisclosureRule = { ...DISCLOSURE_CONTROL, method: 'GREEDY_SUPPRESSION' };
const CELL_KEY: DisclosureRule = { ...DISCLOSURE_CONTROL, method: 'CELL_KEY' };

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

/** Interior counts skewed small: many zeros and cells under the threshold, some large ones. */
function counts(dimensions: readonly Dimension[], seed: number): Map<string, number> {
  const next = random(seed);
  const result = new Map<string, number>();
  let keys: string[][] = [[]];
  for (const d of dimensions) keys = keys.flatMap((k) => d.members.map((m) => [...k, m]));
  for (const key of keys) {
    const u = next();
    result.set(key.join('/'), u < 0.2 ? 0 : u < 0.55 ? 1 + Math.floor(next() * 4) : 5 + Math.floor(next() * 40));
  }
  return result;
}

async function expectNoCellRecoverable(
  table: SuppressedTable,
  truth: (key: readonly string[]) => number,
): Promise<number> {
  for (const cell of table.cells)
    if (cell.count !== null) expect(cell.count === 0 || cell.count >= DISCLOSURE_CONTROL.threshold).toBe(true);
  const ranges = await suppressedRanges(table);
  for (const { key, min, max } of ranges) {
    expect(min).toBeLessThanOrEqual(truth(key));
    expect(max).toBeGreaterThanOrEqual(truth(key));
    expect(max).toBeGreaterThan(min); // never solvable to one value
  }
  return ranges.length;
}

/** The true value of every cell of a table (margins summed), for the checks. */
function truthOf(dimensions: readonly Dimension[], interior: Map<string, number>): (key: readonly string[]) => number {
  const full = suppressTable(dimensions, (key) => interior.get(key.join('/')) ?? 0, { threshold: 0 });
  return (key) => full.cell(key)!.count!;
}

const partners: Dimension = {
  name: 'partner',
  members: ['GTB', 'VDAB-ANTWERPEN', 'ISPPC', 'ARTICLE23', 'MASS', 'EQUIPE'],
  groups: { FLANDERS: ['GTB', 'VDAB-ANTWERPEN'], WALLONIA: ['ISPPC', 'ARTICLE23'], BRUSSELS: ['MASS', 'EQUIPE'] },
};
const quarters: Dimension = { name: 'quarter', members: ['2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4'] };
const arms: Dimension = { name: 'arm', members: ['IPS', 'CONTROL'] };
const status: Dimension = { name: 'status', members: ['EMPLOYED', 'NOT_EMPLOYED'] };

describe('disclosure control: primary suppression', () => {
  it('suppresses every count 0 < n < threshold, interior or margin, and publishes zeros', () => {
    const dims: Dimension[] = [
      { name: 'a', members: ['x', 'y', 'z'] },
      { name: 'b', members: ['p', 'q'] },
    ];
    const values: Record<string, number> = { 'x/p': 0, 'x/q': 0, 'y/p': 3, 'y/q': 20, 'z/p': 40, 'z/q': 9 };
    const table = suppressTable(dims, (k) => values[k.join('/')]!, GREEDY);
    expect(table.cell(['x', 'p'])).toMatchObject({ count: 0, suppressed: false });
    expect(table.cell(['y', 'p'])).toMatchObject({ count: null, suppressed: 'PRIMARY' });
    expect(table.cell(['x', TOTAL])).toMatchObject({ count: 0, suppressed: false, margin: true });
    expect(table.cell([TOTAL, TOTAL])).toMatchObject({ count: 72, suppressed: false });
  });

  it('adds complements so a lone small cell cannot be subtracted from its totals', () => {
    const dims: Dimension[] = [
      { name: 'a', members: ['x', 'y'] },
      { name: 'b', members: ['p', 'q'] },
    ];
    const values: Record<string, number> = { 'x/p': 2, 'x/q': 30, 'y/p': 25, 'y/q': 40 };
    const table = suppressTable(dims, (k) => values[k.join('/')]!, GREEDY);
    // x/p alone would be 32 − 30: the whole 2×2 interior is a cycle of four
    expect(
      table.cells
        .filter((c) => c.suppressed === 'COMPLEMENTARY')
        .map((c) => c.key.join('/'))
        .sort(),
    ).toEqual(['x/q', 'y/p', 'y/q']);
    expect(table.cell([TOTAL, TOTAL])!.count).toBe(97);
  });

  it('refuses counts that are not non-negative integers', () => {
    expect(() => suppressTable([arms], () => -1, DISCLOSURE_CONTROL)).toThrow(/non-negative integer/);
    expect(() => suppressTable([arms], () => 1.5, DISCLOSURE_CONTROL)).toThrow(/non-negative integer/);
  });
});

describe('disclosure control: no suppressed cell can be solved for (HiGHS)', () => {
  const shapes: [string, Dimension[]][] = [
    [
      'two dimensions',
      [
        { name: 'a', members: ['a1', 'a2', 'a3', 'a4', 'a5'] },
        { name: 'b', members: ['b1', 'b2', 'b3', 'b4'] },
      ],
    ],
    ['partner within region × arm', [partners, arms]],
    ['partner within region × quarter × arm', [partners, quarters, arms]],
    ['a rate: region × arm × employed or not (numerator and its complement)', [partners, arms, status]],
  ];
  for (const [label, dims] of shapes) {
    for (const seed of [1, 2, 3]) {
      it(`${label}, table ${seed}`, async () => {
        const interior = counts(dims, seed * 7919);
        const table = suppressTable(dims, (key) => interior.get(key.join('/')) ?? 0, GREEDY);
        const suppressed = await expectNoCellRecoverable(table, truthOf(dims, interior));
        expect(suppressed).toBeGreaterThan(0); // the constructed data has small cells to protect
      });
    }
  }

  it('a cell that only a chain of totals would reveal (a bridge between two cycles) is protected too', async () => {
    // Two 2×2 blocks of small cells joined through one row: the row's cells are solvable from the
    // margins unless the rule protects them.
    const dims: Dimension[] = [
      { name: 'r', members: ['r1', 'r2', 'r3'] },
      { name: 'c', members: ['c1', 'c2', 'c3', 'c4'] },
    ];
    const values: Record<string, number> = {
      'r1/c1': 2,
      'r1/c2': 3,
      'r1/c3': 50,
      'r1/c4': 60,
      'r2/c1': 3,
      'r2/c2': 2,
      'r2/c3': 1,
      'r2/c4': 70,
      'r3/c1': 40,
      'r3/c2': 45,
      'r3/c3': 4,
      'r3/c4': 2,
    };
    const interior = new Map(Object.entries(values));
    const table = suppressTable(dims, (k) => values[k.join('/')]!, GREEDY);
    expect(await expectNoCellRecoverable(table, truthOf(dims, interior))).toBeGreaterThanOrEqual(7);
  });
});

describe('disclosure control: one table, sliced', () => {
  it('the same cells are suppressed whatever the order the counts are read in', () => {
    const dims = [partners, quarters, arms];
    const interior = counts(dims, 424242);
    const first = suppressTable(dims, (key) => interior.get(key.join('/')) ?? 0, GREEDY);
    const reversed = new Map([...interior.entries()].reverse());
    const second = suppressTable(dims, (key) => reversed.get(key.join('/')) ?? 0, GREEDY);
    expect(second.cells.map((c) => c.suppressed)).toEqual(first.cells.map((c) => c.suppressed));
  });

  it('a dimension without a total splits the table: no cell sums over it, no equation links its members', async () => {
    const quartersApart: Dimension = { ...quarters, total: false };
    const dims = [partners, quartersApart, arms];
    const interior = counts(dims, 77);
    const table = suppressTable(dims, (key) => interior.get(key.join('/')) ?? 0, GREEDY);
    expect(table.cells.some((cell) => cell.key[1] === TOTAL)).toBe(false);
    expect(table.cells).toHaveLength(10 * 4 * 3); // (6 partners + 3 regions + total) × 4 quarters × (2 arms + total)
    await expectNoCellRecoverable(table, truthOf(dims, interior));
  });

  it('refuses a dimension whose groups do not partition its members', () => {
    expect(() =>
      suppressTable([{ name: 'p', members: ['a', 'b'], groups: { g: ['a'] } }], () => 1, DISCLOSURE_CONTROL),
    ).toThrow(/every member must be in a group/);
    expect(() =>
      suppressTable(
        [{ name: 'p', members: ['a', 'b'], groups: { g: ['a', 'b'], h: ['b'] } }],
        () => 1,
        DISCLOSURE_CONTROL,
      ),
    ).toThrow(/two groups/);
  });
});

/** Each interior cell's people as random record keys (integers below 2^32), seeded: the sum of a cell's keys is its key sum. */
function recordKeySums(interior: ReadonlyMap<string, number>, seed: number): Map<string, bigint> {
  const next = random(seed);
  return new Map(
    [...interior].map(([key, n]) => [
      key,
      Array.from({ length: n }, () => BigInt(Math.floor(next() * RECORD_KEY_MODULUS))).reduce((a, b) => a + b, 0n),
    ]),
  );
}

function perturbed(
  dims: readonly Dimension[],
  interior: ReadonlyMap<string, number>,
  sums: ReadonlyMap<string, bigint>,
): SuppressedTable {
  return publishTable(
    dims,
    (key) => interior.get(key.join('/')) ?? 0,
    CELL_KEY,
    (key) => sums.get(key.join('/')) ?? 0n,
  );
}

/** The true small counts of a perturbed table and the ranges a reader who knows D and the sums computes for them. */
async function smallCountRanges(table: SuppressedTable, options: { integer?: boolean } = {}) {
  const small = table.trueCounts.flatMap((n, i) => (n > 0 && n < DISCLOSURE_CONTROL.threshold ? [i] : []));
  const ranges = await noisyRanges(
    {
      published: table.cells.map((c) => c.count!),
      equations: table.equations,
      maxNoise: DISCLOSURE_CONTROL.cellKey.maxNoise,
    },
    small,
    options,
  );
  return ranges.map(({ cell, min, max }) => ({
    name: table.cells[cell]!.key.join('/'),
    truth: table.trueCounts[cell]!,
    min,
    max,
  }));
}

describe("the method is the policy's: publishTable dispatches on DISCLOSURE_CONTROL.method", () => {
  it("GREEDY_SUPPRESSION publishes the suppressed table; CELL_KEY needs every cell's key sum", () => {
    const dims = [partners, arms];
    const interior = counts(dims, 5);
    const greedy = publishTable(dims, (key) => interior.get(key.join('/')) ?? 0, GREEDY);
    expect(greedy.cells).toEqual(suppressTable(dims, (key) => interior.get(key.join('/')) ?? 0, GREEDY).cells);
    expect(greedy.cells.some((c) => c.perturbed)).toBe(false);
    expect(() => publishTable(dims, () => 1, CELL_KEY)).toThrow(/sum of record keys/);
    expect(() =>
      publishTable(
        dims,
        () => 1,
        { threshold: 5, method: 'CELL_KEY' },
        () => 0n,
      ),
    ).toThrow(/parameters/);
  });
});

describe('the cell key method: every cell published, with noise the same people always draw', () => {
  const { maxNoise: d, smallCounts: js } = DISCLOSURE_CONTROL.cellKey;

  it('publishes every cell and margin within ±D of its count, never as 1..js, zeros as zeros, and says so', () => {
    const dims = [partners, quarters, arms];
    const interior = counts(dims, 11);
    const table = perturbed(dims, interior, recordKeySums(interior, 12));
    expect(table.cells).toHaveLength(tableStructure(dims).keys.length);
    table.cells.forEach((cell, i) => {
      const truth = table.trueCounts[i]!;
      expect({ key: cell.key, suppressed: cell.suppressed, perturbed: cell.perturbed }).toEqual({
        key: cell.key,
        suppressed: false,
        perturbed: true,
      });
      expect(cell.count).not.toBeNull();
      expect(Math.abs(cell.count! - truth)).toBeLessThanOrEqual(d);
      expect(cell.count! === 0 || cell.count! > js).toBe(true);
      if (truth === 0) expect(cell.count).toBe(0);
    });
    // noise is there: some counts differ from the truth
    expect(table.cells.filter((cell, i) => cell.count !== table.trueCounts[i]).length).toBeGreaterThan(
      table.cells.length / 4,
    );
  });

  it('gives a margin of the same people as one of its parts the same count: nothing to subtract', () => {
    const dims: Dimension[] = [
      { name: 'a', members: ['x', 'y', 'z'] },
      { name: 'b', members: ['p', 'q'] },
    ];
    const interior = new Map(Object.entries({ 'x/p': 3, 'x/q': 0, 'y/p': 0, 'y/q': 0, 'z/p': 12, 'z/q': 7 }));
    const table = perturbed(dims, interior, recordKeySums(interior, 3));
    // x's only people are x/p's, and q's total holds z/q's people alone: the same people, the same published count
    expect(table.cell(['x', TOTAL])!.count).toBe(table.cell(['x', 'p'])!.count);
    expect(table.cell([TOTAL, 'q'])!.count).toBe(table.cell(['z', 'q'])!.count);
  });

  it('publishes the same table whatever the order the counts are read in, and again when asked again', () => {
    const dims = [partners, quarters, arms];
    const interior = counts(dims, 424242);
    const sums = recordKeySums(interior, 99);
    const first = perturbed(dims, interior, sums);
    const reversed = perturbed(dims, new Map([...interior].reverse()), new Map([...sums].reverse()));
    expect(reversed.cells).toEqual(first.cells);
    expect(perturbed(dims, interior, sums).cells).toEqual(first.cells);
  });

  it('draws fresh noise for other people: a table of the same counts over other people differs', () => {
    const dims = [partners, quarters, arms];
    const interior = counts(dims, 8);
    const one = perturbed(dims, interior, recordKeySums(interior, 1));
    const other = perturbed(dims, interior, recordKeySums(interior, 2));
    expect(other.cells.map((c) => c.count)).not.toEqual(one.cells.map((c) => c.count));
  });

  const shapes: [string, Dimension[]][] = [
    [
      'two dimensions',
      [
        { name: 'a', members: ['a1', 'a2', 'a3', 'a4', 'a5'] },
        { name: 'b', members: ['b1', 'b2', 'b3', 'b4'] },
      ],
    ],
    ['partner within region × arm', [partners, arms]],
    ['partner within region × quarter × arm', [partners, quarters, arms]],
    ['a rate: region × arm × employed or not (numerator and its complement)', [partners, arms, status]],
  ];
  for (const [label, dims] of shapes) {
    it(`${label}: no small count pinned nor confined below the threshold, over 12 tables and people (HiGHS, integers)`, async () => {
      const all = [];
      for (let seed = 1; seed <= 12; seed += 1) {
        const interior = counts(dims, seed * 7919);
        const table = perturbed(dims, interior, recordKeySums(interior, seed * 104729));
        const ranges = await smallCountRanges(table, { integer: true });
        expect(exposedSmallCounts(ranges, DISCLOSURE_CONTROL.threshold)).toEqual([]);
        all.push(...ranges);
      }
      expect(all.length).toBeGreaterThan(0); // the constructed data has small counts to protect
      console.log(`${label}: ${narrowest(all, DISCLOSURE_CONTROL.threshold)}`);
    }, 120_000);
  }

  it("the greedy method's hardest case (a bridge between two cycles of small cells) exposes nothing either", async () => {
    const dims: Dimension[] = [
      { name: 'r', members: ['r1', 'r2', 'r3'] },
      { name: 'c', members: ['c1', 'c2', 'c3', 'c4'] },
    ];
    const interior = new Map(
      Object.entries({
        'r1/c1': 2,
        'r1/c2': 3,
        'r1/c3': 50,
        'r1/c4': 60,
        'r2/c1': 3,
        'r2/c2': 2,
        'r2/c3': 1,
        'r2/c4': 70,
        'r3/c1': 40,
        'r3/c2': 45,
        'r3/c3': 4,
        'r3/c4': 2,
      }),
    );
    for (let seed = 1; seed <= 20; seed += 1) {
      const ranges = await smallCountRanges(perturbed(dims, interior, recordKeySums(interior, seed)), {
        integer: true,
      });
      expect(ranges).toHaveLength(7);
      expect(exposedSmallCounts(ranges, DISCLOSURE_CONTROL.threshold)).toEqual([]);
    }
  }, 120_000);
});
