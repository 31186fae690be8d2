/**
 * The cell key method (R19; DISCLOSURE_CONTROL in schema/policy.ts, method CELL_KEY): every cell
 * of a published table is published, with a small noise that is the same every time the same
 * people are counted.
 *
 * - Each person has a record key, uniform in [0, 1): an integer of RECORD_KEY_BITS bits drawn from
 *   a keyed hash of the person's id under a per-database secret (computed in SQL, never leaving
 *   the database), read as a fraction of 2^RECORD_KEY_BITS.
 * - A cell's key is the fractional part of the sum of its contributors' record keys. Sums are kept
 *   as exact integers, so the key of a cell depends on the set of people in it only: a margin's key
 *   is its parts' sums added, and the same people asked for in another table or another query get
 *   the same key.
 * - The perturbation table (ptable) maps a true count i and a cell key to a noise v: for each i, a
 *   distribution over v ∈ [−D, D] cut into consecutive intervals of [0, 1); the cell key picks one.
 *   So the same count with the same people always gets the same noise (consistency): asking again,
 *   or asking another table for the same people, returns the same published count, and averaging
 *   repeated answers learns nothing.
 *
 * Each row of the ptable is unbiased (E[v] = 0), has the variance V wherever its support allows
 * it, never publishes a negative count, never publishes a count in 1..js (a count 1..js is
 * published as 0 or as at least js + 1) and leaves a true 0 at 0 (an empty cell reveals no one).
 * Within those constraints each row is the distribution of maximum entropy (the least committed to
 * any single noise): p(v) ∝ exp(a·v + b·v²), whose a and b are found by nested bisection, so the
 * table is a pure function of its parameters. Counts from D + js + 1 on share one symmetric row.
 */

/** Record keys are integers below 2^RECORD_KEY_BITS; a cell key is their sum modulo that, as a fraction. */
export const RECORD_KEY_BITS = 32;
export const RECORD_KEY_MODULUS = 2 ** RECORD_KEY_BITS;

/** The method's parameters (DISCLOSURE_CONTROL.cellKey). */
export interface CellKeyParams {
  /** D: no published count differs from the true one by more than this. */
  readonly maxNoise: number;
  /** V: the noise's variance wherever the row's support allows it (counts from D + js + 1 on). */
  readonly variance: number;
  /** js: a count 1..js is never published as itself nor as any other count 1..js. */
  readonly smallCounts: number;
}

export interface PtableEntry {
  /** The noise v added to the true count. */
  readonly noise: number;
  readonly probability: number;
  /** The interval of cell keys [lower, upper) that draws this noise. */
  readonly lower: number;
  readonly upper: number;
}

export interface PtableRow {
  /** The true count this row applies to (the last row: this count and every larger one). */
  readonly count: number;
  readonly entries: readonly PtableEntry[];
  readonly mean: number;
  readonly variance: number;
}

export interface Ptable {
  readonly params: CellKeyParams;
  /** Rows for counts 0, 1, …, D + js + 1; the last applies to every larger count. */
  readonly rows: readonly PtableRow[];
}

/** The published count of a cell and the noise it carries. */
export interface Perturbed {
  readonly published: number;
  readonly noise: number;
}

function checkParams(params: CellKeyParams): void {
  const { maxNoise: d, variance: v, smallCounts: js } = params;
  if (!Number.isInteger(d) || d < 1) throw new Error('cell key: the maximum noise D must be a positive integer');
  if (!Number.isInteger(js) || js < 0) throw new Error('cell key: js must be a non-negative integer');
  // A count of 1 must be able to reach js + 1 (its only way up) without exceeding D.
  if (d < js)
    throw new Error(
      `cell key: the maximum noise D (${d}) must be at least js (${js}), or a count of 1 has nowhere to go but 0`,
    );
  if (!(v > 0) || v > d * d) throw new Error(`cell key: the variance must be in (0, D²] (${d * d})`);
}

/** The published counts a true count i may become: within ±D, never negative, never 1..js (i > 0). */
function support(i: number, params: CellKeyParams): number[] {
  if (i === 0) return [0];
  const targets: number[] = [];
  for (let j = Math.max(0, i - params.maxNoise); j <= i + params.maxNoise; j += 1)
    if (j === 0 || j > params.smallCounts) targets.push(j);
  return targets;
}

/** p(v) ∝ exp(a·v + b·v²) over the noises `v`, normalised without overflow. */
function gibbs(v: readonly number[], a: number, b: number): number[] {
  const exponents = v.map((x) => a * x + b * x * x);
  const top = Math.max(...exponents);
  const weights = exponents.map((e) => Math.exp(e - top));
  const total = weights.reduce((s, w) => s + w, 0);
  return weights.map((w) => w / total);
}

const moment = (v: readonly number[], p: readonly number[], k: number) => v.reduce((s, x, n) => s + p[n]! * x ** k, 0);

/** The a that makes the mean 0 for a given b (the mean grows with a: its derivative is the variance). */
function centred(v: readonly number[], b: number): number[] {
  let [lo, hi] = [-200, 200];
  for (let step = 0; step < 200; step += 1) {
    const a = (lo + hi) / 2;
    if (moment(v, gibbs(v, a, b), 1) < 0) lo = a;
    else hi = a;
  }
  return gibbs(v, (lo + hi) / 2, b);
}

