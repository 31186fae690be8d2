/**
 * Optimal complementary suppression (R19; DISCLOSURE_CONTROL in schema/policy.ts): the fewest
 * cells, or the least total weight (the sum of the counts withheld), whose suppression together
 * with the primary cells (0 < n < threshold) leaves no primary cell determined by the published
 * cells, margins and totals. The statistical offices' "optimal" method (τ-ARGUS's Optimal, R
 * sdcTable's OPT, after Fischetti and Salazar), solved as a mixed-integer program with HiGHS.
 *
 * Protection level: a primary cell is protected when the published counts do not fix it to one
 * value, i.e. its feasible interval over non-negative tables that satisfy the published cells and
 * every equation is not a single point — the same guarantee as the greedy method of
 * kit/disclosure.ts, so the two compare like with like. Zeros stay published and are never taken
 * as complements (DISCLOSURE_CONTROL.zeros), so every suppressed cell is ≥ 1 and "not a single
 * point" is decided exactly by linear algebra (a null-space direction of the suppressed cells'
 * columns moves the cell and can be followed a little both ways): `determinedCells`.
 *
 * Method: constraint generation (a simpler, exact relative of Fischetti–Salazar's Benders cuts).
 * Binary y_i per non-zero cell that is not primary (primary cells are suppressed, y = 1).
 *  1. Start with the cover constraints: every equation holding a primary cell needs another
 *     suppressed cell (else that equation alone solves it).
 *  2. Solve the MILP min Σ w_i y_i; take its pattern S.
 *  3. For every primary cell p still determined by S: take a smallest set E of equations that
 *     still determines p under S, and N the published non-zero cells of E. Every protecting pattern
 *     suppresses a cell of N (if it suppressed none, E would hold only cells suppressed in S and
 *     published ones, and E fixes p: a null-space direction of the larger pattern, restricted to
 *     E's cells, is one of S's), so Σ_{i∈N} y_i ≥ 1 is a valid cut.
 *  4. Repeat from 2 until no primary cell is determined.
 * Every cut is valid, so the first pattern that protects every primary cell is optimal (up to the
 * MILP's gap, 0 here). The table splits into independent systems (cells linked by equations:
 * e.g. each quarter of a table without a total over quarters), each solved on its own.
 *
 * A time cap bounds each system: a system whose cap is reached is completed by the greedy method
 * from the pattern reached so far, then (within the cap again) every complement no primary cell needs is published again
 * (a safe pattern, not a proven optimum); the result says so, with the last MILP's optimum as a
 * lower bound on what any protecting pattern costs.
 *
 * The solver is passed in (HiGHS's `solve`), so the kit takes no runtime dependency on it while
 * the method is only measured (bench/disclosure-methods.ts).
 */
import {
  determinedCells,
  suppressSums,
  suppressTable,
  tableStructure,
  type Dimension,
  type DisclosureRule,
  type SuppressedTable,
  type Suppression,
  type SumSystem,
  type Cell,
} from './disclosure.js';

/** The part of HiGHS's one-shot API this uses: an LP-format model in, a solution out. */
export interface MilpSolver {
  solve(
    problem: string,
    options?: Readonly<Record<string, string | number | boolean>>,
  ): { Status: string; ObjectiveValue: number; Columns: Record<string, { Primal?: number }> };
}

export type SuppressionObjective = 'cells' | 'weight';

export interface OptimalOptions {
  readonly solver: MilpSolver;
  /** `cells`: fewest cells withheld; `weight`: least total count withheld (each cell costs its count). */
  readonly objective: SuppressionObjective;
  /** For each independent system (default 10 s): past it, the system is completed greedily from the pattern reached. */
  readonly timeLimitMs?: number;
}

