/**
 * The participant's questionnaire page (R12), the same page at home or at the IPS partner's
 * computer: the person signs in with their own token and answers their current wave, in their
 * language, saved as they go, through the graph as PARTICIPANT. The answers are research data
 * (R19): this page sends them to the graph and shows them to the person only; the partner's staff,
 * who may have opened the wave, read its state and never an answer.
 */
import './style.css';
import {
  CompleteWaveDocument,
  InstrumentDocument,
  MyWavesDocument,
  OpenWaveDocument,
} from '../generated/questionnaire.js';
import { graphql, GraphRequestError } from '../shared/graphql.js';
import { currentToken, forgetToken, setToken, takeTokenFromLocation } from '../shared/token.js';
import { byId, h } from './dom.js';
import { itemsList, type ItemView } from './form.js';
import { AnswerSaver, type SaveStatus } from './saver.js';
import {
  CATALOGUES,
  formatDay,
  formatTime,
  initialLanguage,
  LANGUAGE_NAMES,
  LANGUAGES,
  type Catalogue,
  type Language,
} from './texts.js';
import {
  answerInput,
  answersOf,
  currentWave,
  isUnauthenticated,
  messageForPerson,
  newKey,
  refusedItem,
  unanswered,
  withRetries,
  type AnswerValue,
  type Instrument,
  type Item,
  type Wave,
} from './wave.js';

/** A change waits this long for the next before it is saved: a picked option soon, typing a bit longer. */
const SETTLED_DELAY_MS = 300;
const TYPING_DELAY_MS = 900;

let language: Language = initialLanguage(location.search, navigator.languages);
let t: Catalogue = CATALOGUES[language];
/** Shows the current screen again in the current language. */
let redraw: () => void = () => undefined;
/** The open wave's form, while it is on the page. */
let form: FormState | null = null;

const app = byId('app', HTMLDivElement);
const pageAlert = byId('page-alert', HTMLDivElement);
const signOutButton = byId('sign-out', HTMLButtonElement);

/** Why an item is marked: the graph refused its answer, it is not a whole number, or it is required and unanswered. */
type Mark = { kind: 'graph'; message: string } | { kind: 'notWhole' } | { kind: 'missing' };

interface FormState {
  participantId: string;
  wave: Wave;
  instrument: Instrument;
  /** What the controls hold (valid answers), saved or not yet. */
  values: Map<string, AnswerValue>;
  /** What the graph holds. */
  saved: Map<string, AnswerValue>;
  /** A number field's text that is not a whole number. */
  drafts: Map<string, string>;
  marks: Map<string, Mark>;
  views: Map<string, ItemView>;
  saver: AnswerSaver;
  status: SaveStatus | 'pending' | null;
  lastSavedAt: Date | null;
  completing: boolean;
}

// ---------------------------------------------------------------- frame: language, sign-out

function applyLanguage(): void {
  t = CATALOGUES[language];
  document.documentElement.lang = language;
  document.title = t.documentTitle;
  byId('skip-link', HTMLAnchorElement).textContent = t.skipLink;
  byId('heading', HTMLHeadingElement).textContent = t.heading;
  byId('language-nav', HTMLElement).setAttribute('aria-label', t.languageNav);
  signOutButton.textContent = t.signOut;
  for (const button of document.querySelectorAll<HTMLButtonElement>('#language-nav button')) {
    button.setAttribute('aria-pressed', String(button.value === language));
  }
}

function buildLanguageSwitch(): void {
  const nav = byId('language-nav', HTMLElement);
  nav.replaceChildren(
    ...LANGUAGES.map((code) => {
      const button = h(
        'button',
        { type: 'button', value: code, lang: code, 'aria-pressed': String(code === language) },
        LANGUAGE_NAMES[code],
      );
      button.addEventListener('click', () => switchLanguage(code));
      return button;
    }),
  );
}

function switchLanguage(next: Language): void {
  if (next === language) return;
  language = next;
  const url = new URL(location.href);
  url.searchParams.set('lang', next);
  history.replaceState(null, '', url.pathname + url.search + url.hash);
  applyLanguage();
  redraw();
}

