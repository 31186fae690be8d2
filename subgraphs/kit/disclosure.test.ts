/**
 * Disclosure control (R19, DISCLOSURE_CONTROL in schema/policy.ts): on constructed tables, no
 * suppressed cell can be recovered from the published cells, margins and totals. Checked by
 * SOLVING for each one with an independent integer-programming solver (HiGHS): the smallest and
 * the largest non-negative integer value the published cells allow must differ.
 */
import highsPackage from 'highs';
import { DISCLOSURE_CONTROL } from '../../schema/policy.js';
import { suppressTable, tableStructure, TOTAL, type Dimension, type SuppressedTable } from './disclosure.js';

// The package's types describe its CommonJS build (the loader on `.default`); its ES build, which
// jest loads, exports the loader itself.
const loadHighs = ((highsPackage as unknown as { default?: unknown }).default ?? highsPackage) as typeof highsPackage.default;
type Highs = Awaited<ReturnType<typeof loadHighs>>;
let highs: Highs;
beforeAll(async () => {
  highs = await loadHighs();
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

/** The range [min, max] of one suppressed cell over every non-negative integer table that publishes the same cells. */
function solvedRange(table: SuppressedTable, target: number): { min: number; max: number } {
  const structure = tableStructure(table.dimensions);
  const name = (i: number) => `x${i}`;
  const constraints: string[] = [];
  structure.equations.forEach((equation, e) => {
    let constant = 0;
    const terms: string[] = [];
    equation.forEach((cell, position) => {
      const sign = position === 0 ? 1 : -1;
      const published = table.cells[cell]!.count;
      if (published === null) terms.push(`${sign > 0 ? '+' : '-'} ${name(cell)}`);
      else constant += sign * published;
    });
    if (terms.length > 0) constraints.push(` e${e}: ${terms.join(' ')} = ${-constant}`);
    else expect(constant).toBe(0); // published margins agree with their published parts
  });
  const unknowns = table.cells.flatMap((c, i) => (c.count === null ? [name(i)] : []));
  const solve = (sense: 'Minimize' | 'Maximize') => {
    const lp = [sense, ` obj: ${name(target)}`, 'Subject To', ...constraints, 'Bounds', ...unknowns.map((u) => ` ${u} >= 0`), 'Generals', ` ${unknowns.join(' ')}`, 'End'].join('\n');
    const solution = highs.solve(lp, { output_flag: false });
    if (solution.Status === 'Unbounded') return sense === 'Maximize' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
    expect(solution.Status).toBe('Optimal');
    return Math.round(solution.ObjectiveValue);
  };
  return { min: solve('Minimize'), max: solve('Maximize') };
}

function expectNoCellRecoverable(table: SuppressedTable, truth: (i: number) => number): number {
  let suppressed = 0;
  table.cells.forEach((cell, i) => {
    if (cell.count !== null) {
      expect(cell.count === 0 || cell.count >= DISCLOSURE_CONTROL.threshold).toBe(true);
      return;
    }
    suppressed += 1;
    const { min, max } = solvedRange(table, i);
    expect(min).toBeLessThanOrEqual(truth(i));
    expect(max).toBeGreaterThanOrEqual(truth(i));
    expect(max).toBeGreaterThan(min); // never solvable to one value
  });
  return suppressed;
}

/** The true value of every cell of a table (margins summed), for the checks. */
function truthOf(dimensions: readonly Dimension[], interior: Map<string, number>): (i: number) => number {
  const full = suppressTable(dimensions, (key) => interior.get(key.join('/')) ?? 0, { threshold: 0 });
  return (i) => full.cells[i]!.count!;
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
    const dims: Dimension[] = [{ name: 'a', members: ['x', 'y', 'z'] }, { name: 'b', members: ['p', 'q'] }];
    const values: Record<string, number> = { 'x/p': 0, 'x/q': 0, 'y/p': 3, 'y/q': 20, 'z/p': 40, 'z/q': 9 };
    const table = suppressTable(dims, (k) => values[k.join('/')]!, DISCLOSURE_CONTROL);
    expect(table.cell(['x', 'p'])).toMatchObject({ count: 0, suppressed: false });
    expect(table.cell(['y', 'p'])).toMatchObject({ count: null, suppressed: 'PRIMARY' });
    expect(table.cell(['x', TOTAL])).toMatchObject({ count: 0, suppressed: false, margin: true });
    expect(table.cell([TOTAL, TOTAL])).toMatchObject({ count: 72, suppressed: false });
  });

  it('adds complements so a lone small cell cannot be subtracted from its totals', () => {
    const dims: Dimension[] = [{ name: 'a', members: ['x', 'y'] }, { name: 'b', members: ['p', 'q'] }];
    const values: Record<string, number> = { 'x/p': 2, 'x/q': 30, 'y/p': 25, 'y/q': 40 };
    const table = suppressTable(dims, (k) => values[k.join('/')]!, DISCLOSURE_CONTROL);
    // x/p alone would be 32 − 30: the whole 2×2 interior is a cycle of four
    expect(table.cells.filter((c) => c.suppressed === 'COMPLEMENTARY').map((c) => c.key.join('/')).sort()).toEqual(['x/q', 'y/p', 'y/q']);
    expect(table.cell([TOTAL, TOTAL])!.count).toBe(97);
  });

  it('refuses counts that are not non-negative integers', () => {
    expect(() => suppressTable([arms], () => -1, DISCLOSURE_CONTROL)).toThrow(/non-negative integer/);
    expect(() => suppressTable([arms], () => 1.5, DISCLOSURE_CONTROL)).toThrow(/non-negative integer/);
  });
});

