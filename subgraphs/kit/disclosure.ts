/**
 * Statistical disclosure control of published counts (R18, R19; issue 13): the rule is data in
 * `schema/policy.ts` (DISCLOSURE_CONTROL); this module applies it to one table.
 *
 * A measure is published as ONE table: every combination of its fixed dimensions, with every
 * margin (a dimension's groups, e.g. the partners of a region, and its grand total). The table is
 * suppressed once and every query answers with a slice of it, so two queries that differ by one
 * filter show the same cells suppressed and cannot be subtracted from each other.
 *
 * Primary suppression: every cell with 0 < count < threshold, interior or margin.
 * Complementary suppression: the published cells and totals form linear equations (a margin is
 * the sum of its parts). A suppressed cell is *determined* when those equations fix its value,
 * i.e. when no vector of the null space of the suppressed cells' columns moves it. Until no
 * suppressed cell is determined, the smallest non-zero published cell that shares an equation
 * with a determined one is suppressed too (interior cells before margins, then the first in a
 * fixed order, so the result never depends on the order of the query's rows).
 * Determination is decided by exact elimination over two large primes (ranks of 0/±1 matrices),
 * so a cell is declared safe only when both fields agree it moves.
 *
 * With every suppressed cell ≥ 1, a null-space direction that moves a cell can be followed a
 * little both ways without leaving the non-negative counts, so no suppressed cell can be solved
 * for; `disclosure.test.ts` checks this independently with an LP solver (HiGHS).
 */

/** One dimension of a table: its members, optionally grouped (e.g. partners within regions). */
export interface Dimension {
  readonly name: string;
  readonly members: readonly string[];
  /** Intermediate totals: group name → its members (each member in exactly one group). */
  readonly groups?: Readonly<Record<string, readonly string[]>>;
}

/** The grand total of a dimension. */
export const TOTAL = '*';

export interface DisclosureRule {
  /** Counts 0 < n < threshold are never published. */
  readonly threshold: number;
}

export interface Cell {
  /** One coordinate per dimension: a member, a group name or TOTAL. */
  readonly key: readonly string[];
  /** The count, or null when suppressed. */
  readonly count: number | null;
  readonly suppressed: false | 'PRIMARY' | 'COMPLEMENTARY';
  /** True when the cell is a margin (some coordinate is a group or TOTAL). */
  readonly margin: boolean;
}

export interface SuppressedTable {
  readonly dimensions: readonly Dimension[];
  readonly cells: readonly Cell[];
  /** The published cell (or null for an unknown key) at these coordinates. */
  cell(key: readonly string[]): Cell | undefined;
}

/** The levels of one dimension (members, then groups, then TOTAL) and each level's parts. */
function levels(dimension: Dimension): { names: string[]; parts: Map<string, string[]> } {
  const names = [...dimension.members];
  const parts = new Map<string, string[]>();
  const seen = new Set(dimension.members);
  if (seen.size !== dimension.members.length) throw new Error(`dimension ${dimension.name}: a member is listed twice`);
  const groups = Object.entries(dimension.groups ?? {});
  if (groups.length > 0) {
    const grouped = new Set<string>();
    for (const [group, members] of groups) {
      if (seen.has(group) || group === TOTAL) throw new Error(`dimension ${dimension.name}: group ${group} clashes with a member`);
      for (const member of members) {
        if (!seen.has(member)) throw new Error(`dimension ${dimension.name}: group ${group} names unknown member ${member}`);
        if (grouped.has(member)) throw new Error(`dimension ${dimension.name}: member ${member} is in two groups`);
        grouped.add(member);
      }
      names.push(group);
      parts.set(group, [...members]);
    }
    if (grouped.size !== dimension.members.length) throw new Error(`dimension ${dimension.name}: every member must be in a group`);
    parts.set(TOTAL, groups.map(([group]) => group));
  } else {
    parts.set(TOTAL, [...dimension.members]);
  }
  names.push(TOTAL);
  return { names, parts };
}

/** Every key of the table (interior first, then margins), in a fixed order. */
function allKeys(levelNames: readonly string[][]): string[][] {
  let keys: string[][] = [[]];
  for (const names of levelNames) keys = keys.flatMap((prefix) => names.map((name) => [...prefix, name]));
  return keys;
}