export interface OptimalStatistics {
  /** MILPs solved (rounds summed over the independent systems). */
  readonly milps: number;
  /** Cuts added beyond the cover constraints. */
  readonly cuts: number;
  /** Independent systems holding a primary cell. */
  readonly systems: number;
  /** Systems whose cap was reached and that the greedy method completed (0: every system is a proven optimum). */
  readonly capped: number;
  /** The complements' cost (cells or weight, by the objective). */
  readonly cost: number;
  /** A lower bound on any protecting pattern's cost (the last MILP's optimum of each capped system): equals `cost` when nothing was capped. */
  readonly lowerBound: number;
}

/** The complementary suppression that withholds the least, for any system of sums (see the module's comment). */
export function suppressSumsOptimally(
  system: SumSystem,
  rule: DisclosureRule,
  options: OptimalOptions,
): { state: Suppression[]; statistics: OptimalStatistics } {
  if (system.initial || system.locked)
    throw new Error('optimal suppression: states decided elsewhere are not supported');
  const { values, equations } = system;
  const state: Suppression[] = values.map((value) => (value > 0 && value < rule.threshold ? 'PRIMARY' : false));
  const equationsOf: number[][] = values.map(() => []);
  equations.forEach((equation, e) => equation.forEach((cell) => equationsOf[cell]!.push(e)));
  const coefficient = (e: number, cell: number) => (equations[e]![0] === cell ? 1 : -1);
  const weight = (cell: number) => (options.objective === 'cells' ? 1 : values[cell]!);
  const costOf = (cells: Iterable<number>) =>
    [...cells].reduce((sum, cell) => sum + (state[cell] === 'COMPLEMENTARY' ? weight(cell) : 0), 0);

  // Independent systems: cells joined by every equation.
  const parent = values.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  for (const equation of equations) for (const cell of equation.slice(1)) parent[find(cell)] = find(equation[0]!);
  const systemsOf = new Map<number, number[]>();
  values.forEach((_, i) => {
    const root = find(i);
    if (!systemsOf.has(root)) systemsOf.set(root, []);
    systemsOf.get(root)!.push(i);
  });

  let milps = 0;
  let cutCount = 0;
  let systems = 0;
  let capped = 0;
  let cost = 0;
  let lowerBound = 0;
  for (const cells of systemsOf.values()) {
    const primaries = cells.filter((cell) => state[cell] === 'PRIMARY');
    if (primaries.length === 0) continue;
    systems += 1;
    const deadline = performance.now() + (options.timeLimitMs ?? 10_000);
    const candidates = cells.filter((cell) => values[cell]! > 0 && state[cell] !== 'PRIMARY');
    const touching = [...new Set(cells.flatMap((cell) => equationsOf[cell]!))];
    const exposedPrimaries = () =>
      determinedCells(
        equations,
        coefficient,
        cells.filter((cell) => state[cell]),
        touching,
      ).filter((cell) => state[cell] === 'PRIMARY');
    const constraints = new Map<string, number[]>();
    const addConstraint = (members: number[]) => {
      const sorted = [...new Set(members)].sort((a, b) => a - b);
      if (sorted.length === 0)
        throw new Error(`optimal suppression: ${system.name?.(primaries[0]!) ?? primaries[0]} cannot be protected`);
      const key = sorted.join(',');
      if (constraints.has(key)) return false;
      constraints.set(key, sorted);
      return true;
    };
    for (const p of primaries) {
      for (const e of equationsOf[p]!) {
        const others = equations[e]!.filter((cell) => cell !== p);
        if (others.some((cell) => state[cell] === 'PRIMARY')) continue; // already covered
        addConstraint(others.filter((cell) => values[cell]! > 0));
      }
    }
    let finished = false;
    let bound = 0;
    for (;;) {
      const remaining = deadline - performance.now();
      if (remaining <= 0) break;
      const chosen = solveCover(options.solver, candidates, weight, [...constraints.values()], remaining);
      milps += 1;
      if (chosen === null) break;
      if (chosen.optimal) bound = chosen.cost;
      for (const cell of candidates) state[cell] = chosen.has(cell) ? 'COMPLEMENTARY' : false;
      const exposed = exposedPrimaries();
      if (exposed.length === 0) {
        finished = chosen.optimal;
        break;
      }
      // Two smallest determining sets per exposed cell (dropping the busiest equations first, then
      // the quietest): more valid cuts per round, fewer rounds.
      for (const p of exposed) {
        if (performance.now() > deadline) break;
        for (const order of ['busiest', 'quietest'] as const) if (addConstraint(cutFor(p, order))) cutCount += 1;
      }
    }
    if (finished) {
      cost += costOf(cells);
      lowerBound += costOf(cells);
    } else {
      capped += 1;
      completeGreedily(cells);
      pruneComplements(cells, exposedPrimaries);
      cost += costOf(cells);
      lowerBound += bound;
    }
  }

  /**
   * The cut for a determined primary cell `p`: the published non-zero cells of a small set of
   * equations that still determines it. The set grows from p's own equations, ring by ring through
   * suppressed cells, until it determines p (a cell is usually fixed by equations near it), then
   * drops equations one at a time while p stays determined, in the given order of how many
   * published cells they hold. Any protecting pattern suppresses one of those cells: if it
   * suppressed none, the set's equations would hold only cells suppressed now (or published), and
   * they fix p whatever else is suppressed. The fewer the equations, the fewer cells the cut
   * offers, and the fewer rounds the MILP needs.
   */
  function cutFor(p: number, order: 'busiest' | 'quietest'): number[] {
    const suppressedIn = (set: Iterable<number>) =>
      [...new Set([...set].flatMap((e) => equations[e]!.filter((cell) => state[cell])))].sort((a, b) => a - b);
    const determines = (set: readonly number[]) =>
      determinedCells(equations, coefficient, suppressedIn(set), set).includes(p);
    const kept = new Set(equationsOf[p]);
    while (!determines([...kept])) {
      const before = kept.size;
      for (const cell of suppressedIn(kept)) for (const e of equationsOf[cell]!) kept.add(e);
      if (kept.size === before) break; // the whole linked system: it determines p
    }
    const publishedOf = (e: number) => equations[e]!.filter((cell) => !state[cell] && values[cell]! > 0);
    const sign = order === 'busiest' ? -1 : 1;
    let set = [...kept].sort((a, b) => sign * (publishedOf(a).length - publishedOf(b).length) || a - b);
    for (const e of [...set]) {
      const without = set.filter((other) => other !== e);
      if (determines(without)) set = without;
    }
    return [...new Set(set.flatMap(publishedOf))];
  }

  /** A system past the cap: the greedy method of kit/disclosure.ts from the pattern reached (on this system alone), so the result is always safe. */
  function completeGreedily(cells: readonly number[]): void {
    const local = new Map(cells.map((cell, i) => [cell, i]));
    const localEquations = equations
      .filter((equation) => local.has(equation[0]!))
      .map((equation) => equation.map((cell) => local.get(cell)!));
    const completed = suppressSums(
      {
        values: cells.map((cell) => values[cell]!),
        margin: cells.map((cell) => system.margin[cell]!),
        equations: localEquations,
        initial: cells.map((cell) => state[cell]!),
      },
      rule,
    );
    cells.forEach((cell, i) => (state[cell] = completed[i]!));
  }

  /**
   * Publishes each complement (the costliest first) whose publication leaves every primary cell
   * protected: what greedy completion took and no primary cell needs. Within a second cap, since
   * each try eliminates the system again.
   */
  function pruneComplements(cells: readonly number[], exposed: () => number[]): void {
    const complements = cells
      .filter((cell) => state[cell] === 'COMPLEMENTARY')
      .sort((a, b) => weight(b) - weight(a) || a - b);
    const deadline = performance.now() + (options.timeLimitMs ?? 10_000);
    for (const cell of complements) {
      if (performance.now() > deadline) return;
      state[cell] = false;
      if (exposed().length > 0) state[cell] = 'COMPLEMENTARY';
    }
  }

  return { state, statistics: { milps, cuts: cutCount, systems, capped, cost, lowerBound } };
}