function say(message: string | null): void {
  pageAlert.replaceChildren(message ? h('p', {}, message) : '');
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function failure(error: unknown): void {
  if (isUnauthenticated(error)) {
    signOut(t.tokenRejected);
    return;
  }
  say(
    t.failed(
      error instanceof GraphRequestError && error.errors[0] ? messageForPerson(error.errors[0]) : describe(error),
    ),
  );
}

/** Signing out leaves nothing of the person on the page: the token goes, and every answer with the form (a shared partner computer). */
function signOut(message: string | null): void {
  form?.saver.stop();
  form = null;
  forgetToken();
  renderSignIn(message, message === t.tokenRejected);
}

signOutButton.addEventListener('click', () => {
  const leaving = form;
  // Whatever is typed and valid is saved before the token goes (for a few seconds at most).
  const saved = leaving
    ? Promise.race([leaving.saver.flush(), new Promise((resolve) => setTimeout(resolve, 5000))])
    : Promise.resolve();
  signOutButton.disabled = true;
  void saved.finally(() => {
    signOutButton.disabled = false;
    signOut(t.signedOut);
  });
});

// ---------------------------------------------------------------- sign-in

function renderSignIn(message: string | null, isError = false): void {
  signOutButton.hidden = true;
  say(null);
  const input = h('input', {
    type: 'password',
    id: 'token',
    name: 'token',
    autocomplete: 'off',
    spellcheck: 'false',
    required: true,
    'aria-describedby': 'token-intro',
  });
  const alert = h('div', { id: 'sign-in-alert', role: 'alert' }, isError && message ? h('p', {}, message) : '');
  const status = h('p', { role: 'status' }, !isError && message ? message : '');
  const formElement = h(
    'form',
    { id: 'sign-in', 'aria-labelledby': 'sign-in-heading', novalidate: true },
    h('h2', { id: 'sign-in-heading' }, t.signInHeading),
    h('p', { id: 'token-intro' }, t.signInIntro),
    h('label', { for: 'token' }, t.tokenLabel),
    input,
    h('button', { type: 'submit' }, t.signIn),
    alert,
  );
  formElement.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!input.value.trim()) {
      alert.replaceChildren(h('p', {}, t.tokenMissing));
      input.focus();
      return;
    }
    setToken(input.value);
    void load('heading');
  });
  app.replaceChildren(status, formElement);
  redraw = () => renderSignIn(null);
}

// ---------------------------------------------------------------- the person's waves

/** Reads the person's waves and shows the current one. */
async function load(focus: 'heading' | 'none' = 'none'): Promise<void> {
  if (!currentToken()) {
    renderSignIn(null);
    return;
  }
  signOutButton.hidden = false;
  say(null);
  app.replaceChildren(h('p', { role: 'status' }, t.loading));
  redraw = () => void load();
  try {
    const { data } = await graphql(MyWavesDocument, {}, { language });
    const me = data?.me;
    if (!me) {
      app.replaceChildren(h('p', {}, t.noRecord));
      return;
    }
    const current = currentWave(me.questionnaireWaves);
    switch (current.kind) {
      case 'none':
        app.replaceChildren(h('p', {}, t.notAllocated));
        break;
      case 'between':
        renderBetween(current.last, current.next);
        break;
      case 'due':
        renderDue(me.id, current.wave);
        break;
      case 'open':
        await openForm(me.id, current.wave);
        break;
    }
    if (focus === 'heading') app.querySelector<HTMLElement>('h2')?.focus();
  } catch (error) {
    app.replaceChildren();
    failure(error);
  }
}

function waveHeading(wave: Wave): HTMLHeadingElement {
  return h('h2', { id: 'wave-heading', tabindex: '-1' }, t.waveHeading(t.waveName(wave.wave)));
}

function dueLine(wave: Wave): HTMLParagraphElement {
  return h('p', {}, t.dueIntro(formatDay(wave.dueOn, language), formatDay(wave.windowClosesOn, language)));
}

function renderDue(participantId: string, wave: Wave): void {
  const button = h('button', { type: 'button', class: 'primary' }, t.openWave);
  const status = h('p', { role: 'status' });
  const open = async () => {
    button.disabled = true;
    status.textContent = t.opening;
    const variables = { idempotencyKey: newKey(), input: { participantId, wave: wave.wave } };
    try {
      const { data } = await withRetries(
        () => graphql(OpenWaveDocument, variables, { language }),
        () => undefined,
        () => false,
      );
      if (!data) throw new Error('The graph answered no questionnaire wave');
      await openForm(participantId, data.openQuestionnaireWave);
      byId('wave-heading', HTMLHeadingElement).focus();
    } catch (error) {
      button.disabled = false;
      status.textContent = '';
      failure(error);
    }
  };
  button.addEventListener('click', () => void open());
  app.replaceChildren(waveHeading(wave), dueLine(wave), h('p', {}, t.privacy), button, status);
}

