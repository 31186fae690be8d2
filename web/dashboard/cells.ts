/**
 * Reading a published table (pilotAggregates) and writing its numbers into the page. A cell's key
 * names one coordinate per dimension: a member, a group (e.g. a region's partners) or `*` (the
 * total). A withheld cell (schema/policy.ts DISCLOSURE_CONTROL, R18/R19) has `count: null` and is
 * shown as withheld and why, never as 0 and never blank: « withheld (n < 5) » only when it is small
 * itself (PRIMARY); withheld to protect another count (COMPLEMENTARY) it may be large, and says so.
 * A rate with a withheld part is withheld too. A perturbed count (cell key method) carries a mark.
 * Each number names its source cell in `data-cell`; a withheld one says why in `data-suppressed`
 * (primary | complementary | withheld, the last for a value no cell publishes), a perturbed one has `data-perturbed`.
 */
import type { PublishedTableFragment, Suppression } from '../generated/dashboard.js';
import { format, type Catalogue, type Lang } from './i18n.js';
import { el } from '../shared/page.js';

export { el };

export type Table = PublishedTableFragment;
export type Cell = Table['cells'][number];
export const TOTAL = '*';

/** A count as the page knows it: a number, or withheld and why. */
export type Count =
  | { kind: 'published'; value: number; perturbed?: boolean }
  | { kind: 'suppressed'; why: Withheld; threshold: number }
  | { kind: 'absent' };

/** Why a count is withheld, as the graph says it. */
export type Withheld = Exclude<Suppression, 'NONE'>;

/** Cells of one table by their key, for lookups by coordinates. */
export class TableIndex {
  private readonly cells = new Map<string, Cell>();

  constructor(readonly table: Table) {
    for (const cell of table.cells) this.cells.set(cell.key.join('|'), cell);
  }

  count(key: readonly string[]): Count {
    const cell = this.cells.get(key.join('|'));
    if (!cell) return { kind: 'absent' };
    // A null without a reason is never guessed small: it is told as withheld to protect another count.
    if (cell.suppression !== 'NONE' || cell.count === null)
      return {
        kind: 'suppressed',
        why: cell.suppression === 'NONE' ? 'COMPLEMENTARY' : cell.suppression,
        threshold: this.table.threshold,
      };
    return { kind: 'published', value: cell.count, perturbed: cell.perturbed };
  }

  /** The `data-cell` name of a key: the measure, then the key's coordinates. */
  name(key: readonly string[]): string {
    return [this.table.measure, ...key].join('|');
  }

  dimension(name: string): Table['dimensions'][number] {
    const dimension = this.table.dimensions.find((d) => d.name === name);
    if (!dimension) throw new Error(`table ${this.table.measure} has no dimension ${name}`);
    return dimension;
  }

  /** A member's or a group's label in the caller's language, as the graph sent it. */
  label(dimension: string, member: string): string {
    const d = this.dimension(dimension);
    const index = d.members.indexOf(member);
    if (index >= 0) return d.labels[index] ?? member;
    return d.groups.find((g) => g.name === member)?.label ?? member;
  }
}

export function numberFormat(lang: Lang): Intl.NumberFormat {
  return new Intl.NumberFormat(lang === 'en' ? 'en-GB' : `${lang}-BE`);
}

export function percentFormat(lang: Lang): Intl.NumberFormat {
  return new Intl.NumberFormat(lang === 'en' ? 'en-GB' : `${lang}-BE`, { style: 'percent', maximumFractionDigits: 1 });
}

/** The footnote every withheld value points to. */
export const SUPPRESSED_NOTE_ID = 'note-suppressed';
export const NO_ONE_NOTE_ID = 'note-no-one';
export const PERTURBED_NOTE_ID = 'note-perturbed';

/** `<td>` (or another element) holding a count: the number, or the withheld marker with its reason. */
export function countElement(
  tag: 'td' | 'span' | 'strong',
  count: Count,
  name: string,
  t: Catalogue,
  lang: Lang,
): HTMLElement {
  const element = document.createElement(tag);
  element.dataset.cell = name;
  if (count.kind === 'published') {
    element.textContent = numberFormat(lang).format(count.value);
    if (count.perturbed) perturbedMarker(element, t);
  } else if (count.kind === 'suppressed') {
    suppressedMarker(element, count.why, t, count.threshold);
  } else {
    // No such cell in the slice: not a count of zero either, so say it is not published.
    suppressedMarker(element, 'WITHHELD', t);
  }
  if (tag === 'td') element.classList.add('num');
  return element;
}

/** What a withheld value reads, with why: « n < 5 » only for a count that is small itself. */
export function withheldText(why: Withheld | 'WITHHELD', t: Catalogue, threshold = 0): string {
  return why === 'WITHHELD' ? t.suppressed : format(t.suppressedKind[why], { threshold });
}

