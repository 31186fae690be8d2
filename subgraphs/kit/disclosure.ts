/**
 * Statistical disclosure control of published counts (R18, R19): the rule is data in
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
 *
 * The policy's method (DISCLOSURE_CONTROL.method) picks how a table is published (`publishTable`):
 * GREEDY_SUPPRESSION as above, or CELL_KEY — every cell and margin published with the cell key
 * method's noise (kit/cell-key.ts), from the sum of its contributors' record keys; a margin's key
 * sum is its parts' added, so it is the key of the same people wherever they are counted.
 */
import type { DisclosureMethod } from '../../schema/policy.js';
import { cellKeyOf, perturb, type CellKeyParams } from './cell-key.js';

/** One dimension of a table: its members, optionally grouped (e.g. partners within regions). */
export interface Dimension {
  readonly name: string;
  readonly members: readonly string[];
  /** Intermediate totals: group name → its members (each member in exactly one group). */
  readonly groups?: Readonly<Record<string, readonly string[]>>;
  /**
   * Whether the table has this dimension's grand total (default true). Without it, each member
   * (e.g. each quarter, where a sum over quarters counts a person several times) is a separate
   * table, and no equation links them.
   */
  readonly total?: boolean;
}

/** The grand total of a dimension. */
export const TOTAL = '*';

export interface DisclosureRule {
  /** Counts 0 < n < threshold are never published as themselves. */
  readonly threshold: number;
  /** How (DISCLOSURE_CONTROL.method); suppression when absent. */
  readonly method?: DisclosureMethod;
  /** The cell key method's parameters (required by CELL_KEY). */
  readonly cellKey?: CellKeyParams;
}

export interface Cell {
  /** One coordinate per dimension: a member, a group name or TOTAL. */
  readonly key: readonly string[];
  /** The count, or null when suppressed. */
  readonly count: number | null;
  readonly suppressed: false | 'PRIMARY' | 'COMPLEMENTARY';
  /** True when the cell is a margin (some coordinate is a group or TOTAL). */
  readonly margin: boolean;
  /** True when the count carries the cell key method's noise (DISCLOSURE_CONTROL). */
  readonly perturbed?: boolean;
}

export interface SuppressedTable {
  readonly dimensions: readonly Dimension[];
  readonly cells: readonly Cell[];
  /** Every cell's true count, in the cells' order: for suppressing other publications together with this one, never sent. */
  readonly trueCounts: readonly number[];
  /** The table's sums over the cells' indexes (each equation's first cell is the sum of the others). */
  readonly equations: readonly (readonly number[])[];
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
      if (seen.has(group) || group === TOTAL)
        throw new Error(`dimension ${dimension.name}: group ${group} clashes with a member`);
      for (const member of members) {
        if (!seen.has(member))
          throw new Error(`dimension ${dimension.name}: group ${group} names unknown member ${member}`);
        if (grouped.has(member)) throw new Error(`dimension ${dimension.name}: member ${member} is in two groups`);
        grouped.add(member);
      }
      names.push(group);
      parts.set(group, [...members]);
    }
    if (grouped.size !== dimension.members.length)
      throw new Error(`dimension ${dimension.name}: every member must be in a group`);
    if (dimension.total !== false)
      parts.set(
        TOTAL,
        groups.map(([group]) => group),
      );
  } else if (dimension.total !== false) {
    parts.set(TOTAL, [...dimension.members]);
  }
  if (dimension.total !== false) names.push(TOTAL);
  return { names, parts };
}

/** Every key of the table (interior first, then margins), in a fixed order. */
function allKeys(levelNames: readonly string[][]): string[][] {
  let keys: string[][] = [[]];
  for (const names of levelNames) keys = keys.flatMap((prefix) => names.map((name) => [...prefix, name]));
  return keys;
}

const PRIMES = [94_906_249, 94_906_247] as const;
/** How many complement candidates of a ring are tried for one that frees the cell, before the ring's best is taken. */
const CANDIDATES_TRIED = 8; // a·b < 2^53 for a, b below either

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
 * GF(p): column j is fixed iff it is a pivot whose reduced row has no free column. Rows are
 * dense typed arrays; each elimination step walks only the pivot row's non-zero columns.
 */