/**
 * The MILP min Σ w_i y_i subject to Σ_{i∈c} y_i ≥ 1 for each constraint c, y binary: the cells
 * chosen (null when the solver found no solution in time), and whether the solver proved the optimum.
 */
function solveCover(
  solver: MilpSolver,
  candidates: readonly number[],
  weight: (cell: number) => number,
  constraints: readonly (readonly number[])[],
  remainingMs: number,
): (Set<number> & { optimal: boolean; cost: number }) | null {
  const variable = (cell: number) => `y${cell}`;
  const used = new Set(constraints.flat());
  const free = candidates.filter((cell) => used.has(cell)); // a cell in no constraint is never worth suppressing
  const chosen = Object.assign(new Set<number>(), { optimal: true, cost: 0 });
  if (constraints.length === 0) return chosen;
  // Long rows are wrapped: the LP format reads a constraint over several lines.
  const sum = (terms: string[]) =>
    terms.reduce((text, term, i) => text + (i > 0 && i % 16 === 0 ? '\n   ' : ' ') + term, '');
  const lp = [
    'Minimize',
    ` obj:${sum(free.map((cell, i) => `${i > 0 ? '+ ' : ''}${weight(cell)} ${variable(cell)}`))}`,
    'Subject To',
    ...constraints.map(
      (members, c) => ` c${c}:${sum(members.map((cell, i) => `${i > 0 ? '+ ' : ''}${variable(cell)}`))} >= 1`,
    ),
    'Binary',
    sum(free.map(variable)),
    'End',
  ].join('\n');
  const solution = solver.solve(lp, {
    output_flag: false,
    time_limit: Math.max(remainingMs / 1000, 0.01),
    mip_rel_gap: 0,
  });
  if (solution.Status !== 'Optimal') {
    if (solution.Status !== 'Time limit reached')
      throw new Error(`optimal suppression: HiGHS answered ${solution.Status}`);
    chosen.optimal = false;
    if (free.some((cell) => solution.Columns[variable(cell)]?.Primal === undefined)) return null; // no incumbent yet
  }
  for (const cell of free) if ((solution.Columns[variable(cell)]?.Primal ?? 0) > 0.5) chosen.add(cell);
  chosen.cost = [...chosen].reduce((total, cell) => total + weight(cell), 0);
  return chosen;
}