describe('disclosure control: no suppressed cell can be solved for (HiGHS)', () => {
  const shapes: [string, Dimension[]][] = [
    ['two dimensions', [{ name: 'a', members: ['a1', 'a2', 'a3', 'a4', 'a5'] }, { name: 'b', members: ['b1', 'b2', 'b3', 'b4'] }]],
    ['partner within region × arm', [partners, arms]],
    ['partner within region × quarter × arm', [partners, quarters, arms]],
    ['a rate: region × arm × employed or not (numerator and its complement)', [partners, arms, status]],
  ];
  for (const [label, dims] of shapes) {
    for (const seed of [1, 2, 3]) {
      it(`${label}, table ${seed}`, () => {
        const interior = counts(dims, seed * 7919);
        const table = suppressTable(dims, (key) => interior.get(key.join('/')) ?? 0, DISCLOSURE_CONTROL);
        const suppressed = expectNoCellRecoverable(table, truthOf(dims, interior));
        expect(suppressed).toBeGreaterThan(0); // the constructed data has small cells to protect
      });
    }
  }

  it('a cell that only a chain of totals would reveal (a bridge between two cycles) is protected too', () => {
    // Two 2×2 blocks of small cells joined through one row: the row's cells are solvable from the
    // margins unless the rule protects them.
    const dims: Dimension[] = [{ name: 'r', members: ['r1', 'r2', 'r3'] }, { name: 'c', members: ['c1', 'c2', 'c3', 'c4'] }];
    const values: Record<string, number> = {
      'r1/c1': 2, 'r1/c2': 3, 'r1/c3': 50, 'r1/c4': 60,
      'r2/c1': 3, 'r2/c2': 2, 'r2/c3': 1, 'r2/c4': 70,
      'r3/c1': 40, 'r3/c2': 45, 'r3/c3': 4, 'r3/c4': 2,
    };
    const interior = new Map(Object.entries(values));
    const table = suppressTable(dims, (k) => values[k.join('/')]!, DISCLOSURE_CONTROL);
    expect(expectNoCellRecoverable(table, truthOf(dims, interior))).toBeGreaterThanOrEqual(7);
  });
});

describe('disclosure control: one table, sliced', () => {
  it('the same cells are suppressed whatever the order the counts are read in', () => {
    const dims = [partners, quarters, arms];
    const interior = counts(dims, 424242);
    const first = suppressTable(dims, (key) => interior.get(key.join('/')) ?? 0, DISCLOSURE_CONTROL);
    const reversed = new Map([...interior.entries()].reverse());
    const second = suppressTable(dims, (key) => reversed.get(key.join('/')) ?? 0, DISCLOSURE_CONTROL);
    expect(second.cells.map((c) => c.suppressed)).toEqual(first.cells.map((c) => c.suppressed));
  });

  it('refuses a dimension whose groups do not partition its members', () => {
    expect(() => suppressTable([{ name: 'p', members: ['a', 'b'], groups: { g: ['a'] } }], () => 1, DISCLOSURE_CONTROL)).toThrow(/every member must be in a group/);
    expect(() => suppressTable([{ name: 'p', members: ['a', 'b'], groups: { g: ['a', 'b'], h: ['b'] } }], () => 1, DISCLOSURE_CONTROL)).toThrow(/two groups/);
  });
});
