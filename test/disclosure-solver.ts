/**
 * An independent check of disclosure control (R19, schema/policy.ts DISCLOSURE_CONTROL): for each
 * suppressed cell of a published table, the smallest and the largest non-negative integer value
 * that the published cells, margins and totals allow, solved with an integer-programming solver
 * (HiGHS). A cell is recoverable when the two are equal. Used by the kit's unit test on
 * constructed tables and by the end-to-end tests on what the graph publishes.
 */
import highsPackage from 'highs';
import { tableStructure, type Dimension } from '../subgraphs/kit/disclosure.js';

// The package's types describe its CommonJS build (the loader on `.default`); its ES build, which
// jest loads, exports the loader itself.
const loadHighs = ((highsPackage as unknown as { default?: unknown }).default ??
  highsPackage) as typeof highsPackage.default;
type Highs = Awaited<ReturnType<typeof loadHighs>>;

/** A table as a reader receives it: its dimensions, and every cell's key and count (null when suppressed). */
export interface PublishedTable {
  dimensions: readonly Dimension[];
  cells: readonly { key: readonly string[]; count: number | null }[];
}

export interface Range {
  key: readonly string[];
  min: number;
  max: number;
}

let highs: Promise<Highs> | undefined;

/**
 * The range of every suppressed cell of the table, over non-negative integers (`integer`, the
 * default) or over non-negative reals (the LP relaxation: faster, and its range contains the
 * integer one, so it can only miss a disclosure that only integrality reveals).
 */
export async function suppressedRanges(table: PublishedTable, options: { integer?: boolean } = {}): Promise<Range[]> {
  const structure = tableStructure(table.dimensions);
  const published = new Map(table.cells.map((cell) => [cell.key.join('\u0000'), cell.count]));
  const counts = structure.keys.map((key) => {
    if (!published.has(key.join('\u0000'))) throw new Error(`the table lacks cell ${key.join('/')}`);
    return published.get(key.join('\u0000'))!;
  });
  const ranges = await suppressedRangesOfSums({ counts, equations: structure.equations }, options);
  return ranges.map(({ cell, min, max }) => ({ key: structure.keys[cell]!, min, max }));
}

/** Counts tied by sums as a reader receives them: each equation's first cell is the sum of the others; null is suppressed. */
export interface PublishedSums {
  counts: readonly (number | null)[];
  equations: readonly (readonly number[])[];
  /**
   * Bounds a reader also knows: the sum of `cells`, less the sum of `less`, at least `bound` (e.g. an exact
   * count of some of the people a cell counts, or a year's count at least any of its quarters').
   */
  atLeast?: readonly Bound[];
}

/** Σ cells − Σ less ≥ bound. */
export interface Bound {
  cells: readonly number[];
  less?: readonly number[];
  bound: number;
}

