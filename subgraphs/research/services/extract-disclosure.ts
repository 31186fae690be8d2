/**
 * The re-identification check of one extract (R19; schema/policy.ts EXTRACT_DISCLOSURE): the
 * people of the extract grouped by the quasi-identifiers it holds, the smallest group's size (k);
 * while k is below the policy's threshold, the next coarsening step is applied and k computed
 * again. Pure: the people's quasi-identifiers come in (one row each, at their finest), the plan
 * goes out, and `coarsenRow` applies it to every row of every file of the extract as it streams,
 * so what k was computed on is exactly what is sent.
 *
 * Calendar time: the month of randomisation is known from any calendar column of the extract (the
 * trial's schedule runs from it: wave 0 is due in it, month 0 is it), so an extract holding any
 * calendar column holds the allocation month as a quasi-identifier, and coarsening calendar time
 * coarsens every calendar column together; withholding it empties every calendar column (time since
 * randomisation, `month_since_randomisation`, stays: the trial's analysis needs no calendar). Every
 * quasi-identifier has a last step that withholds it, so an extract of at least k people is always
 * served, coarsened as far as needed; one of fewer than k is not.
 */
import { EXTRACT_DISCLOSURE } from '../../../schema/policy.js';
import { ageBandValues } from './codebook-covariates.js';

export type Coarsening = (typeof EXTRACT_DISCLOSURE.steps)[number]['to'];
export type DisclosurePolicy = {
  k: number;
  quasiIdentifiers: readonly string[];
  steps: readonly { variable: string; to: Coarsening }[];
  localSuppression?: { maxShare: number };
};
/** What is withheld of one person only: their calendar columns, or every quasi-identifier and calendar column. */
export type LocalSuppression = 'CALENDAR' | 'ALL';
type Value = string | number | boolean | null | undefined;

/** Every column holding a calendar month (YYYY-MM). */
export const CALENDAR_MONTH_VARIABLES: ReadonlySet<string> = new Set([
  'month',
  'allocation_month',
  'pathway_end_month',
  'first_job_month',
  'first_competitive_job_month',
  'wave_due_month',
  'wave_completed_month',
]);
const ALLOCATION_MONTH = 'allocation_month';

/**
 * Whether coarsening calendar time (to quarters or years) coarsens the allocation month an analyst can
 * derive. It does not in a month-by-month extract (`month`): a person's rows run from the month of
 * randomisation (month 0), so the number of their rows in their first quarter (or year) — or any row's
 * `month_since_randomisation` beside its period — gives the month of randomisation back exactly. Such
 * an extract can only withhold its calendar, so its plan skips the coarser calendar levels (they would
 * lose information and protect nothing).
 */
export function calendarCoarseningProtects(held: ReadonlySet<string>): boolean {
  return !held.has('month');
}

export interface DisclosurePlan {
  threshold: number;
  /** The quasi-identifiers the extract holds, as checked. */
  quasiIdentifiers: string[];
  /** The coarsening of each variable coarsened (a calendar level applies to every calendar column). */
  levels: Record<string, Coarsening>;
  /** The steps applied, in order. */
  applied: { variable: string; to: Coarsening }[];
  /** People whose quasi-identifiers are withheld in their own rows only (by pseudonym), and what of them. */
  suppressed: ReadonlyMap<string, LocalSuppression>;
  /** The smallest group's size after the steps; null when the extract holds no one. */
  kReached: number | null;
  /** k ≥ threshold (or no one): the extract may be served. */
  satisfied: boolean;
  persons: number;
}

/** The quasi-identifiers an extract of these variables holds. */
export function quasiIdentifiersOf(
  variables: Iterable<string>,
  policy: DisclosurePolicy = EXTRACT_DISCLOSURE,
): string[] {
  const held = new Set(variables);
  const calendar = [...held].some((name) => CALENDAR_MONTH_VARIABLES.has(name));
  return policy.quasiIdentifiers.filter((name) => held.has(name) || (name === ALLOCATION_MONTH && calendar));
}

const quarterOf = (month: string) => `${month.slice(0, 4)}-Q${Math.floor((Number(month.slice(5, 7)) - 1) / 3) + 1}`;