/** Writes the withheld marker into `element`: the words and why, visible, and a link to the footnote. */
export function suppressedMarker(element: HTMLElement, why: Withheld | 'WITHHELD', t: Catalogue, threshold = 0): void {
  element.dataset.suppressed = why.toLowerCase();
  element.classList.add('suppressed');
  const word = document.createElement('span');
  word.className = 'marker';
  word.textContent = withheldText(why, t, threshold);
  const note = document.createElement('a');
  note.href = `#${SUPPRESSED_NOTE_ID}`;
  note.className = 'note-ref';
  note.textContent = '*';
  note.setAttribute('aria-label', word.textContent);
  element.append(word, note);
}

/** Marks a published count that carries the cell key method's noise: a sign after it, linked to its footnote. */
export function perturbedMarker(element: HTMLElement, t: Catalogue): void {
  element.dataset.perturbed = 'true';
  element.classList.add('perturbed');
  const mark = document.createElement('a');
  mark.href = `#${PERTURBED_NOTE_ID}`;
  mark.className = 'note-ref perturbed-mark';
  mark.textContent = '~';
  mark.title = t.perturbed;
  mark.setAttribute('aria-label', t.perturbed);
  element.append(mark);
}

/** A share of two counts: withheld when either part is withheld; «no one» when the denominator is 0. */
export type Rate = { kind: 'rate'; value: number } | { kind: 'suppressed' } | { kind: 'none' };

export function rateOf(numerator: Count, denominator: Count): Rate {
  if (numerator.kind !== 'published' || denominator.kind !== 'published') return { kind: 'suppressed' };
  if (denominator.value === 0) return { kind: 'none' };
  return { kind: 'rate', value: numerator.value / denominator.value };
}

/** The share of a view's values at or above which a level of a hierarchy is shown rather than the coarser one. */
export const PUBLISHABLE_SHARE = 0.8;

/**
 * The finest level (levels given finest first: quarter, then year) at which at least PUBLISHABLE_SHARE
 * of the rates the view would show are numbers (a rate over no one counts as shown: it says so); the
 * coarsest level when none reaches it. A view falls back to a coarser level instead of a grid of withheld values.
 */
export function finestPublishable<L>(levels: readonly { level: L; rates: readonly Rate[] }[]): {
  level: L;
  shown: number;
  coarser: boolean;
} {
  const share = (rates: readonly Rate[]) =>
    rates.length === 0 ? 1 : rates.filter((r) => r.kind !== 'suppressed').length / rates.length;
  const index = levels.findIndex((l) => share(l.rates) >= PUBLISHABLE_SHARE);
  const chosen = index < 0 ? levels.length - 1 : index;
  const level = levels[chosen];
  if (!level) throw new Error('No level of detail to choose from');
  return { level: level.level, shown: share(level.rates), coarser: chosen > 0 };
}

/** `<td>` holding a rate; `data-rate` names the two cells it is computed from. */
export function rateElement(
  rate: Rate,
  parts: readonly [string, string],
  t: Catalogue,
  lang: Lang,
): HTMLTableCellElement {
  const element = document.createElement('td');
  element.classList.add('num');
  element.dataset.rate = parts.join(';');
  if (rate.kind === 'rate') element.textContent = percentFormat(lang).format(rate.value);
  else if (rate.kind === 'suppressed') suppressedMarker(element, 'WITHHELD', t);
  else {
    element.dataset.none = 'true';
    const word = document.createElement('span');
    word.textContent = `– (${t.noOne})`;
    const note = document.createElement('a');
    note.href = `#${NO_ONE_NOTE_ID}`;
    note.className = 'note-ref';
    note.textContent = '†';
    note.setAttribute('aria-label', t.noOneNote);
    element.append(word, note);
  }
  return element;
}

/** A `<th>` for a row or a column. */
export function th(
  text: string,
  scope: 'row' | 'col' | 'colgroup' | 'rowgroup',
  attributes: Record<string, string> = {},
): HTMLTableCellElement {
  return el('th', { scope, ...attributes }, text);
}

/** A data table with its caption, in a scrollable region that the keyboard can reach. */
export function dataTable(
  id: string,
  caption: string,
  head: HTMLTableRowElement[],
  body: HTMLTableRowElement[],
): HTMLElement {
  const table = el(
    'table',
    { id },
    el('caption', { id: `${id}-caption` }, caption),
    el('thead', {}, ...head),
    el('tbody', {}, ...body),
  );
  return el('div', { class: 'table-scroll', role: 'region', tabindex: '0', 'aria-labelledby': `${id}-caption` }, table);
}