function fixedColumnsMod(rows: readonly Map<number, number>[], columns: number, p: number): Set<number> {
  const matrix = rows.map((row) => {
    const dense = new Float64Array(columns);
    for (const [column, value] of row) dense[column] = ((value % p) + p) % p;
    return dense;
  });
  const pivotRowOf = new Map<number, number>();
  let rank = 0;
  for (let column = 0; column < columns && rank < matrix.length; column += 1) {
    let pivot = -1;
    for (let r = rank; r < matrix.length; r += 1)
      if (matrix[r]![column] !== 0) {
        pivot = r;
        break;
      }
    if (pivot < 0) continue;
    [matrix[rank], matrix[pivot]] = [matrix[pivot]!, matrix[rank]!];
    const pivotRow = matrix[rank]!;
    const inverse = modInverse(pivotRow[column]!, p);
    const nonZero: number[] = [];
    for (let c = 0; c < columns; c += 1) {
      if (pivotRow[c] === 0) continue;
      pivotRow[c] = (pivotRow[c]! * inverse) % p;
      nonZero.push(c);
    }
    for (let r = 0; r < matrix.length; r += 1) {
      if (r === rank) continue;
      const row = matrix[r]!;
      const factor = row[column]!;
      if (factor === 0) continue;
      for (const c of nonZero) row[c] = (((row[c]! - factor * pivotRow[c]!) % p) + p) % p;
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

/**
 * The suppressed cells (of `suppressed`) that the published cells and totals determine. The
 * equations that hold suppressed cells split into independent systems (connected components);
 * each is eliminated on its own.
 */
export function determinedCells(
  equations: readonly (readonly number[])[],
  coefficientsOf: (equation: number, cell: number) => number,
  suppressed: readonly number[],
  /** Only these equations (those touching `suppressed`); all when absent. */
  only?: Iterable<number>,
): number[] {
  const column = new Map(suppressed.map((cell, index) => [cell, index]));
  const rows: Map<number, number>[] = [];
  for (const e of only ?? equations.keys()) {
    const row = new Map<number, number>();
    for (const cell of equations[e]!) {
      const c = column.get(cell);
      if (c !== undefined) row.set(c, coefficientsOf(e, cell));
    }
    if (row.size > 0) rows.push(row);
  }
  // Components: union-find over the suppressed cells, joined by every equation they share.
  const parent = suppressed.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  for (const row of rows) {
    const [first, ...others] = [...row.keys()];
    for (const other of others) parent[find(other)] = find(first!);
  }
  const members = new Map<number, number[]>();
  suppressed.forEach((_, i) => members.set(find(i), [...(members.get(find(i)) ?? []), i]));
  const rowsOf = new Map<number, Map<number, number>[]>();
  for (const row of rows) {
    const root = find(row.keys().next().value!);
    rowsOf.set(root, [...(rowsOf.get(root) ?? []), row]);
  }
  const determined: number[] = [];
  for (const [root, columns] of members) {
    const local = new Map(columns.map((c, i) => [c, i]));
    const localRows = (rowsOf.get(root) ?? []).map((row) => new Map([...row].map(([c, v]) => [local.get(c)!, v])));
    if (localRows.length === 0) continue; // in no equation: nothing determines it
    // Declared safe only when both fields agree that the cell moves: fixed over either counts as fixed.
    const fixed = new Set<number>();
    for (const p of PRIMES) for (const c of fixedColumnsMod(localRows, columns.length, p)) fixed.add(c);
    for (const c of fixed) determined.push(suppressed[columns[c]!]!);
  }
  return determined.sort((a, b) => a - b);
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
export function suppressTable(
  dimensions: readonly Dimension[],
  count: (key: readonly string[]) => number,
  rule: DisclosureRule,
): SuppressedTable {
  const structure = tableStructure(dimensions);
  const { keys, equations, margin } = structure;
  const values = withMargins(
    structure,
    (key) => {
      const value = count(key);
      if (!Number.isInteger(value) || value < 0)
        throw new Error(`count at ${key.join('/')} must be a non-negative integer`);
      return value;
    },
    0,
    (a, b) => a + b,
  );

  const state = suppressSums({ values, margin, equations, name: (cell) => keys[cell]!.join('/') }, rule);

  const cells: Cell[] = keys.map((key, i) => ({
    key,
    count: state[i] ? null : values[i]!,
    suppressed: state[i]!,
    margin: margin[i]!,
  }));
  return publishedTable(dimensions, structure, cells, values);
}

/**
 * Every cell's value, interior ones from `interior` and each margin the sum of its parts (parts
 * first, in dependency order, evaluated recursively).
 */
function withMargins<T>(
  structure: TableStructure,
  interior: (key: readonly string[]) => T,
  zero: T,
  add: (a: T, b: T) => T,
): T[] {
  const { keys, equations, margin } = structure;
  const values = keys.map((key, i) => (margin[i] ? zero : interior(key)));
  const marginEquation = new Map<number, readonly number[]>();
  for (const equation of equations) if (!marginEquation.has(equation[0]!)) marginEquation.set(equation[0]!, equation);
  const computed = new Array<boolean>(keys.length).fill(false);
  const valueOf = (i: number): T => {
    if (!margin[i] || computed[i]) return values[i]!;
    values[i] = marginEquation
      .get(i)!
      .slice(1)
      .reduce((sum, part) => add(sum, valueOf(part)), zero);
    computed[i] = true;
    return values[i];
  };
  keys.forEach((_, i) => valueOf(i));
  return values;
}

function publishedTable(
  dimensions: readonly Dimension[],
  structure: TableStructure,
  cells: Cell[],
  values: readonly number[],
): SuppressedTable {
  return {
    dimensions,
    cells,
    trueCounts: values,
    equations: structure.equations,
    cell: (key) => {
      const i = structure.index.get(keyOf(key));
      return i === undefined ? undefined : cells[i];
    },
  };
}

/**
 * The cell key method on one table: every cell and margin published, each with the noise the
 * ptable gives its true count under its cell key. `keySum(key)` is an interior cell's sum of its
 * contributors' record keys (an exact integer); a margin's is its parts' added, the sum over the
 * same people, so a margin gets the noise any other publication of the same people gets.
 */
export function perturbTable(
  dimensions: readonly Dimension[],
  count: (key: readonly string[]) => number,
  keySum: (key: readonly string[]) => bigint,
  params: CellKeyParams,
): SuppressedTable {
  const structure = tableStructure(dimensions);
  const values = withMargins(
    structure,
    (key) => {
      const value = count(key);
      if (!Number.isInteger(value) || value < 0)
        throw new Error(`count at ${key.join('/')} must be a non-negative integer`);
      return value;
    },
    0,
    (a, b) => a + b,
  );
  const sums = withMargins(structure, keySum, 0n, (a, b) => a + b);
  const cells: Cell[] = structure.keys.map((key, i) => ({
    key,
    count: perturb(values[i]!, cellKeyOf(sums[i]!), params).published,
    suppressed: false,
    margin: structure.margin[i]!,
    perturbed: true,
  }));
  return publishedTable(dimensions, structure, cells, values);
}

/**
 * A table published under the rule's method (DISCLOSURE_CONTROL.method): suppressed, or perturbed
 * by the cell key method, which needs each interior cell's sum of record keys (`keySum`).
 */
export function publishTable(
  dimensions: readonly Dimension[],
  count: (key: readonly string[]) => number,
  rule: DisclosureRule,
  keySum?: (key: readonly string[]) => bigint,
): SuppressedTable {
  switch (rule.method ?? 'GREEDY_SUPPRESSION') {
    case 'GREEDY_SUPPRESSION':
      return suppressTable(dimensions, count, rule);
    case 'CELL_KEY':
      if (!rule.cellKey)
        throw new Error('disclosure control: the cell key method needs its parameters (DISCLOSURE_CONTROL.cellKey)');
      if (!keySum) throw new Error("disclosure control: the cell key method needs each cell's sum of record keys");
      return perturbTable(dimensions, count, keySum, rule.cellKey);
  }
}

export type Suppression = Cell['suppressed'];

/**
 * Counts tied by sums: a table's cells and margins, the boxes of a flow diagram, a rate's
 * numerator, complement and denominator. Each equation says its first cell is the sum of the others.
 */
export interface SumSystem {
  /** Each cell's true count (non-negative integers). */
  readonly values: readonly number[];
  /** Cells taken last as complements (totals): interior cells are suppressed before them. */
  readonly margin: readonly boolean[];
  readonly equations: readonly (readonly number[])[];
  /** A cell's name, for the refusal (a determined cell with no complement left: only possible with locked cells). */
  name?(cell: number): string;
  /** States decided elsewhere (another publication's suppression), kept as they are. */
  initial?: readonly Suppression[];
  /** Cells never taken as complements (their state was decided elsewhere). */
  locked?: readonly boolean[];
}

/**
 * The rule applied to any system of sums: primary suppression of 0 < n < threshold, then
 * complementary suppression until no suppressed cell is determined by the published ones (see the
 * module's comment). Returns each cell's state, in the order of `values`.
 */
export function suppressSums(system: SumSystem, rule: DisclosureRule): Suppression[] {
  const { values, margin, equations } = system;
  /** Complements found to follow from published counts alone: published, and never taken again. */
  const settled = new Set<number>();
  const locked = (cell: number) => system.locked?.[cell] === true || settled.has(cell);
  const state = values.map((_, i) => system.initial?.[i] ?? false);
  values.forEach((value, i) => {
    if (!locked(i) && value > 0 && value < rule.threshold) state[i] = 'PRIMARY';
  });
  const equationsOf = new Map<number, number[]>();
  equations.forEach((equation, e) =>
    equation.forEach((cell) => equationsOf.set(cell, [...(equationsOf.get(cell) ?? []), e])),
  );
  const coefficient = (e: number, cell: number) => (equations[e]![0] === cell ? 1 : -1);

  for (;;) {
    const suppressed = state.flatMap((s, i) => (s ? [i] : []));
    if (suppressed.length === 0) break;
    const determined = determinedCells(equations, coefficient, suppressed);
    if (determined.length === 0) break;
    // Each determined cell gets one complement per round; a cell whose equations gained a
    // complement this round waits for the next elimination, and so does one whose system has no
    // published non-zero cell left (another complement of this round freed it).
    const touched = new Set<number>();
    let added = 0;
    for (const target of determined) {
      if ((equationsOf.get(target) ?? []).some((e) => touched.has(e))) continue;
      const best = complementFor(target);
      if (best < 0) {
        // Nothing left to suppress with it: its count follows from published ones (cells decided
        // elsewhere, `locked`, and zeros). A complement is then no protection, and hiding it only hides
        // what the reader computes: it is published. A small count in that state is refused below.
        if (state[target] === 'COMPLEMENTARY' && !locked(target)) {
          state[target] = false;
          settled.add(target);
          added += 1;
          for (const e of equationsOf.get(target) ?? []) touched.add(e);
        }
        continue;
      }
      state[best] = 'COMPLEMENTARY';
      added += 1;
      for (const e of equationsOf.get(best) ?? []) touched.add(e);
    }
    // Without cells decided elsewhere, cannot happen (a system without a published non-zero cell is
    // satisfied by the true counts scaled by any factor, so none of its cells is determined); with
    // them, a small count they determine cannot be protected here: refused rather than looping.
    if (added === 0)
      throw new Error(
        `disclosure control: ${system.name?.(determined[0]!) ?? determined[0]} stays determined with nothing left to suppress`,
      );
  }

  /** The suppressed cells linked to `from` through equations (with `extra` counted as suppressed). */
  function linked(from: readonly number[], extra: number): number[] {
    const reached = new Set<number>(from);
    const queue = [...from];
    while (queue.length > 0) {
      const cell = queue.pop()!;
      for (const e of equationsOf.get(cell) ?? []) {
        for (const other of equations[e]!) {
          if (reached.has(other) || (!state[other] && other !== extra)) continue;
          reached.add(other);
          queue.push(other);
        }
      }
    }
    return [...reached];
  }

  /**
   * The cell to suppress with `target`. Candidates: published non-zero cells in the equations of
   * the suppressed cells linked to it (the system that determines it), the nearest first — those
   * sharing an equation with it, then those of its suppressed neighbours' equations, and so on; at
   * equal distance the `better` first. The first candidate of the nearest ring that frees the
   * target (checked by elimination on its system) is taken; else the ring's best.
   * Zeros are never suppressed: a suppressed zero protects nothing (it cannot go below zero), and
   * one is never needed — a system whose equations hold no published non-zero cell is satisfied by
   * the true counts scaled by any factor, so none of its cells is determined.
   */
  function complementFor(target: number): number {
    const reached = new Set<number>([target]);
    let frontier = [target];
    while (frontier.length > 0) {
      const ring: number[] = [];
      const next: number[] = [];
      for (const cell of frontier) {
        for (const e of equationsOf.get(cell) ?? []) {
          for (const other of equations[e]!) {
            if (reached.has(other)) continue;
            reached.add(other);
            if (state[other])
              next.push(other); // the system grows through suppressed cells only
            else if (values[other] !== 0 && !locked(other)) ring.push(other);
          }
        }
      }
      if (ring.length > 0) {
        ring.sort((a, b) => (better(a, b) ? -1 : better(b, a) ? 1 : 0));
        for (const candidate of ring.slice(0, CANDIDATES_TRIED)) {
          const cells = linked([target], candidate).sort((a, b) => a - b);
          const touching = new Set(cells.flatMap((cell) => equationsOf.get(cell) ?? []));
          if (!determinedCells(equations, coefficient, cells, touching).includes(target)) return candidate;
        }
        return ring[0]!;
      }
      frontier = next;
    }
    return -1;
  }

  function better(a: number, b: number): boolean {
    if (margin[a] !== margin[b]) return !margin[a];
    if (values[a] !== values[b]) return values[a]! < values[b]!;
    return a < b;
  }

  return state;
}