/** A 5-year age band's lower edge ('<25' is below 25, '60+' is 60). */
const ageLow = (band: string) => (band.startsWith('<') ? 0 : Number.parseInt(band, 10));
const AGE_WIDER: Record<'TEN_YEARS' | 'TWENTY_YEARS', (low: number) => string> = {
  TEN_YEARS: (low) => (low < 30 ? '<30' : low >= 60 ? '60+' : `${low - (low % 10)}-${low - (low % 10) + 9}`),
  TWENTY_YEARS: (low) => (low < 40 ? '<40' : low >= 60 ? '60+' : '40-59'),
};
/** The bands of each width, for the codebook's value labels. */
export const AGE_BANDS: Record<'TEN_YEARS' | 'TWENTY_YEARS', readonly string[]> = {
  TEN_YEARS: ['<30', '30-39', '40-49', '50-59', '60+'],
  TWENTY_YEARS: ['<40', '40-59', '60+'],
};

/** One cell, coarsened as the plan says. */
export function coarsenValue(variable: string, value: Value, levels: Readonly<Record<string, Coarsening>>): Value {
  if (value === null || value === undefined) return value;
  if (CALENDAR_MONTH_VARIABLES.has(variable)) {
    const level = levels[ALLOCATION_MONTH];
    if (level === 'WITHHELD') return null;
    if (level === 'YEAR') return String(value).slice(0, 4);
    if (level === 'QUARTER') return quarterOf(String(value));
    return value;
  }
  const level = levels[variable];
  if (level === undefined) return value;
  if (level === 'WITHHELD') return null;
  if (variable === 'age_band' && (level === 'TEN_YEARS' || level === 'TWENTY_YEARS'))
    return AGE_WIDER[level](ageLow(String(value)));
  return value;
}

export function coarsenRow<T extends Record<string, unknown>>(
  row: T,
  plan: Pick<DisclosurePlan, 'levels' | 'suppressed' | 'quasiIdentifiers'>,
): T {
  const local = plan.suppressed.get(String(row.pseudonym));
  if (Object.keys(plan.levels).length === 0 && !local) return row;
  const out: Record<string, unknown> = { ...row };
  for (const name of Object.keys(out)) {
    const withheld =
      local && (CALENDAR_MONTH_VARIABLES.has(name) || (local === 'ALL' && plan.quasiIdentifiers.includes(name)));
    out[name] = withheld ? null : coarsenValue(name, out[name] as Value, plan.levels);
  }
  return out as T;
}

/** The size of the smallest group of people sharing every quasi-identifier's (coarsened) value. */
export function smallestGroup(
  people: readonly Record<string, Value>[],
  quasiIdentifiers: readonly string[],
  levels: Readonly<Record<string, Coarsening>>,
): number | null {
  const groups = new Map<string, number>();
  for (const person of people) {
    const key = JSON.stringify(quasiIdentifiers.map((name) => coarsenValue(name, person[name], levels) ?? null));
    groups.set(key, (groups.get(key) ?? 0) + 1);
  }
  return groups.size === 0 ? null : Math.min(...groups.values());
}

/**
 * Local suppression (as sdcMicro's localSuppression): when the people left in groups under k are
 * few (at most the policy's share of the extract), their own quasi-identifiers are withheld rather
 * than everyone's coarsened further — the calendar columns when that alone hides them, every
 * quasi-identifier otherwise. A withheld value matches any value, as in sdcMicro: a person whose
 * calendar is withheld stands among everyone sharing their other quasi-identifiers, and every group
 * counts the withheld people who could belong to it. Returns the suppressions and the k they reach,
 * or nothing when too many people would need them.
 */