/** The range of every suppressed cell (by index) of any system of sums: a table, a flow diagram, a rate. */
export async function suppressedRangesOfSums(
  published: PublishedSums,
  options: { integer?: boolean } = {},
): Promise<{ cell: number; min: number; max: number }[]> {
  const solver = await (highs ??= loadHighs());
  const countOf = (i: number) => published.counts[i]!;
  const name = (i: number) => `x${i}`;
  // Each equation with its published cells moved to the right-hand side; the equations that hold
  // suppressed cells split into independent systems, each solved on its own.
  const systems = new Map<number, { cells: Set<number>; constraints: string[] }>();
  const parent = new Map<number, number>();
  const find = (i: number): number => {
    let root = i;
    while (parent.has(root) && parent.get(root) !== root) root = parent.get(root)!;
    return root;
  };
  const rows: { unknowns: number[]; text: string }[] = [];
  published.equations.forEach((equation, e) => {
    let constant = 0;
    const terms: string[] = [];
    const unknowns: number[] = [];
    equation.forEach((cell, position) => {
      const sign = position === 0 ? 1 : -1;
      const count = countOf(cell);
      if (count === null) {
        terms.push(`${sign > 0 ? '+' : '-'} ${name(cell)}`);
        unknowns.push(cell);
      } else constant += sign * count;
    });
    if (unknowns.length > 0) {
      rows.push({ unknowns, text: ` e${e}: ${terms.join(' ')} = ${-constant}` });
      for (const cell of unknowns) if (!parent.has(cell)) parent.set(cell, cell);
      for (const cell of unknowns.slice(1)) parent.set(find(cell), find(unknowns[0]!));
    } else if (constant !== 0)
      throw new Error(`published sum ${e} (cell ${equation[0]}) disagrees with its published parts`);
  });
  (published.atLeast ?? []).forEach(({ cells, less = [], bound }, b) => {
    const signed = [...cells.map((cell) => ({ cell, sign: 1 })), ...less.map((cell) => ({ cell, sign: -1 }))];
    const open = signed.filter(({ cell }) => countOf(cell) === null);
    const unknowns = open.map(({ cell }) => cell);
    const known = signed.reduce((sum, { cell, sign }) => sum + sign * (countOf(cell) ?? 0), 0);
    if (unknowns.length === 0) {
      if (known < bound) throw new Error(`published bound ${b} disagrees with its published cells`);
      return;
    }
    rows.push({
      unknowns,
      text: ` b${b}: ${open.map(({ cell, sign }) => `${sign > 0 ? '+' : '-'} ${name(cell)}`).join(' ')} >= ${bound - known}`,
    });
    for (const cell of unknowns) if (!parent.has(cell)) parent.set(cell, cell);
    for (const cell of unknowns.slice(1)) parent.set(find(cell), find(unknowns[0]!));
  });
  const unknowns = published.counts.flatMap((count, i) => (count === null ? [i] : []));
  for (const cell of unknowns) {
    const root = find(cell);
    if (!systems.has(root)) systems.set(root, { cells: new Set(), constraints: [] });
    systems.get(root)!.cells.add(cell);
  }
  for (const row of rows) systems.get(find(row.unknowns[0]!))!.constraints.push(row.text);
  const solve = (sense: 'Minimize' | 'Maximize', target: number) => {
    const system = systems.get(find(target))!;
    if (system.constraints.length === 0) return sense === 'Maximize' ? Number.POSITIVE_INFINITY : 0; // in no equation: anything goes
    const cells = [...system.cells].map(name);
    const integrality = options.integer === false ? [] : ['Generals', ` ${cells.join(' ')}`];
    const lp = [
      sense,
      ` obj: ${name(target)}`,
      'Subject To',
      ...system.constraints,
      'Bounds',
      ...cells.map((c) => ` ${c} >= 0`),
      ...integrality,
      'End',
    ].join('\n');
    const solution = solver.solve(lp, { output_flag: false, time_limit: 20 });
    // The true table satisfies every constraint, so the model is feasible: "infeasible or unbounded" is unbounded.
    if (
      sense === 'Maximize' &&
      (solution.Status === 'Unbounded' || solution.Status === 'Primal infeasible or unbounded')
    )
      return Number.POSITIVE_INFINITY;
    if (solution.Status !== 'Optimal') throw new Error(`HiGHS: ${solution.Status}`);
    return Math.round(solution.ObjectiveValue);
  };
  return unknowns.map((i) => ({ cell: i, min: solve('Minimize', i), max: solve('Maximize', i) }));
}

/**
 * Counts published with the cell key method's noise (kit/cell-key.ts) as a reader receives them:
 * every count published, each within ±maxNoise of its true value, and the true values tied by the
 * sums (each equation's first cell the sum of the others) and bounds the reader knows.
 */
export interface NoisySums {
  published: readonly number[];
  equations: readonly (readonly number[])[];
  atLeast?: readonly Bound[];
  /** D: the largest noise the policy allows, which the reader knows. */
  maxNoise: number;
}

/**
 * What a reader who knows D can say of each of `cells`' true values: the smallest and the largest x_i
 * such that every true value x_j lies within [max(0, published_j − D), published_j + D], every sum
 * holds and every bound too — over non-negative reals (`integer: false`, the default here: the LP
 * relaxation, whose range contains the integer one, so it can only report a range wider than an
 * integer solver would for a table whose sums are not totally unimodular), or over integers.
 * Cells linked by no sum are bounded by their own noise only; each linked system is solved on its own.
 */
