/**
 * A partner's claim of a month under its convention (R17), as a page its supervisors and INAMI read
 * and print: the convention, the lines with INAMI's decision on each, the credit notes and payments,
 * and the totals. One read of the graph (web/claim/operations.graphql, typed by GraphQL Code
 * Generator): the page is only a client, it shows what the graph lets the caller read — a partner's
 * supervisor their own partner's claim, INAMI every partner's — and a claim the caller may not read is
 * told exactly like a missing one. The view (language, month, convention) lives in the URL query
 * (`?lang=fr&period=2024-02&code=ARTICLE-23`) so it can be linked; the token lives in the tab.
 */
import { ClaimsOfPeriodDocument, type ClaimsOfPeriodQuery } from '../generated/claim.js';
import { graphql, GraphRequestError, type GraphErrorShape } from '../shared/graphql.js';
import {
  byId,
  clearAlert as sharedClearAlert,
  el,
  showAlert as sharedShowAlert,
  signInForm as sharedSignInForm,
} from '../shared/page.js';
import { currentToken, forgetToken, setToken, takeTokenFromLocation } from '../shared/token.js';
import { CATALOGUES, format, isLang, LANGUAGES, locale, type Catalogue, type Lang } from './i18n.js';
import '../shared/base.css';
import './styles.css';

type Convention = ClaimsOfPeriodQuery['conventions'] extends readonly (infer C)[] | null | undefined ? C : never;
type Claim = NonNullable<Convention['claims']>[number];

interface View {
  lang: Lang;
  period: string;
  code: string | null;
}

const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;

const ui = {
  skip: byId('skip', HTMLAnchorElement),
  title: byId('title', HTMLHeadingElement),
  languageLabel: byId('language-label', HTMLLabelElement),
  language: byId('language', HTMLSelectElement),
  periodLabel: byId('period-label', HTMLLabelElement),
  period: byId('period', HTMLInputElement),
  print: byId('print', HTMLButtonElement),
  signOut: byId('sign-out', HTMLButtonElement),
  alert: byId('alert', HTMLDivElement),
  status: byId('status', HTMLParagraphElement),
  main: byId('main', HTMLElement),
};

/** The month before this one: the latest a partner may have claimed. */
function lastMonth(): string {
  const now = new Date();
  const month = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  return month.toISOString().slice(0, 7);
}

/** The view named by the URL; the browser's language when the URL names none (fr, nl, else en). */
function viewFromLocation(): View {
  const query = new URLSearchParams(location.search);
  const asked = query.get('lang');
  const preferred = navigator.languages.map((l) => l.slice(0, 2).toLowerCase()).find((l) => isLang(l)) ?? null;
  const lang: Lang = isLang(asked) ? asked : isLang(preferred) ? preferred : 'en';
  const period = query.get('period');
  return { lang, period: period && PERIOD.test(period) ? period : lastMonth(), code: query.get('code') };
}

function writeLocation(current: View): void {
  const query = new URLSearchParams(location.search);
  query.set('lang', current.lang);
  query.set('period', current.period);
  history.pushState(null, '', `${location.pathname}?${query.toString()}${location.hash}`);
}

let view = viewFromLocation();
let request = 0;
const t = (): Catalogue => CATALOGUES[view.lang];

/** Euro amounts as Belgium writes them in the page's language; cents are exact integers from the graph. */
const euros = (cents: number): string =>
  new Intl.NumberFormat(locale(view.lang), { style: 'currency', currency: 'EUR' }).format(cents / 100);