function suppressLocally(
  people: readonly Record<string, Value>[],
  quasiIdentifiers: readonly string[],
  levels: Readonly<Record<string, Coarsening>>,
  policy: DisclosurePolicy,
) {
  const maxShare = policy.localSuppression?.maxShare ?? 0;
  const value = (person: Record<string, Value>, name: string) =>
    JSON.stringify(coarsenValue(name, person[name], levels) ?? null);
  const keyOf = (person: Record<string, Value>, names: readonly string[]) =>
    names.map((name) => value(person, name)).join('|');
  const counts = new Map<string, number>();
  for (const person of people)
    counts.set(keyOf(person, quasiIdentifiers), (counts.get(keyOf(person, quasiIdentifiers)) ?? 0) + 1);
  const small = people.filter((person) => counts.get(keyOf(person, quasiIdentifiers))! < policy.k);
  if (small.length === 0 || small.length > maxShare * people.length) return undefined;
  const nonCalendar = quasiIdentifiers.filter((name) => !CALENDAR_MONTH_VARIABLES.has(name));
  const byOthers = new Map<string, number>();
  for (const person of people)
    byOthers.set(keyOf(person, nonCalendar), (byOthers.get(keyOf(person, nonCalendar)) ?? 0) + 1);
  const suppressed = new Map<string, LocalSuppression>();
  for (const person of small) {
    const calendarAlone =
      nonCalendar.length < quasiIdentifiers.length && byOthers.get(keyOf(person, nonCalendar))! >= policy.k;
    suppressed.set(String(person.pseudonym), calendarAlone ? 'CALENDAR' : 'ALL');
  }
  // The smallest group now: a kept group gains the withheld people who could belong to it; a withheld person stands among all who share what is left of theirs.
  let k = Number.POSITIVE_INFINITY;
  for (const person of people) {
    const kind = suppressed.get(String(person.pseudonym));
    const size =
      kind === 'ALL'
        ? people.length
        : kind === 'CALENDAR'
          ? byOthers.get(keyOf(person, nonCalendar))!
          : counts.get(keyOf(person, quasiIdentifiers))!;
    k = Math.min(k, size);
  }
  return { suppressed, k };
}

/**
 * The plan: the policy's steps about the quasi-identifiers held, in order, until the smallest group
 * reaches the threshold; before each step, local suppression when it would do (few people left
 * under k), since withholding a few people's calendar loses less than coarsening everyone's.
 * `people` holds each person's pseudonym and quasi-identifiers at their finest; `requested` the
 * extract's variables.
 */
export function planDisclosure(
  people: readonly Record<string, Value>[],
  requested: Iterable<string>,
  policy: DisclosurePolicy = EXTRACT_DISCLOSURE,
): DisclosurePlan {
  const held = new Set(requested);
  const quasiIdentifiers = quasiIdentifiersOf(held, policy);
  const levels: Record<string, Coarsening> = {};
  const applied: DisclosurePlan['applied'] = [];
  let suppressed: ReadonlyMap<string, LocalSuppression> = new Map();
  let k = smallestGroup(people, quasiIdentifiers, levels);
  for (const step of policy.steps) {
    if (k === null || k >= policy.k) break;
    const local = suppressLocally(people, quasiIdentifiers, levels, policy);
    if (local && local.k >= policy.k) {
      suppressed = local.suppressed;
      k = local.k;
      break;
    }
    if (!quasiIdentifiers.includes(step.variable)) continue;
    if (step.variable === ALLOCATION_MONTH && step.to !== 'WITHHELD' && !calendarCoarseningProtects(held)) continue;
    levels[step.variable] = step.to;
    applied.push({ variable: step.variable, to: step.to });
    k = smallestGroup(people, quasiIdentifiers, levels);
  }
  return {
    threshold: policy.k,
    quasiIdentifiers,
    levels,
    applied,
    suppressed,
    kReached: k,
    satisfied: k === null || k >= policy.k,
    persons: people.length,
  };
}

/** The value labels of a coarsened column, when its codes changed. */
export function coarsenedValues(variable: string, levels: Readonly<Record<string, Coarsening>>) {
  const level = levels[variable];
  if (variable === 'age_band' && (level === 'TEN_YEARS' || level === 'TWENTY_YEARS'))
    return ageBandValues(AGE_BANDS[level]);
  return undefined;
}

const LEVEL_TEXT: Record<Coarsening, string> = {
  QUARTER: 'calendar months given as quarters (YYYY-Qn) in every calendar column',
  YEAR: 'calendar months given as years (YYYY) in every calendar column',
  TEN_YEARS: 'age in 10-year bands',
  TWENTY_YEARS: 'age in 20-year bands',
  WITHHELD: 'withheld (every cell empty)',
};

/** What the codebook says of one coarsened column. */
export function coarseningNote(variable: string, levels: Readonly<Record<string, Coarsening>>): string | undefined {
  const level = CALENDAR_MONTH_VARIABLES.has(variable) ? levels[ALLOCATION_MONTH] : levels[variable];
  if (level === undefined) return undefined;
  return LEVEL_TEXT[level];
}