/**
 * The unbiased distribution over the noises `v` (which hold values of both signs, or only 0) with
 * variance `target`, of maximum entropy; when the support cannot reach the target, the closest it
 * can (the two noises either side of 0 nearest to it, or farthest from it), exactly unbiased.
 */
function unbiased(v: readonly number[], target: number): number[] {
  if (v.length === 1) return [1];
  const below = v.filter((x) => x < 0);
  const above = v.filter((x) => x > 0);
  // Noise of one sign only (a count just above js when D ≤ js: it can neither go down nor stay small): unbiased only unmoved.
  if (below.length === 0 || above.length === 0) return v.map((x) => (x === 0 ? 1 : 0));
  const twoPoint = (down: number, up: number) =>
    v.map((x) => (x === down ? up / (up - down) : x === up ? -down / (up - down) : 0));
  const nearest = twoPoint(Math.max(...below), Math.min(...above));
  const farthest = twoPoint(Math.min(...below), Math.max(...above));
  // A row that may keep the count (0 in its support) reaches any variance down to 0; one that may
  // not (a count 1..js) has at least the variance of its two noises nearest 0.
  if (!v.includes(0) && moment(v, nearest, 2) >= target) return nearest;
  if (moment(v, farthest, 2) <= target) return farthest;
  // Along the curve of mean 0, the variance grows with b (its derivative is Var(v²) − Cov(v, v²)²/Var(v) ≥ 0).
  let [lo, hi] = [-200, 200];
  for (let step = 0; step < 200; step += 1) {
    const b = (lo + hi) / 2;
    if (moment(v, centred(v, b), 2) < target) lo = b;
    else hi = b;
  }
  const p = centred(v, (lo + hi) / 2);
  // Bisection leaves the mean at ~1e-15 of 0; the last step moves the residue onto the two
  // outermost noises so that E[v] = 0 holds to rounding, as the unit test asserts.
  const mean = moment(v, p, 1);
  const [first, last] = [0, v.length - 1];
  const shift = mean / (v[last]! - v[first]!);
  p[first] = p[first]! + shift;
  p[last] = p[last]! - shift;
  return p;
}

const BUILT = new Map<string, Ptable>();

/** The ptable of these parameters: a pure function of them, so every replica and every run uses the same one (built once per process). */
export function buildPtable(params: CellKeyParams): Ptable {
  checkParams(params);
  const id = `${params.maxNoise}/${params.variance}/${params.smallCounts}`;
  const built = BUILT.get(id);
  if (built) return built;
  const table = computePtable(params);
  BUILT.set(id, table);
  return table;
}

function computePtable(params: CellKeyParams): Ptable {
  const rows: PtableRow[] = [];
  const last = params.maxNoise + params.smallCounts + 1;
  for (let i = 0; i <= last; i += 1) {
    const noises = support(i, params).map((j) => j - i);
    const p = unbiased(noises, params.variance);
    let cumulative = 0;
    const entries: PtableEntry[] = [];
    noises.forEach((noise, n) => {
      if (p[n]! <= 0) return;
      const lower = cumulative;
      cumulative += p[n]!;
      entries.push({ noise, probability: p[n]!, lower, upper: cumulative });
    });
    // the last interval ends at 1 exactly, so every key in [0, 1) draws a noise
    entries[entries.length - 1] = { ...entries[entries.length - 1]!, upper: 1 };
    rows.push({ count: i, entries, mean: moment(noises, p, 1), variance: moment(noises, p, 2) });
  }
  return { params, rows };
}

/**
 * A cell's key from the sum of its contributors' integer record keys (an exact integer, as SQL's
 * `sum` returns it): the sum modulo 2^32, as a fraction. A box counted as a difference of two sets
 * (referred − registered) has the difference of their sums, taken modulo 2^32 the same way.
 */
export function cellKeyOf(recordKeySum: bigint | number | string): number {
  const modulus = BigInt(RECORD_KEY_MODULUS);
  const sum = BigInt(recordKeySum);
  return Number(((sum % modulus) + modulus) % modulus) / RECORD_KEY_MODULUS;
}

/** A margin's record-key sum: its parts' sums added (each person is in exactly one part). */
export function addKeySums(sums: Iterable<bigint>): bigint {
  let total = 0n;
  for (const sum of sums) total += sum;
  return total;
}

/** The noise the ptable (or the ptable of these parameters) gives a true count under a cell key, and the count published. */
export function perturb(count: number, cellKey: number, table: Ptable | CellKeyParams): Perturbed {
  const ptable = 'rows' in table ? table : buildPtable(table);
  if (!Number.isInteger(count) || count < 0) throw new Error('cell key: a count must be a non-negative integer');
  if (!(cellKey >= 0 && cellKey < 1)) throw new Error('cell key: a cell key is in [0, 1)');
  const row = ptable.rows[Math.min(count, ptable.rows.length - 1)]!;
  const entry = row.entries.find((e) => cellKey < e.upper) ?? row.entries[row.entries.length - 1]!;
  return { published: count + entry.noise, noise: entry.noise };
}
