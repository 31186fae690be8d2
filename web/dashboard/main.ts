/**
 * The integrators' reference regional dashboard: one read of the graph per view, as the
 * INTEGRATOR role (web/dashboard/operations.graphql, typed by GraphQL Code Generator), drawn with
 * Observable Plot beside accessible tables. The view (language, region) lives in the URL query
 * (`?lang=fr&region=WALLONIA`) so it can be linked; the token lives in the tab (web/shared/token.ts).
 */
import { DashboardDocument, type DashboardQuery, type Region } from '../generated/dashboard.js';
import { graphql, GraphRequestError, retryAfterSeconds, type GraphErrorShape } from '../shared/graphql.js';
import {
  byId,
  clearAlert as sharedClearAlert,
  showAlert as sharedShowAlert,
  signInForm as sharedSignInForm,
} from '../shared/page.js';
import { currentToken, forgetToken, setToken, takeTokenFromLocation } from '../shared/token.js';
import { el, NO_ONE_NOTE_ID, PERTURBED_NOTE_ID, SUPPRESSED_NOTE_ID } from './cells.js';
import { consortSection } from './consort.js';
import { CATALOGUES, format, isLang, LANGUAGES, type Catalogue, type Lang } from './i18n.js';
import {
  capacitySection,
  caseloadSection,
  employmentSection,
  fidelitySection,
  partnerEmploymentSection,
  questionnaireSection,
  type SectionContext,
} from './sections.js';
import '../shared/base.css';
import './styles.css';

const REGIONS: readonly Region[] = ['FLANDERS', 'WALLONIA', 'BRUSSELS'];
const isRegion = (value: string | null): value is Region =>
  value !== null && (REGIONS as readonly string[]).includes(value);

interface View {
  lang: Lang;
  region: Region | null;
}

const ui = {
  skip: byId('skip', HTMLAnchorElement),
  title: byId('title', HTMLHeadingElement),
  languageLabel: byId('language-label', HTMLLabelElement),
  language: byId('language', HTMLSelectElement),
  regionLabel: byId('region-label', HTMLLabelElement),
  region: byId('region', HTMLSelectElement),
  signOut: byId('sign-out', HTMLButtonElement),
  alert: byId('alert', HTMLDivElement),
  status: byId('status', HTMLParagraphElement),
  main: byId('main', HTMLElement),
  notes: byId('notes', HTMLElement),
};

/** The view named by the URL; the browser's language when the URL names none (fr, nl, else en). */
function viewFromLocation(): View {
  const query = new URLSearchParams(location.search);
  const asked = query.get('lang');
  const preferred = navigator.languages.map((l) => l.slice(0, 2).toLowerCase()).find((l) => isLang(l));
  const lang: Lang = isLang(asked) ? asked : isLang(preferred ?? null) ? (preferred as Lang) : 'en';
  const region = query.get('region');
  return { lang, region: isRegion(region) ? region : null };
}

function writeLocation(view: View): void {
  const query = new URLSearchParams(location.search);
  query.set('lang', view.lang);
  if (view.region) query.set('region', view.region);
  else query.delete('region');
  history.pushState(null, '', `${location.pathname}?${query.toString()}${location.hash}`);
}

let view = viewFromLocation();
let last: DashboardQuery | null = null;
let request = 0;

const t = (): Catalogue => CATALOGUES[view.lang];

/** A region's name: the graph's label once loaded, the page's own before. */
function regionName(region: Region): string {
  if (last?.vocabulary.language.toLowerCase() !== view.lang) return region;
  const fromGraph = last.vocabulary.enums
    .find((e) => e.name === 'Region')
    ?.values.find((v) => v.value === region)?.label;
  return fromGraph ?? region;
}

/** The page's own texts in the view's language (the graph's labels come with the data). */
function applyTexts(): void {
  const texts = t();
  document.documentElement.lang = view.lang;
  document.title = texts.title;
  ui.skip.textContent = texts.skip;
  ui.title.textContent = texts.title;
  ui.languageLabel.textContent = texts.language;
  ui.regionLabel.textContent = texts.region;
  ui.signOut.textContent = texts.signIn.signOut;
  ui.language.replaceChildren(
    ...LANGUAGES.map((lang) => el('option', { value: lang, lang }, texts.languageNames[lang])),
  );
  ui.language.value = view.lang;
  ui.region.replaceChildren(
    el('option', { value: '' }, texts.allRegions),
    ...REGIONS.map((region) => el('option', { value: region }, regionName(region))),
  );
  ui.region.value = view.region ?? '';
  ui.status.textContent = '';
}

function showAlert(message: string, errors: readonly GraphErrorShape[] = []): void {
  sharedShowAlert(ui.alert, message, errors);
}

function clearAlert(): void {
  sharedClearAlert(ui.alert);
}

function signInForm(): void {
  ui.signOut.hidden = true;
  ui.notes.replaceChildren();
  sharedSignInForm(ui.main, t().signIn, (token) => {
    setToken(token);
    void load();
  });
}