/** A table suppressed optimally: the same cells, equations and margins as kit/disclosure.ts's `suppressTable`. */
export function suppressTableOptimally(
  dimensions: readonly Dimension[],
  count: (key: readonly string[]) => number,
  rule: DisclosureRule,
  options: OptimalOptions,
): { table: SuppressedTable; statistics: OptimalStatistics } {
  // The exact table (threshold 0) gives every cell's true count, margins summed, in the structure's order.
  const exact = suppressTable(dimensions, count, { threshold: 0 });
  const structure = tableStructure(dimensions);
  const { state, statistics } = suppressSumsOptimally(
    {
      values: exact.trueCounts,
      margin: structure.margin,
      equations: structure.equations,
      name: (cell) => structure.keys[cell]!.join('/'),
    },
    rule,
    options,
  );
  const cells: Cell[] = structure.keys.map((key, i) => ({
    key,
    count: state[i] ? null : exact.trueCounts[i]!,
    suppressed: state[i]!,
    margin: structure.margin[i]!,
  }));
  return {
    table: {
      dimensions,
      cells,
      trueCounts: exact.trueCounts,
      equations: structure.equations,
      cell: (key) => {
        const i = structure.index.get(key.join('\u0000'));
        return i === undefined ? undefined : cells[i];
      },
    },
    statistics,
  };
}
