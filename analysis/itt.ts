/**
 * The trial's intention-to-treat estimates from a pseudonymised person-month extract (R19): every
 * randomised person counts in the arm they were allocated to, for the months 0..30 since their
 * randomisation that the extract holds, whatever happened to their pathway (DOMAIN.md: Fontenay &
 * Tojerow, 600 participants, 30 months of follow-up).
 *
 * Each measure is a difference in means between the arms, estimated as the slope of an ordinary
 * least-squares regression of the outcome on an IPS indicator, with a cluster-robust (CR1, the
 * "stata" small-sample factor) variance: the unit of randomisation is the person, so a person's
 * months are correlated and the person is the cluster of the primary interval. The IPS arm is
 * delivered by four partner teams; a partner-clustered interval is printed beside it as a
 * sensitivity analysis, with Student's t on G − 1 degrees of freedom because four clusters are too
 * few for the normal approximation (it is wide on purpose: with four teams that is what is known).
 *
 * The same computation is written in R (itt.R) and Python (itt.py) so an analyst can check this one
 * with the tool they trust; test/analysis.e2e.test.ts holds the three to the same figures.
 */

/** One row of the extract as read from its CSV: column name → cell (empty cell → null). */
export type ExtractRow = Readonly<Record<string, string | null>>;

export type Measure = 'WORKING_ON_BENEFIT' | 'BENEFIT_PER_MONTH' | 'COMPETITIVE_EMPLOYMENT_QUARTERLY';

export interface Interval {
  low: number;
  high: number;
}

export interface ArmEstimate {
  mean: number;
  /** Person-clustered 95 % interval of the arm's mean. */
  interval: Interval;
  people: number;
  observations: number;
}

export interface MeasureEstimate {
  measure: Measure;
  /** What one observation is: a person-month, or a person-quarter since randomisation. */
  unit: 'PERSON_MONTH' | 'PERSON_QUARTER';
  ips: ArmEstimate;
  control: ArmEstimate;
  /** IPS minus control. */
  difference: number;
  /** 95 % interval clustered by person (the primary analysis). */
  interval: Interval;
  standardError: number;
  /** 95 % interval clustered by IPS partner (sensitivity), absent when the extract has no partner column. */
  partnerInterval?: Interval;
  partners?: number;
}

export interface Analysis {
  people: number;
  personMonths: number;
  /** Months since randomisation the analysis covers, inclusive. */
  months: { from: number; to: number };
  measures: MeasureEstimate[];
}

/** The trial's follow-up: months 0..30 since randomisation. */
export const FOLLOW_UP_MONTHS = 30;

const TRUE = new Set(['true', 't', '1', 'TRUE']);

interface Observation {
  person: string;
  partner: string | null;
  ips: boolean;
  value: number;
}

/** The months since randomisation of a row: its own column, or from the month and the allocation month. */
function monthSince(row: ExtractRow): number | undefined {
  const given = row.month_since_randomisation;
  if (given !== null && given !== undefined && given !== '') return Number(given);
  const month = row.month;
  const allocated = row.allocation_month;
  if (!month || !allocated) return undefined;
  return (
    (Number(month.slice(0, 4)) - Number(allocated.slice(0, 4))) * 12 +
    Number(month.slice(5, 7)) -
    Number(allocated.slice(5, 7))
  );
}

/**
 * The columns an analysis needs; a missing one is named, so the researcher knows what to request.
 * Time since randomisation is `month_since_randomisation`, or else the calendar `month` with the
 * `allocation_month`: the first is better, since an extract whose calendar columns were coarsened for
 * disclosure (quarters, years) keeps it exact.
 */
export const REQUIRED_COLUMNS = ['arm', 'working_on_benefit', 'benefit_amount_cents', 'competitive_job'] as const;

export function missingColumns(columns: readonly string[]): string[] {
  const have = new Set(columns);
  const missing: string[] = REQUIRED_COLUMNS.filter((column) => !have.has(column));
  if (!have.has('month_since_randomisation') && !(have.has('month') && have.has('allocation_month')))
    missing.push('month_since_randomisation');
  return missing;
}

