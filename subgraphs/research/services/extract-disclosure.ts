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
 * coarsens every calendar column together. Calendar time can be withheld only when the allocation
 * month is itself a column and no other calendar column is asked for.
 */
import { EXTRACT_DISCLOSURE } from '../../../schema/policy.js';
import { ageBandValues } from './codebook-covariates.js';

export type Coarsening = (typeof EXTRACT_DISCLOSURE.steps)[number]['to'];
export type DisclosurePolicy = { k: number; quasiIdentifiers: readonly string[]; steps: readonly { variable: string; to: Coarsening }[] };
type Value = string | number | boolean | null | undefined;

/** Every column holding a calendar month (YYYY-MM). */
export const CALENDAR_MONTH_VARIABLES: ReadonlySet<string> = new Set([
  'month', 'allocation_month', 'pathway_end_month', 'first_job_month', 'first_competitive_job_month', 'wave_due_month', 'wave_completed_month',
]);
const ALLOCATION_MONTH = 'allocation_month';

export interface DisclosurePlan {
  threshold: number;
  /** The quasi-identifiers the extract holds, as checked. */
  quasiIdentifiers: string[];
  /** The coarsening of each variable coarsened (a calendar level applies to every calendar column). */
  levels: Record<string, Coarsening>;
  /** The steps applied, in order. */
  applied: { variable: string; to: Coarsening }[];
  /** The smallest group's size after the steps; null when the extract holds no one. */
  kReached: number | null;
  /** k ≥ threshold (or no one): the extract may be served. */
  satisfied: boolean;
  persons: number;
}

/** The quasi-identifiers an extract of these variables holds. */
export function quasiIdentifiersOf(variables: Iterable<string>, policy: DisclosurePolicy = EXTRACT_DISCLOSURE): string[] {
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
export const AGE_BANDS: Record<'TEN_YEARS' | 'TWENTY_YEARS', readonly string[]> = { TEN_YEARS: ['<30', '30-39', '40-49', '50-59', '60+'], TWENTY_YEARS: ['<40', '40-59', '60+'] };

/** One cell, coarsened as the plan says. */
export function coarsenValue(variable: string, value: Value, levels: Readonly<Record<string, Coarsening>>): Value {
  if (value === null || value === undefined) return value;
  if (CALENDAR_MONTH_VARIABLES.has(variable)) {
    const level = levels[ALLOCATION_MONTH];
    if (level === 'WITHHELD') return variable === ALLOCATION_MONTH ? null : String(value).slice(0, 4);
    if (level === 'YEAR') return String(value).slice(0, 4);
    if (level === 'QUARTER') return quarterOf(String(value));
    return value;
  }
  const level = levels[variable];
  if (level === undefined) return value;
  if (level === 'WITHHELD') return null;
  if (variable === 'age_band' && (level === 'TEN_YEARS' || level === 'TWENTY_YEARS')) return AGE_WIDER[level](ageLow(String(value)));
  return value;
}

export function coarsenRow<T extends Record<string, unknown>>(row: T, levels: Readonly<Record<string, Coarsening>>): T {
  if (Object.keys(levels).length === 0) return row;
  const out: Record<string, unknown> = { ...row };
  for (const name of Object.keys(out)) out[name] = coarsenValue(name, out[name] as Value, levels);
  return out as T;
}

/** The size of the smallest group of people sharing every quasi-identifier's (coarsened) value. */
export function smallestGroup(people: readonly Record<string, Value>[], quasiIdentifiers: readonly string[], levels: Readonly<Record<string, Coarsening>>): number | null {
  const groups = new Map<string, number>();
  for (const person of people) {
    const key = JSON.stringify(quasiIdentifiers.map((name) => coarsenValue(name, person[name], levels) ?? null));
    groups.set(key, (groups.get(key) ?? 0) + 1);
  }
  return groups.size === 0 ? null : Math.min(...groups.values());
}

/**
 * The plan: the policy's steps about the quasi-identifiers held, in order, until the smallest group
 * reaches the threshold. `people` holds each person's quasi-identifiers at their finest;
 * `requested` the extract's variables (the allocation month can be withheld only when it is the
 * one calendar column).
 */
export function planDisclosure(people: readonly Record<string, Value>[], requested: Iterable<string>, policy: DisclosurePolicy = EXTRACT_DISCLOSURE): DisclosurePlan {
  const held = new Set(requested);
  const quasiIdentifiers = quasiIdentifiersOf(held, policy);
  const otherCalendar = [...held].some((name) => CALENDAR_MONTH_VARIABLES.has(name) && name !== ALLOCATION_MONTH);
  const levels: Record<string, Coarsening> = {};
  const applied: DisclosurePlan['applied'] = [];
  let k = smallestGroup(people, quasiIdentifiers, levels);
  for (const step of policy.steps) {
    if (k === null || k >= policy.k) break;
    if (!quasiIdentifiers.includes(step.variable)) continue;
    if (step.variable === ALLOCATION_MONTH && step.to === 'WITHHELD' && otherCalendar) continue;
    levels[step.variable] = step.to;
    applied.push({ variable: step.variable, to: step.to });
    k = smallestGroup(people, quasiIdentifiers, levels);
  }
  return { threshold: policy.k, quasiIdentifiers, levels, applied, kReached: k, satisfied: k === null || k >= policy.k, persons: people.length };
}

/** The value labels of a coarsened column, when its codes changed. */
export function coarsenedValues(variable: string, levels: Readonly<Record<string, Coarsening>>) {
  const level = levels[variable];
  if (variable === 'age_band' && (level === 'TEN_YEARS' || level === 'TWENTY_YEARS')) return ageBandValues(AGE_BANDS[level]);
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
  if (CALENDAR_MONTH_VARIABLES.has(variable) && level === 'WITHHELD') return variable === ALLOCATION_MONTH ? LEVEL_TEXT.WITHHELD : LEVEL_TEXT.YEAR;
  return LEVEL_TEXT[level];
}
