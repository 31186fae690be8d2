/**
 * Reading a published table (pilotAggregates) and writing its numbers into the page. A cell's key
 * names one coordinate per dimension: a member, a group (e.g. a region's partners) or `*` (the
 * total). A withheld cell (schema/policy.ts DISCLOSURE_CONTROL, R18/R19) has `count: null` and is
 * shown as withheld, never as 0 and never blank; a rate with a withheld part is withheld too.
 */
import type { PublishedTableFragment, Suppression } from '../generated/dashboard.js';
import type { Catalogue, Lang } from './i18n.js';

export type Table = PublishedTableFragment;
export type Cell = Table['cells'][number];
export const TOTAL = '*';

/** A count as the page knows it: a number, or withheld and why. */
export type Count = { kind: 'published'; value: number } | { kind: 'suppressed'; why: Exclude<Suppression, 'NONE'> } | { kind: 'absent' };

/** Cells of one table by their key, for lookups by coordinates. */
export class TableIndex {
  private readonly cells = new Map<string, Cell>();

  constructor(readonly table: Table) {
    for (const cell of table.cells) this.cells.set(cell.key.join('|'), cell);
  }

  count(key: readonly string[]): Count {
    const cell = this.cells.get(key.join('|'));
    if (!cell) return { kind: 'absent' };
    if (cell.suppression !== 'NONE' || cell.count === null) return { kind: 'suppressed', why: cell.suppression === 'NONE' ? 'PRIMARY' : cell.suppression };
    return { kind: 'published', value: cell.count };
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

/** `<td>` (or another element) holding a count: the number, or the withheld marker with its reason. */
export function countElement(tag: 'td' | 'span' | 'strong', count: Count, name: string, t: Catalogue, lang: Lang): HTMLElement {
  const element = document.createElement(tag);
  element.dataset.cell = name;
  if (count.kind === 'published') {
    element.textContent = numberFormat(lang).format(count.value);
  } else if (count.kind === 'suppressed') {
    suppressedMarker(element, count.why, t);
  } else {
    // No such cell in the slice: not a count of zero either, so say it is not published.
    suppressedMarker(element, 'WITHHELD', t);
  }
  if (tag === 'td') element.classList.add('num');
  return element;
}

/** Writes the withheld marker into `element`: a visible word, its reason for screen readers, a link to the footnote. */
export function suppressedMarker(element: HTMLElement, why: Exclude<Suppression, 'NONE'> | 'WITHHELD', t: Catalogue): void {
  element.dataset.suppressed = why;
  element.classList.add('suppressed');
  const word = document.createElement('span');
  word.className = 'marker';
  word.textContent = t.suppressed;
  if (why !== 'WITHHELD') word.title = t.suppressedKind[why];
  const note = document.createElement('a');
  note.href = `#${SUPPRESSED_NOTE_ID}`;
  note.className = 'note-ref';
  note.textContent = '*';
  note.setAttribute('aria-label', why === 'WITHHELD' ? t.suppressed : `${t.suppressed}: ${t.suppressedKind[why]}`);
  element.append(word, note);
}

/** A share of two counts: withheld when either part is withheld; «no one» when the denominator is 0. */
export type Rate = { kind: 'rate'; value: number } | { kind: 'suppressed' } | { kind: 'none' };

export function rateOf(numerator: Count, denominator: Count): Rate {
  if (numerator.kind !== 'published' || denominator.kind !== 'published') return { kind: 'suppressed' };
  if (denominator.value === 0) return { kind: 'none' };
  return { kind: 'rate', value: numerator.value / denominator.value };
}

/** `<td>` holding a rate; `data-rate` names the two cells it is computed from. */
export function rateElement(rate: Rate, parts: readonly [string, string], t: Catalogue, lang: Lang): HTMLTableCellElement {
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

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  element.append(...children);
  return element;
}

/** A `<th>` for a row or a column. */
export function th(text: string, scope: 'row' | 'col' | 'colgroup' | 'rowgroup', attributes: Record<string, string> = {}): HTMLTableCellElement {
  return el('th', { scope, ...attributes }, text);
}

/** A data table with its caption, in a scrollable region that the keyboard can reach. */
export function dataTable(id: string, caption: string, head: HTMLTableRowElement[], body: HTMLTableRowElement[]): HTMLElement {
  const table = el('table', { id }, el('caption', { id: `${id}-caption` }, caption), el('thead', {}, ...head), el('tbody', {}, ...body));
  return el('div', { class: 'table-scroll', role: 'region', tabindex: '0', 'aria-labelledby': `${id}-caption` }, table);
}