const hundredths = (value: number): string =>
  new Intl.NumberFormat(locale(view.lang), { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(value / 100);
/** A calendar day (YYYY-MM-DD): no time zone to shift it. */
const day = (text: string): string =>
  new Intl.DateTimeFormat(locale(view.lang), { dateStyle: 'long', timeZone: 'UTC' }).format(
    new Date(`${text}T00:00:00Z`),
  );
/** An instant, in Belgian time. */
const instant = (text: string): string =>
  new Intl.DateTimeFormat(locale(view.lang), {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: 'Europe/Brussels',
  }).format(new Date(text));
const month = (period: string): string =>
  new Intl.DateTimeFormat(locale(view.lang), { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(`${period}-01T00:00:00Z`),
  );

/** An amount cell, named for the test and for anyone checking the page against the graph. */
const amount = (figure: string, cents: number): HTMLElement =>
  el('td', { class: 'num', 'data-figure': figure, 'data-cents': String(cents) }, euros(cents));

function applyTexts(): void {
  const texts = t();
  document.documentElement.lang = view.lang;
  document.title = texts.title;
  ui.skip.textContent = texts.skip;
  ui.title.textContent = texts.title;
  ui.languageLabel.textContent = texts.language;
  ui.periodLabel.textContent = texts.period;
  ui.print.textContent = texts.print;
  ui.signOut.textContent = texts.signIn.signOut;
  ui.language.replaceChildren(
    ...LANGUAGES.map((lang) => el('option', { value: lang, lang }, texts.languageNames[lang])),
  );
  ui.language.value = view.lang;
  ui.period.value = view.period;
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
  sharedSignInForm(ui.main, t().signIn, (token) => {
    setToken(token);
    void load();
  });
}

type Vocabulary = (enumName: string, value: string) => string;

/** A table with its caption, in a region the keyboard can scroll; `numeric` names the columns whose figures align right. */
function table(
  id: string,
  caption: string,
  head: readonly string[],
  rows: readonly HTMLElement[],
  numeric: readonly number[] = [],
): HTMLElement {
  return el(
    'div',
    { class: 'table-wrap', role: 'region', 'aria-labelledby': `${id}-caption`, tabindex: '0' },
    el(
      'table',
      { id },
      el('caption', { id: `${id}-caption` }, caption),
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          ...head.map((text, index) =>
            el('th', { scope: 'col', ...(numeric.includes(index) ? { class: 'num' } : {}) }, text),
          ),
        ),
      ),
      el('tbody', {}, ...rows),
    ),
  );
}

function claimSection(convention: Convention, claim: Claim, label: Vocabulary): HTMLElement {
  const texts = t();
  const id = `claim-${claim.id}`;
  const s = texts.summary;
  const site = convention.site ? ` (${convention.site})` : '';
  const summary = el(
    'dl',
    { class: 'summary' },
    ...(
      [
        [s.convention, convention.code],
        [s.partner, `${convention.partner}${site}`],
        [s.region, label('Region', convention.region)],
        [s.period, month(claim.period)],
        [s.status, label('ClaimStatus', claim.status)],
        [s.conventionVersion, String(claim.conventionVersion)],
        [s.submitted, instant(claim.submittedAt)],
        [s.decided, claim.decidedAt ? instant(claim.decidedAt) : s.undecided],
      ] as const
    ).flatMap(([term, value]) => [el('dt', {}, term), el('dd', {}, value)]),
  );

  const l = texts.lines;
  const positionOf = new Map(claim.lines.map((line) => [line.id, line.position]));
  const lines = table(
    `${id}-lines`,
    l.caption,
    [l.position, l.kind, l.quantity, l.unit, l.amount, l.decision, l.reason],
    [...claim.lines]
      .sort((a, b) => a.position - b.position)
      .map((line) =>
        el(
          'tr',
          { 'data-line': String(line.position) },
          el('th', { scope: 'row', class: 'num' }, String(line.position)),
          el('td', {}, label('ClaimLineKind', line.kind)),
          el(
            'td',
            { class: 'quantity' },
            ...(line.kind === 'PATHWAY_STARTS'
              ? [format(l.pathways, { paid: line.paidQuantity })]
              : [
                  el('span', { class: 'paid' }, format(l.fte, { paid: hundredths(line.paidQuantity) })),
                  el(
                    'span',
                    { class: 'detail' },
                    format(l.fteDetail, {
                      staffed: hundredths(line.quantity),
                      funded: hundredths(line.fundedQuantity ?? 0),
                    }),
                  ),
                ]),
          ),
          amount(`line|${String(line.position)}|unit`, line.unitCents),
          amount(`line|${String(line.position)}|amount`, line.amountCents),
          el(
            'td',
            { 'data-figure': `line|${String(line.position)}|decision` },
            line.decision ? label('ClaimLineDecision', line.decision) : l.pending,
          ),
          el('td', {}, line.decisionReason ?? ''),
        ),
      ),
    [0, 2, 3, 4],
  );

  const c = texts.creditNotes;
  const creditNotes =
    claim.creditNotes.length === 0
      ? el('p', {}, c.none)
      : table(
          `${id}-credit-notes`,
          c.caption,
          [c.issued, c.reason, c.lines, c.total],
          claim.creditNotes.map((note, index) =>
            el(
              'tr',
              {},
              el('td', {}, instant(note.issuedAt)),
              el('td', {}, note.reason),
              el(
                'td',
                {},
                note.lines
                  .map((line) =>
                    format(c.line, {
                      position: positionOf.get(line.claimLineId) ?? '?',
                      amount: euros(line.amountCents),
                    }),
                  )
                  .join('; '),
              ),
              amount(`credit|${String(index + 1)}`, note.totalCents),
            ),
          ),
          [3],
        );

  const p = texts.payments;
  const payments =
    claim.payments.length === 0
      ? el('p', {}, p.none)
      : table(
          `${id}-payments`,
          p.caption,
          [p.paidOn, p.reference, p.amount],
          claim.payments.map((payment, index) =>
            el(
              'tr',
              {},
              el('td', {}, day(payment.paidOn)),
              el('td', {}, payment.reference),
              amount(`payment|${String(index + 1)}`, payment.amountCents),
            ),
          ),
          [2],
        );

  const o = texts.totals;
  const totals = table(
    `${id}-totals`,
    o.caption,
    [o.item, o.amount],
    (
      [
        ['claimed', o.claimed, claim.claimedCents],
        ['approved', o.approved, claim.approvedCents],
        ['credited', o.credited, claim.creditedCents],
        ['total', o.total, claim.totalCents],
        ['paid', o.paid, claim.paidCents],
        ['outstanding', o.outstanding, claim.dueCents],
      ] as const
    ).map(([key, text, cents]) =>
      el(
        'tr',
        { class: key === 'outstanding' ? 'due' : '' },
        el('th', { scope: 'row' }, text),
        amount(`total|${key}`, cents),
      ),
    ),
    [1],
  );

  const part = (name: string, heading: string, body: HTMLElement): HTMLElement =>
    el(
      'section',
      { class: `part part-${name}`, 'aria-labelledby': `${id}-${name}-heading` },
      el('h3', { id: `${id}-${name}-heading` }, heading),
      body,
    );
  return el(
    'article',
    { class: 'claim', id, 'data-code': convention.code, 'aria-labelledby': `${id}-heading` },
    el(
      'h2',
      { id: `${id}-heading` },
      format(texts.heading, { partner: convention.partner, period: month(claim.period) }),
    ),
    part('summary', s.heading, summary),
    part('lines', l.heading, lines),
    part('credit-notes', c.heading, creditNotes),
    part('payments', p.heading, payments),
    part('totals', o.heading, totals),
  );
}

function render(data: ClaimsOfPeriodQuery): void {
  const label: Vocabulary = (enumName, value) =>
    data.vocabulary.enums.find((e) => e.name === enumName)?.values.find((v) => v.value === value)?.label ?? value;
  const shown = (data.conventions ?? [])
    .filter((convention) => view.code === null || convention.code === view.code)
    .flatMap((convention) => (convention.claims ?? []).map((claim) => claimSection(convention, claim, label)));
  ui.main.replaceChildren(
    ...(shown.length > 0
      ? shown
      : [el('p', { id: 'no-claim', class: 'panel' }, format(t().none, { period: month(view.period) }))]),
  );
}

/** No claim of the period the caller may read: a role that reads no claim at all is told the same, nothing more. */
function renderNone(): void {
  ui.main.replaceChildren(
    el('p', { id: 'no-claim', class: 'panel' }, format(t().none, { period: month(view.period) })),
  );
}

async function load(): Promise<void> {
  applyTexts();
  if (!currentToken()) {
    signInForm();
    return;
  }
  const mine = ++request;
  ui.signOut.hidden = false;
  ui.main.setAttribute('aria-busy', 'true');
  ui.status.textContent = t().loading;
  try {
    const result = await graphql(ClaimsOfPeriodDocument, { period: view.period }, { language: view.lang });
    if (mine !== request) return;
    clearAlert();
    if (!result.data) throw new GraphRequestError('no data', 'NETWORK');
    render(result.data);
    if (result.errors.length > 0) showAlert(t().errors.partial, result.errors);
  } catch (error) {
    if (mine !== request) return;
    const texts = t().errors;
    const code = error instanceof GraphRequestError ? error.code : 'NETWORK';
    if (code === 'UNAUTHENTICATED' || code === 'HTTP_401') {
      forgetToken();
      showAlert(texts.UNAUTHENTICATED);
      signInForm();
    } else if (code === 'GRAPHQL_VALIDATION_FAILED' || code === 'FORBIDDEN') {
      // The caller's role has no claims in its schema (a coach, an integrator…): as for a month without a claim.
      clearAlert();
      renderNone();
    } else if (code === 'NETWORK') {
      showAlert(texts.NETWORK);
    } else {
      showAlert(
        `${texts.other} ${error instanceof Error ? error.message : String(error)}`,
        error instanceof GraphRequestError ? error.errors : [],
      );
    }
  } finally {
    if (mine === request) {
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
ui.period.addEventListener('change', () => {
  if (!PERIOD.test(ui.period.value)) return;
  view = { ...view, period: ui.period.value };
  writeLocation(view);
  void load();
});
ui.print.addEventListener('click', () => {
  window.print();
});
ui.signOut.addEventListener('click', () => {
  forgetToken();
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