const PRIMES = [94_906_249, 94_906_247] as const; // a·b < 2^53 for a, b below either

function modInverse(a: number, p: number): number {
  let [oldR, r] = [((a % p) + p) % p, p];
  let [oldS, s] = [1, 0];
  while (r !== 0) {
    const q = Math.floor(oldR / r);
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  return ((oldS % p) + p) % p;
}

/**
 * Which of the unknowns (columns) are fixed by the equations `rows` (sparse: column → ±1) over
 * GF(p): column j is fixed iff it is a pivot whose reduced row has no free column.
 */
function fixedColumnsMod(rows: readonly Map<number, number>[], columns: number, p: number): Set<number> {
  const matrix = rows.map((row) => {
    const dense = new Array<number>(columns).fill(0);
    for (const [column, value] of row) dense[column] = ((value % p) + p) % p;
    return dense;
  });
  const pivotRowOf = new Map<number, number>();
  let rank = 0;
  for (let column = 0; column < columns && rank < matrix.length; column += 1) {
    let pivot = -1;
    for (let r = rank; r < matrix.length; r += 1) if (matrix[r]![column] !== 0) { pivot = r; break; }
    if (pivot < 0) continue;
    [matrix[rank], matrix[pivot]] = [matrix[pivot]!, matrix[rank]!];
    const pivotRow = matrix[rank]!;
    const inverse = modInverse(pivotRow[column]!, p);
    for (let c = 0; c < columns; c += 1) pivotRow[c] = (pivotRow[c]! * inverse) % p;
    for (let r = 0; r < matrix.length; r += 1) {
      if (r === rank) continue;
      const row = matrix[r]!;
      const factor = row[column]!;
      if (factor === 0) continue;
      for (let c = 0; c < columns; c += 1) if (pivotRow[c] !== 0) row[c] = (((row[c]! - factor * pivotRow[c]!) % p) + p) % p;
    }
    pivotRowOf.set(column, rank);
    rank += 1;
  }
  const fixed = new Set<number>();
  for (const [column, r] of pivotRowOf) {
    const row = matrix[r]!;
    let alone = true;
    for (let c = 0; c < columns && alone; c += 1) if (c !== column && row[c] !== 0 && !pivotRowOf.has(c)) alone = false;
    if (alone) fixed.add(column);
  }
  return fixed;
}

/** The suppressed cells (indices into `suppressed`) the published cells and totals determine. */
export function determinedCells(equations: readonly (readonly number[])[], coefficientsOf: (equation: number, cell: number) => number, suppressed: readonly number[]): number[] {
  const column = new Map(suppressed.map((cell, index) => [cell, index]));
  const rows: Map<number, number>[] = [];
  for (let e = 0; e < equations.length; e += 1) {
    const row = new Map<number, number>();
    for (const cell of equations[e]!) {
      const c = column.get(cell);
      if (c !== undefined) row.set(c, coefficientsOf(e, cell));
    }
    if (row.size > 0) rows.push(row);
  }
  // Declared safe only when both fields agree that the cell moves: fixed over either counts as fixed.
  const union = new Set<number>();
  for (const p of PRIMES) for (const c of fixedColumnsMod(rows, suppressed.length, p)) union.add(c);
  return [...union].sort((a, b) => a - b).map((c) => suppressed[c]!);
}

/** The linear structure of a table: its keys, and each margin as "margin − Σ parts = 0". */
export interface TableStructure {
  readonly keys: readonly (readonly string[])[];
  readonly index: ReadonlyMap<string, number>;
  /** Each equation lists its cells; the first is the margin (coefficient +1), the others its parts (−1). */
  readonly equations: readonly (readonly number[])[];
  readonly margin: readonly boolean[];
}

const keyOf = (key: readonly string[]) => key.join('\u0000');

export function tableStructure(dimensions: readonly Dimension[]): TableStructure {
  const dimensionLevels = dimensions.map(levels);
  const keys = allKeys(dimensionLevels.map((level) => level.names));
  // interior cells first, in their natural order: the fixed order of preference among equals
  const isMargin = (key: readonly string[]) => key.some((name, d) => dimensionLevels[d]!.parts.has(name));
  keys.sort((a, b) => Number(isMargin(a)) - Number(isMargin(b)));
  const index = new Map(keys.map((key, i) => [keyOf(key), i]));
  const equations: number[][] = [];
  keys.forEach((key, i) => {
    key.forEach((name, d) => {
      const parts = dimensionLevels[d]!.parts.get(name);
      if (!parts) return;
      equations.push([i, ...parts.map((part) => index.get(keyOf(key.map((n, k) => (k === d ? part : n))))!)]);
    });
  });
  return { keys, index, equations, margin: keys.map(isMargin) };
}

/**
 * Apply the rule to a table whose interior counts are given by `count(key)` (members only; a
 * missing combination counts 0). Margins are summed here, so they always agree with their parts.
 */
export function suppressTable(dimensions: readonly Dimension[], count: (key: readonly string[]) => number, rule: DisclosureRule): SuppressedTable {
  const structure = tableStructure(dimensions);
  const { keys, equations, margin } = structure;
  const values = new Array<number>(keys.length).fill(0);
  keys.forEach((key, i) => {
    if (margin[i]) return;
    const value = count(key);
    if (!Number.isInteger(value) || value < 0) throw new Error(`count at ${key.join('/')} must be a non-negative integer`);
    values[i] = value;
  });
  // margins: an equation's margin is the sum of its parts; parts come first in dependency order
  // when evaluated recursively.
  const marginEquation = new Map<number, readonly number[]>();
  for (const equation of equations) if (!marginEquation.has(equation[0]!)) marginEquation.set(equation[0]!, equation);
  const computed = new Array<boolean>(keys.length).fill(false);
  const valueOf = (i: number): number => {
    if (!margin[i] || computed[i]) return values[i]!;
    values[i] = marginEquation.get(i)!.slice(1).reduce((sum, part) => sum + valueOf(part), 0);
    computed[i] = true;
    return values[i]!;
  };
  keys.forEach((_, i) => valueOf(i));

  const state = new Array<Cell['suppressed']>(keys.length).fill(false);
  values.forEach((value, i) => {
    if (value > 0 && value < rule.threshold) state[i] = 'PRIMARY';
  });
  const equationsOf = new Map<number, number[]>();
  equations.forEach((equation, e) => equation.forEach((cell) => equationsOf.set(cell, [...(equationsOf.get(cell) ?? []), e])));
  const coefficient = (e: number, cell: number) => (equations[e]![0] === cell ? 1 : -1);

  for (;;) {
    const suppressed = state.flatMap((s, i) => (s ? [i] : []));
    if (suppressed.length === 0) break;
    const determined = determinedCells(equations, coefficient, suppressed);
    if (determined.length === 0) break;
    // Each determined cell gets one complement per round; a cell whose equations gained a
    // complement this round waits for the next elimination.
    const touched = new Set<number>();
    for (const target of determined) {
      if ((equationsOf.get(target) ?? []).some((e) => touched.has(e))) continue;
      const best = complementFor(target);
      if (best < 0) throw new Error('disclosure control: no cell left to suppress (a suppressed cell stays determined)');
      state[best] = 'COMPLEMENTARY';
      for (const e of equationsOf.get(best) ?? []) touched.add(e);
    }
  }

  /** The published non-zero cell to suppress with `target`: in a shared equation, else one step further. */
  function complementFor(target: number): number {
    let best = -1;
    const consider = (cell: number) => {
      if (state[cell] || values[cell] === 0) return;
      if (best < 0 || better(cell, best)) best = cell;
    };
    for (const e of equationsOf.get(target) ?? []) for (const cell of equations[e]!) consider(cell);
    if (best < 0) for (const e of equationsOf.get(target) ?? []) for (const cell of equations[e]!) for (const f of equationsOf.get(cell) ?? []) for (const other of equations[f]!) consider(other);
    return best;
  }

  function better(a: number, b: number): boolean {
    if (margin[a] !== margin[b]) return !margin[a];
    if (values[a] !== values[b]) return values[a]! < values[b]!;
    return a < b;
  }

  const cells: Cell[] = keys.map((key, i) => ({ key, count: state[i] ? null : values[i]!, suppressed: state[i]!, margin: margin[i]! }));
  return {
    dimensions,
    cells,
    cell: (key) => {
      const i = structure.index.get(keyOf(key));
      return i === undefined ? undefined : cells[i];
    },
  };
}