export async function noisyRanges(
  system: NoisySums,
  cells: readonly number[],
  options: { integer?: boolean } = {},
): Promise<{ cell: number; min: number; max: number }[]> {
  const model = await noisyModel(system);
  return cells.map((cell) => ({
    cell,
    min: model.optimum('Minimize', [cell], options).value,
    max: model.optimum('Maximize', [cell], options).value,
  }));
}

/** The LP of a noisy system, split into linked systems; `optimum` solves for a sum of cells over the systems that hold them. */
async function noisyModel(system: NoisySums) {
  const solver = await (highs ??= loadHighs());
  const name = (i: number) => `x${i}`;
  const low = (i: number) => Math.max(0, system.published[i]! - system.maxNoise);
  const high = (i: number) => system.published[i]! + system.maxNoise;
  const parent = system.published.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  const rows: { first: number; text: string }[] = [];
  system.equations.forEach((equation, e) => {
    rows.push({
      first: equation[0]!,
      text: ` e${e}: ${equation.map((cell, position) => `${position === 0 ? '+' : '-'} ${name(cell)}`).join(' ')} = 0`,
    });
    for (const cell of equation.slice(1)) parent[find(cell)] = find(equation[0]!);
  });
  (system.atLeast ?? []).forEach(({ cells: bounded, less = [], bound }, b) => {
    rows.push({
      first: bounded[0]!,
      text: ` b${b}: ${[...bounded.map((cell) => `+ ${name(cell)}`), ...less.map((cell) => `- ${name(cell)}`)].join(' ')} >= ${bound}`,
    });
    for (const cell of [...bounded.slice(1), ...less]) parent[find(cell)] = find(bounded[0]!);
  });
  const members = new Map<number, number[]>();
  system.published.forEach((_, i) => members.set(find(i), [...(members.get(find(i)) ?? []), i]));
  const constraintsOf = new Map<number, string[]>();
  for (const row of rows) constraintsOf.set(find(row.first), [...(constraintsOf.get(find(row.first)) ?? []), row.text]);
  return {
    /** The optimum of Σ targets and each target's value at it (cells linked by no sum: at their own bound). */
    optimum(
      sense: 'Minimize' | 'Maximize',
      targets: readonly number[],
      options: { integer?: boolean } = {},
    ): { value: number; at: Map<number, number> } {
      const at = new Map<number, number>();
      const roots = [...new Set(targets.map(find))];
      const alone = targets.filter((t) => !constraintsOf.has(find(t)));
      for (const t of alone) at.set(t, sense === 'Minimize' ? low(t) : high(t));
      const linked = roots.filter((root) => constraintsOf.has(root));
      if (linked.length > 0) {
        const variables = linked.flatMap((root) => members.get(root)!);
        const objective = targets
          .filter((t) => constraintsOf.has(find(t)))
          .map((t) => `+ ${name(t)}`)
          .join(' ');
        const integrality = options.integer ? ['Generals', ` ${variables.map(name).join(' ')}`] : [];
        const lp = [
          sense,
          ` obj: ${objective}`,
          'Subject To',
          ...linked.flatMap((root) => constraintsOf.get(root)!),
          'Bounds',
          ...variables.map((v) => ` ${low(v)} <= ${name(v)} <= ${high(v)}`),
          ...integrality,
          'End',
        ].join('\n');
        const solution = solver.solve(lp, { output_flag: false, time_limit: 60 });
        // The true values satisfy every constraint: the model is feasible and bounded (every variable is boxed).
        if (solution.Status !== 'Optimal') throw new Error(`HiGHS: ${solution.Status}`);
        for (const t of targets) if (constraintsOf.has(find(t))) at.set(t, solution.Columns[name(t)]!.Primal);
      }
      return { value: targets.reduce((sum, t) => sum + at.get(t)!, 0), at };
    },
  };
}

/**
 * exposedSmallCounts over a reader's whole system, for systems too large to solve twice per small
 * count: first, optima of the sum of the small counts not yet cleared (down, then up), each
 * clearing every small count whose value at that feasible point is 0 or below its truth − 1, or
 * at least the threshold and its truth + 1 — a point the reader cannot rule out, so its range
 * reaches outside 1..threshold − 1 and is at least 1 wide; then each count left, solved on its own.
 * Sound: a count is cleared only by a feasible point, and the others by their exact range.
 */