function renderBetween(last: Wave | null, next: Wave | null): void {
  const nodes: Node[] = [];
  if (last?.state === 'COMPLETED') {
    nodes.push(
      h('h2', { id: 'wave-heading', tabindex: '-1' }, t.completedHeading),
      h('p', {}, t.completedOn(formatDay(last.completedOn ?? last.dueOn, language))),
    );
  } else if (last?.state === 'MISSED') {
    nodes.push(h('p', {}, t.missedLast));
  }
  nodes.push(
    h(
      'p',
      {},
      next ? t.nextDue(formatDay(next.dueOn, language), formatDay(next.windowOpensOn, language)) : t.noMoreWaves,
    ),
  );
  nodes.push(h('p', {}, t.sharedComputer));
  app.replaceChildren(...nodes);
}

// ---------------------------------------------------------------- the open wave's form

async function fetchInstrument(version: string | null): Promise<Instrument> {
  const { data } = await graphql(InstrumentDocument, { version }, { language });
  if (!data) throw new Error('The graph answered no questionnaire instrument');
  return data.questionnaireInstrument;
}

async function openForm(participantId: string, wave: Wave): Promise<void> {
  const instrument = await fetchInstrument(wave.instrumentVersion);
  const saved = answersOf(wave);
  const state: FormState = {
    participantId,
    wave,
    instrument,
    values: new Map(saved),
    saved,
    drafts: new Map(),
    marks: new Map(),
    views: new Map(),
    saver: new AnswerSaver({ participantId, wave: wave.wave }, instrument.items, () => language, {
      status: (status) => setStatus(state, status),
      saved: (after) => {
        state.wave = after;
        state.saved = answersOf(after);
        state.lastSavedAt = new Date();
      },
      refused: (answer, error) => {
        // Told only if the control still holds what was refused.
        const value = state.values.get(answer.linkId);
        if (value !== undefined && value === (answer.valueCode ?? answer.valueInteger ?? answer.valueBoolean))
          mark(state, answer.linkId, { kind: 'graph', message: messageForPerson(error) });
      },
      failed: (error) => failure(error),
    }),
    status: null,
    lastSavedAt: null,
    completing: false,
  };
  form?.saver.stop();
  form = state;
  renderForm(state);
  redraw = () => void redrawForm(state);
}

/** The same form in another language: the instrument's wording from the graph again, the values kept; the graph tells its refusals again in that language. */
async function redrawForm(state: FormState): Promise<void> {
  try {
    state.instrument = await fetchInstrument(state.wave.instrumentVersion);
  } catch (error) {
    failure(error);
    return;
  }
  if (form !== state) return;
  const focusedId = document.activeElement?.id;
  renderForm(state);
  if (focusedId) document.getElementById(focusedId)?.focus();
  for (const [linkId, m] of state.marks) {
    const item = state.instrument.items.find((i) => i.linkId === linkId);
    const value = state.values.get(linkId);
    if (m.kind === 'graph' && item && value !== undefined) state.saver.queue(answerInput(item, value), 0);
  }
}

function renderForm(state: FormState): void {
  const { list, views } = itemsList(state.instrument.items, state.values, state.drafts, t, {
    answered: (item, value, settled) => answered(state, item, value, settled),
    unanswerable: (item, raw) => unanswerable(state, item, raw),
  });
  state.views = views;
  const status = h('p', { id: 'save-status', class: 'save-status', role: 'status', 'aria-live': 'polite' });
  const formAlert = h('div', { id: 'form-alert', role: 'alert' });
  const submit = h('button', { type: 'submit', class: 'primary', id: 'complete' }, t.complete);
  const formElement = h(
    'form',
    { id: 'wave-form', 'aria-labelledby': 'wave-heading', novalidate: true },
    h('p', { class: 'instrument-title' }, state.instrument.title),
    h('p', {}, t.requiredNote),
    list,
    formAlert,
    h('div', { class: 'actions' }, submit, status),
  );
  formElement.addEventListener('submit', (event) => {
    event.preventDefault();
    void complete(state);
  });
  const nodes: HTMLElement[] = [waveHeading(state.wave), dueLine(state.wave)];
  if (state.wave.openedWhere === 'PARTNER') nodes.push(h('p', { class: 'note' }, t.openedAtPartner));
  nodes.push(h('p', { class: 'note' }, t.privacy), h('p', { class: 'note' }, t.sharedComputer), formElement);
  app.replaceChildren(...nodes);
  for (const [linkId, m] of state.marks) showMark(state, linkId, m);
  setStatus(state, state.status);
}

function markText(m: Mark): string {
  return m.kind === 'graph' ? m.message : m.kind === 'notWhole' ? t.notWholeNumber : t.missingItem;
}

function showMark(state: FormState, linkId: string, m: Mark | null): void {
  state.views.get(linkId)?.showError(m ? markText(m) : null);
}

function mark(state: FormState, linkId: string, m: Mark | null): void {
  if (m) state.marks.set(linkId, m);
  else state.marks.delete(linkId);
  showMark(state, linkId, m);
}

