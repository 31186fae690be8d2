/**
 * The instrument's items as native controls (R12): a choice or yes/no item is a fieldset whose
 * legend is the question, with one radio button per option; a number item is a labelled number
 * input with its bounds (min/max) and a hint. "Required" is written in the text, not only shown.
 * Each item has its error line, tied to its controls by aria-describedby.
 */
import type { Catalogue } from './texts.js';
import { h } from './dom.js';
import type { AnswerValue, Item } from './wave.js';

export interface ItemView {
  readonly item: Item;
  /** The control keyboard focus goes to when the item needs attention. */
  focusTarget(): HTMLInputElement;
  showError(message: string | null): void;
}

export interface ItemEvents {
  /** A valid answer was given; `settled` when the person left the control or picked an option (saved sooner). */
  answered(item: Item, value: AnswerValue, settled: boolean): void;
  /** A number field emptied or not a whole number: nothing to save. */
  unanswerable(item: Item, raw: string): void;
}

const errorId = (item: Item) => `error-${item.linkId}`;

/** The question, with "required" written after it (the instrument's optional items say so in their own text). */
function questionText(item: Item, t: Catalogue): (Node | string)[] {
  const text = h('span', { class: 'item-text' }, item.text);
  return item.required ? [text, ' ', h('span', { class: 'tag' }, `(${t.required})`)] : [text];
}

function markInvalid(input: HTMLInputElement, invalid: boolean): void {
  if (invalid) input.setAttribute('aria-invalid', 'true');
  else input.removeAttribute('aria-invalid');
}

function errorLine(item: Item): HTMLParagraphElement {
  return h('p', { class: 'error', id: errorId(item), hidden: true });
}

function choiceItem(
  item: Item,
  value: AnswerValue | undefined,
  t: Catalogue,
  events: ItemEvents,
): { node: HTMLElement; view: ItemView } {
  const options =
    item.type === 'BOOLEAN'
      ? [
          { code: 'true', display: t.yes },
          { code: 'false', display: t.no },
        ]
      : item.options;
  const inputs = options.map((option) => {
    const id = `q-${item.linkId}-${option.code}`;
    const input = h('input', {
      type: 'radio',
      id,
      name: item.linkId,
      value: option.code,
      required: item.required,
      checked: value !== undefined && String(value) === option.code,
    });
    input.addEventListener('change', () => {
      if (input.checked) events.answered(item, item.type === 'BOOLEAN' ? option.code === 'true' : option.code, true);
    });
    return { input, node: h('div', { class: 'option' }, input, h('label', { for: id }, option.display)) };
  });
  const [firstInput] = inputs;
  if (!firstInput) throw new Error(`Question ${item.linkId} offers no answer to choose`);
  const error = errorLine(item);
  const fieldset = h(
    'fieldset',
    { 'aria-describedby': errorId(item) },
    h('legend', {}, ...questionText(item, t)),
    h('div', { class: 'options' }, ...inputs.map((i) => i.node)),
  );
  const view: ItemView = {
    item,
    focusTarget: () => (inputs.find((i) => i.input.checked) ?? firstInput).input,
    showError: (message) => {
      error.textContent = message ?? '';
      error.hidden = message === null;
      for (const { input } of inputs) markInvalid(input, message !== null);
      fieldset.classList.toggle('invalid', message !== null);
    },
  };
  return { node: h('div', {}, fieldset, error), view };
}

function integerItem(
  item: Item,
  value: AnswerValue | undefined,
  draft: string | undefined,
  t: Catalogue,
  events: ItemEvents,
): { node: HTMLElement; view: ItemView } {
  const id = `q-${item.linkId}`;
  const hintId = `hint-${item.linkId}`;
  const min = item.minValue ?? undefined;
  const max = item.maxValue ?? undefined;
  const hint =
    min !== undefined && max !== undefined
      ? h('p', { class: 'hint', id: hintId }, t.numberHint(String(min), String(max)))
      : null;
  const input = h('input', {
    type: 'number',
    id,
    name: item.linkId,
    inputmode: 'numeric',
    step: '1',
    min: min === undefined ? undefined : String(min),
    max: max === undefined ? undefined : String(max),
    required: item.required,
    'aria-describedby': [hint ? hintId : '', errorId(item)].filter(Boolean).join(' '),
  });
  input.value = draft ?? (value === undefined ? '' : String(value));
  const read = (settled: boolean) => {
    const raw = input.value.trim();
    // A number input gives '' for what is not a number (badInput): told as not a whole number.
    if (raw === '' || input.validity.badInput || !/^-?\d+$/.test(raw))
      events.unanswerable(item, input.validity.badInput ? '?' : raw);
    else events.answered(item, Number(raw), settled);
  };
  input.addEventListener('input', () => read(false));
  input.addEventListener('change', () => read(true));
  const error = errorLine(item);
  const view: ItemView = {
    item,
    focusTarget: () => input,
    showError: (message) => {
      error.textContent = message ?? '';
      error.hidden = message === null;
      markInvalid(input, message !== null);
    },
  };
  return {
    node: h('div', { class: 'number-item' }, h('label', { for: id }, ...questionText(item, t)), hint, input, error),
    view,
  };
}

/** Every item of the instrument, in its order, with the values kept so far. */
export function itemsList(
  items: readonly Item[],
  values: ReadonlyMap<string, AnswerValue>,
  drafts: ReadonlyMap<string, string>,
  t: Catalogue,
  events: ItemEvents,
): { list: HTMLOListElement; views: Map<string, ItemView> } {
  const views = new Map<string, ItemView>();
  const list = h('ol', { class: 'items' });
  for (const item of items) {
    const value = values.get(item.linkId);
    const built =
      item.type === 'INTEGER'
        ? integerItem(item, value, drafts.get(item.linkId), t, events)
        : choiceItem(item, value, t, events);
    views.set(item.linkId, built.view);
    list.append(h('li', { class: 'item', id: `item-${item.linkId}` }, built.node));
  }
  return { list, views };
}