export function analyse(rows: readonly ExtractRow[]): Analysis {
  const inFollowUp = rows.filter((row) => {
    const since = monthSince(row);
    return (
      since !== undefined && since >= 0 && since <= FOLLOW_UP_MONTHS && (row.arm === 'IPS' || row.arm === 'CONTROL')
    );
  });
  const person = (row: ExtractRow) => row.pseudonym ?? '';
  const partner = (row: ExtractRow) => row.partner ?? null;
  const monthly = (value: (row: ExtractRow) => number): Observation[] =>
    inFollowUp.map((row) => ({
      person: person(row),
      partner: partner(row),
      ips: row.arm === 'IPS',
      value: value(row),
    }));

  // (c) per person and quarter since randomisation (months 0–2 are quarter 0, … month 30 is quarter 10):
  // employed when a competitive job was held in any of its months, the IPS standard measure.
  const quarters = new Map<string, Observation>();
  for (const row of inFollowUp) {
    const key = `${person(row)}\u0000${Math.floor(monthSince(row)! / 3)}`;
    const held = TRUE.has(row.competitive_job ?? '') ? 1 : 0;
    const seen = quarters.get(key);
    if (seen) seen.value = Math.max(seen.value, held);
    else quarters.set(key, { person: person(row), partner: partner(row), ips: row.arm === 'IPS', value: held });
  }
  const months = inFollowUp.map((row) => monthSince(row)!);
  return {
    people: new Set(inFollowUp.map(person)).size,
    personMonths: inFollowUp.length,
    months: { from: months.length ? Math.min(...months) : 0, to: months.length ? Math.max(...months) : 0 },
    measures: [
      estimate(
        'WORKING_ON_BENEFIT',
        'PERSON_MONTH',
        monthly((row) => (TRUE.has(row.working_on_benefit ?? '') ? 1 : 0)),
      ),
      // A month without the insurer's statement paid nothing that month: 0, as trialOutcomes counts it.
      estimate(
        'BENEFIT_PER_MONTH',
        'PERSON_MONTH',
        monthly((row) => Number(row.benefit_amount_cents || 0)),
      ),
      estimate('COMPETITIVE_EMPLOYMENT_QUARTERLY', 'PERSON_QUARTER', [...quarters.values()]),
    ],
  };
}

function estimate(
  measure: Measure,
  unit: MeasureEstimate['unit'],
  observations: readonly Observation[],
): MeasureEstimate {
  const ips = observations.filter((o) => o.ips);
  const control = observations.filter((o) => !o.ips);
  const byPerson = clusteredDifference(observations, (o) => o.person);
  const partners = new Set(observations.map((o) => o.partner));
  const hasPartners = !partners.has(null) && partners.size > 1;
  const byPartner = hasPartners ? clusteredDifference(observations, (o) => o.partner!) : undefined;
  return {
    measure,
    unit,
    ips: armEstimate(ips),
    control: armEstimate(control),
    difference: byPerson.slope,
    standardError: byPerson.standardError,
    interval: byPerson.interval,
    ...(byPartner ? { partnerInterval: byPartner.interval, partners: partners.size } : {}),
  };
}

/** An arm's mean with its person-clustered interval (the regression on a constant alone). */
function armEstimate(observations: readonly Observation[]): ArmEstimate {
  const n = observations.length;
  const mean = observations.reduce((sum, o) => sum + o.value, 0) / n;
  const sums = new Map<string, number>();
  for (const o of observations) sums.set(o.person, (sums.get(o.person) ?? 0) + (o.value - mean));
  const g = sums.size;
  let meat = 0;
  for (const s of sums.values()) meat += s * s;
  // CR1 for a regression on a constant alone: K = 1, so the factor is G/(G−1).
  const variance = (meat / (n * n)) * (g / (g - 1));
  const half = studentQuantile(0.975, g - 1) * Math.sqrt(variance);
  return { mean, interval: { low: mean - half, high: mean + half }, people: g, observations: n };
}

/**
 * OLS of value on [1, ips] with the CR1 sandwich: V = c · (X'X)⁻¹ (Σ_g X_g'u_g u_g'X_g) (X'X)⁻¹,
 * c = G/(G−1) · (N−1)/(N−K), K = 2; the interval uses t on G − 1 degrees of freedom.
 */