export async function exposedSmallCountsOf(
  system: NoisySums,
  small: readonly { cell: number; name: string; truth: number }[],
  threshold: number,
): Promise<{ exposed: string[]; cleared: number; solvedAlone: number }> {
  const model = await noisyModel(system);
  let pending = [...small];
  for (let round = 0; round < 6 && pending.length > 0; round += 1) {
    const before = pending.length;
    const down = model.optimum(
      'Minimize',
      pending.map((s) => s.cell),
    ).at;
    pending = pending.filter(
      (s) => !(down.get(s.cell)! < 1 - TOLERANCE && down.get(s.cell)! <= s.truth - 1 + TOLERANCE),
    );
    if (pending.length === 0) break;
    const up = model.optimum(
      'Maximize',
      pending.map((s) => s.cell),
    ).at;
    pending = pending.filter((s) => !(up.get(s.cell)! >= Math.max(threshold, s.truth + 1) - TOLERANCE));
    if (pending.length === before) break;
  }
  const alone = pending.map((s) => ({
    name: s.name,
    truth: s.truth,
    min: model.optimum('Minimize', [s.cell]).value,
    max: model.optimum('Maximize', [s.cell]).value,
  }));
  return {
    exposed: exposedSmallCounts(alone, threshold),
    cleared: small.length - pending.length,
    solvedAlone: pending.length,
  };
}

/** A true count of 1..threshold − 1 and what the reader's answers allow of it. */
export interface SmallCountRange {
  name: string;
  truth: number;
  min: number;
  max: number;
}

const TOLERANCE = 1e-6;

/**
 * The small counts a reader's answers give away under noise, each with why. A true count t in
 * 1..threshold − 1 is protected when the range [min, max] the reader can compute (noisyRanges):
 * - holds t (else the check's own constraints are wrong: reported, never passed over);
 * - is not one point: max − min ≥ 1, so t is never pinned; and
 * - is not confined to the small counts: min < 1 or max ≥ threshold. The reader cannot tell that
 *   the cell holds between 1 and threshold − 1 people — the one fact small-cell suppression exists
 *   to hide — because nobody (0), or a count the threshold rule would publish, stays possible.
 * A range may still be narrower than the threshold when it reaches 0 (a cell published as 0 is
 * [0, D] alone, and a margin with an unlucky noise can cut it): `narrowest` prints how often.
 */
export function exposedSmallCounts(ranges: readonly SmallCountRange[], threshold: number): string[] {
  const exposed: string[] = [];
  for (const { name, truth, min, max } of ranges) {
    const range = `[${+min.toFixed(3)}, ${+max.toFixed(3)}]`;
    if (min > truth + TOLERANCE || max < truth - TOLERANCE)
      exposed.push(`${name} = ${truth} outside its range ${range}: the check's constraints are wrong`);
    else if (max - min < 1 - TOLERANCE) exposed.push(`${name} = ${truth} pinned: ${range}`);
    else if (min >= 1 - TOLERANCE && max < threshold - TOLERANCE)
      exposed.push(`${name} = ${truth} confined to the small counts: ${range}`);
  }
  return exposed;
}

/** The narrowest range among small counts, and how many of them: printed beside the check. */
export function narrowest(ranges: readonly SmallCountRange[], threshold: number): string {
  if (ranges.length === 0) return 'no small count';
  const widths = ranges.map((r) => r.max - r.min).sort((a, b) => a - b);
  const narrow = ranges.filter((r) => r.max - r.min < threshold - TOLERANCE);
  const reachingZero = narrow.filter((r) => r.min < 1 - TOLERANCE).length;
  return `${ranges.length} true counts 1..${threshold - 1}; narrowest range ${+widths[0]!.toFixed(3)} wide, median ${+widths[Math.floor(widths.length / 2)]!.toFixed(3)}; ${narrow.length} narrower than ${threshold} (${reachingZero} of them reaching 0, ${narrow.length - reachingZero} reaching ${threshold})`;
}