function vocabularyOf(data: DashboardQuery) {
  return (enumName: string, value: string): string =>
    data.vocabulary.enums.find((e) => e.name === enumName)?.values.find((v) => v.value === value)?.label ?? value;
}

function render(data: DashboardQuery): void {
  const texts = t();
  const context: SectionContext = {
    t: texts,
    lang: view.lang,
    region: view.region,
    data,
    vocabulary: vocabularyOf(data),
  };
  ui.main.replaceChildren(
    capacitySection(context),
    employmentSection(context),
    partnerEmploymentSection(context),
    caseloadSection(context),
    questionnaireSection(context),
    fidelitySection(context),
    consortSection(context),
  );
  const threshold = data.referrals.threshold;
  // A reader of exact counts (threshold 0, schema/policy.ts COUNT_READERS) sees nothing withheld: no note for it.
  ui.notes.replaceChildren(
    ...(threshold > 0
      ? [
          el(
            'p',
            { id: SUPPRESSED_NOTE_ID, tabindex: '-1' },
            el('span', { class: 'marker suppressed' }, texts.suppressed),
            ' ',
            format(texts.suppressedNote, { threshold: threshold - 1, below: threshold }),
          ),
        ]
      : []),
    // The legend of the perturbed mark, wherever a count the page shows carries the cell key method's noise.
    ...(ui.main.querySelector('[data-perturbed]')
      ? [
          el(
            'p',
            { id: PERTURBED_NOTE_ID, tabindex: '-1' },
            el('span', { class: 'perturbed-mark' }, '~'),
            ' ',
            texts.perturbedNote,
          ),
        ]
      : []),
    el('p', { id: NO_ONE_NOTE_ID, tabindex: '-1' }, texts.noOneNote),
  );
}

/** A later load the graph asked for (a retryable answer), cancelled by any newer load. */
let retry: ReturnType<typeof setTimeout> | undefined;

/**
 * The graph answered that some figures are not ready yet (a first start: the published tables' first
 * snapshots are still being computed) and when to ask again: the page says so and asks again then,
 * rather than drawing a partial dashboard or an error.
 */
function retryLater(errors: readonly GraphErrorShape[]): boolean {
  const seconds = retryAfterSeconds(errors);
  if (seconds === null) return false;
  clearAlert();
  ui.status.textContent = format(t().computing, { seconds });
  retry = setTimeout(() => void load(), seconds * 1000);
  return true;
}

async function load(): Promise<void> {
  clearTimeout(retry);
  applyTexts();
  if (!currentToken()) {
    signInForm();
    return;
  }
  const mine = ++request;
  ui.signOut.hidden = false;
  ui.main.setAttribute('aria-busy', 'true');
  ui.status.textContent = t().loading;
  let waiting = false;
  try {
    const result = await graphql(DashboardDocument, { region: view.region }, { language: view.lang });
    if (mine !== request) return;
    if ((waiting = retryLater(result.errors))) return;
    clearAlert();
    last = result.data;
    if (!result.data) throw new GraphRequestError('no data', 'NETWORK');
    applyTexts(); // the region names now come from the graph, in the page's language
    render(result.data);
    if (result.errors.length > 0) showAlert(t().errors.partial, result.errors);
  } catch (error) {
    if (mine !== request) return;
    if (error instanceof GraphRequestError && (waiting = retryLater(error.errors))) return;
    const texts = t().errors;
    const code = error instanceof GraphRequestError ? error.code : 'NETWORK';
    if (code === 'UNAUTHENTICATED' || code === 'HTTP_401') {
      forgetToken();
      showAlert(texts.UNAUTHENTICATED);
      signInForm();
    } else if (code === 'FORBIDDEN' || code === 'HTTP_403') {
      showAlert(texts.FORBIDDEN);
      ui.main.replaceChildren();
    } else if (code === 'NETWORK') {
      showAlert(texts.NETWORK);
    } else {
      showAlert(
        `${texts.other} ${error instanceof Error ? error.message : String(error)}`,
        error instanceof GraphRequestError ? error.errors : [],
      );
    }
  } finally {
    // Still busy while the graph's figures are being computed: the status says when the page asks again.
    if (mine === request && !waiting) {
      ui.main.setAttribute('aria-busy', 'false');
      ui.status.textContent = '';
    }
  }
}

ui.language.addEventListener('change', () => {
  if (!isLang(ui.language.value)) return;
  view = { ...view, lang: ui.language.value };
  writeLocation(view);
  void load();
});
ui.region.addEventListener('change', () => {
  view = { ...view, region: isRegion(ui.region.value) ? ui.region.value : null };
  writeLocation(view);
  void load();
});
ui.signOut.addEventListener('click', () => {
  forgetToken();
  last = null;
  clearAlert();
  signInForm();
  document.getElementById('token')?.focus();
});
window.addEventListener('popstate', () => {
  view = viewFromLocation();
  void load();
});

takeTokenFromLocation();
void load();