export function clusteredDifference(observations: readonly Observation[], cluster: (o: Observation) => string) {
  const n = observations.length;
  const n1 = observations.filter((o) => o.ips).length;
  const n0 = n - n1;
  const mean1 = observations.filter((o) => o.ips).reduce((s, o) => s + o.value, 0) / n1;
  const mean0 = observations.filter((o) => !o.ips).reduce((s, o) => s + o.value, 0) / n0;
  const slope = mean1 - mean0;
  // (X'X)⁻¹ for X = [1, d]: [[n, n1], [n1, n1]]⁻¹ = 1/(n·n1 − n1²) · [[n1, −n1], [−n1, n]].
  const det = n * n1 - n1 * n1;
  const inverse = [
    [n1 / det, -n1 / det],
    [-n1 / det, n / det],
  ] as const;
  const scores = new Map<string, [number, number]>();
  for (const o of observations) {
    const residual = o.value - (o.ips ? mean1 : mean0);
    const key = cluster(o);
    const score = scores.get(key) ?? [0, 0];
    score[0] += residual;
    if (o.ips) score[1] += residual;
    scores.set(key, score);
  }
  const meat = [
    [0, 0],
    [0, 0],
  ];
  for (const [a, b] of scores.values()) {
    meat[0]![0]! += a * a;
    meat[0]![1]! += a * b;
    meat[1]![0]! += b * a;
    meat[1]![1]! += b * b;
  }
  const g = scores.size;
  const factor = (g / (g - 1)) * ((n - 1) / (n - 2));
  // The slope's variance: row 1 of (X'X)⁻¹ · meat · column 1 of (X'X)⁻¹.
  const r = inverse[1];
  const variance =
    factor * (r[0] * (meat[0]![0]! * r[0] + meat[0]![1]! * r[1]) + r[1] * (meat[1]![0]! * r[0] + meat[1]![1]! * r[1]));
  const standardError = Math.sqrt(variance);
  const half = studentQuantile(0.975, g - 1) * standardError;
  return { slope, standardError, interval: { low: slope - half, high: slope + half }, clusters: g };
}

/** Student's t quantile (p > 0.5): the normal quantile refined by Newton's method on the t distribution function. */
export function studentQuantile(p: number, df: number): number {
  if (!(df > 0)) return Number.NaN;
  let t = normalQuantile(p);
  for (let i = 0; i < 50; i++) {
    const step = (studentCdf(t, df) - p) / studentDensity(t, df);
    t -= step;
    if (Math.abs(step) < 1e-12) break;
  }
  return t;
}

function studentDensity(t: number, df: number): number {
  return Math.exp(
    logGamma((df + 1) / 2) -
      logGamma(df / 2) -
      0.5 * Math.log(df * Math.PI) -
      ((df + 1) / 2) * Math.log(1 + (t * t) / df),
  );
}

/** P(T ≤ t) through the regularised incomplete beta function. */
function studentCdf(t: number, df: number): number {
  const x = df / (df + t * t);
  const tail = 0.5 * incompleteBeta(x, df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

function normalQuantile(p: number): number {
  // Acklam's rational approximation, |error| < 1.2e-9; the Newton steps above then polish t.
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239,
  ];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1)
    );
  }
  if (p > 1 - low) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  );
}

function logGamma(x: number): number {
  // Lanczos (g = 7, n = 9).
  const coefficients = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let sum = coefficients[0]!;
  for (let i = 1; i < 9; i++) sum += coefficients[i]! / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** The regularised incomplete beta I_x(a, b), by its continued fraction (Numerical Recipes' betacf). */
function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  if (x > (a + 1) / (a + b + 2)) return 1 - incompleteBeta(1 - x, b, a);
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  d = 1 / (Math.abs(d) < 1e-300 ? 1e-300 : d);
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    d = 1 / (Math.abs(d) < 1e-300 ? 1e-300 : d);
    c = 1 + aa / c;
    c = Math.abs(c) < 1e-300 ? 1e-300 : c;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    d = 1 / (Math.abs(d) < 1e-300 ? 1e-300 : d);
    c = 1 + aa / c;
    c = Math.abs(c) < 1e-300 ? 1e-300 : c;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return (front * h) / a;
}