function answered(state: FormState, item: Item, value: AnswerValue, settled: boolean): void {
  state.values.set(item.linkId, value);
  state.drafts.delete(item.linkId);
  mark(state, item.linkId, null);
  setStatus(state, 'pending');
  state.saver.queue(answerInput(item, value), settled ? SETTLED_DELAY_MS : TYPING_DELAY_MS);
}

/** Emptied or not a whole number: nothing is sent (an answer saved before stays saved). */
function unanswerable(state: FormState, item: Item, raw: string): void {
  state.saver.drop(item.linkId);
  state.values.delete(item.linkId);
  if (raw === '') {
    state.drafts.delete(item.linkId);
    mark(state, item.linkId, null);
  } else {
    state.drafts.set(item.linkId, raw);
    mark(state, item.linkId, { kind: 'notWhole' });
  }
}

function setStatus(state: FormState, status: FormState['status']): void {
  state.status = status;
  const element = document.getElementById('save-status');
  if (!element || form !== state) return;
  element.dataset.state = status ?? '';
  const refused = [...state.marks.values()].some((m) => m.kind !== 'missing');
  switch (status) {
    case 'saving':
      element.textContent = t.saving;
      break;
    case 'saved':
      element.textContent = refused ? t.notSaved : t.saved(formatTime(state.lastSavedAt ?? new Date(), language));
      if (refused) element.dataset.state = 'refused';
      break;
    case 'offline':
      element.textContent = t.offline;
      break;
    case 'failed':
      element.textContent = t.notSaved;
      break;
    case 'pending':
    case null:
      break; // typing goes on: nothing to announce yet
  }
}

/** Focuses an item's control and tells what is missing or wrong, in one alert above the button. */
function showProblems(state: FormState, items: readonly Item[]): void {
  const alert = byId('form-alert', HTMLDivElement);
  const missing = items.filter((item) => state.marks.get(item.linkId)?.kind === 'missing');
  const links = items.map((item) => {
    const link = h('a', { href: `#item-${item.linkId}` }, item.text);
    link.addEventListener('click', (event) => {
      event.preventDefault();
      state.views.get(item.linkId)?.focusTarget().focus();
    });
    return h('li', {}, link);
  });
  alert.replaceChildren(
    h('p', {}, missing.length === items.length ? t.missingSummary(items.length) : t.fixSummary),
    h('ul', {}, ...links),
  );
  const first = items[0];
  if (first) state.views.get(first.linkId)?.focusTarget().focus();
}

async function complete(state: FormState): Promise<void> {
  if (state.completing) return;
  state.completing = true;
  const submit = byId('complete', HTMLButtonElement);
  submit.setAttribute('aria-disabled', 'true');
  submit.textContent = t.completing;
  byId('form-alert', HTMLDivElement).replaceChildren();
  try {
    await state.saver.flush();
    if (form !== state) return;
    // Required items with no saved answer, and answers refused or not whole numbers: told and focused before the graph is asked.
    const refusedIds = new Set([...state.marks].filter(([, m]) => m.kind !== 'missing').map(([linkId]) => linkId));
    const problems = unanswered(state.instrument.items, state.saved, refusedIds);
    for (const item of state.instrument.items)
      if (refusedIds.has(item.linkId) && !problems.includes(item)) problems.push(item);
    if (problems.length > 0) {
      for (const item of problems) if (!state.marks.has(item.linkId)) mark(state, item.linkId, { kind: 'missing' });
      showProblems(
        state,
        state.instrument.items.filter((item) => problems.includes(item)),
      );
      return;
    }
    const variables = {
      idempotencyKey: newKey(),
      input: { participantId: state.participantId, wave: state.wave.wave },
    };
    await withRetries(
      () => graphql(CompleteWaveDocument, variables, { language }),
      () => setStatus(state, 'offline'),
      () => form !== state,
    );
    state.saver.stop();
    form = null;
    await load('heading');
  } catch (error) {
    const first = error instanceof GraphRequestError ? error.errors[0] : undefined;
    const linkId = first ? refusedItem(first, [], state.instrument.items) : null;
    const item = state.instrument.items.find((i) => i.linkId === linkId);
    if (first && item) {
      mark(
        state,
        item.linkId,
        state.saved.has(item.linkId) ? { kind: 'graph', message: messageForPerson(first) } : { kind: 'missing' },
      );
      showProblems(state, [item]);
    } else {
      failure(error);
    }
  } finally {
    state.completing = false;
    const button = document.getElementById('complete');
    if (button && form === state) {
      button.removeAttribute('aria-disabled');
      button.textContent = t.complete;
    }
  }
}

// ---------------------------------------------------------------- start

takeTokenFromLocation();
buildLanguageSwitch();
applyLanguage();
void load();
