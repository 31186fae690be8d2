/**
 * The CONSORT 2010 flow diagram drawn in the page from `consortFlow`'s counts (R1, R2, R6): boxes
 * and arrows in HTML, never the server's SVG injected. For an integrator a count of 1–4 and a
 * second term of each sum that would reveal it are null (schema/policy.ts COUNT_READERS):
 * shown as withheld, never as 0.
 */
import type { DashboardQuery } from '../generated/dashboard.js';
import { el, numberFormat, suppressedMarker } from './cells.js';
import { format, type Catalogue, type Lang } from './i18n.js';
import type { SectionContext } from './sections.js';

type Flow = NonNullable<DashboardQuery['consortFlow']>;

function count(value: number | null, name: string, t: Catalogue, lang: Lang): HTMLElement {
  const element = el('strong', { 'data-cell': `CONSORT|${name}` });
  if (value === null) suppressedMarker(element, 'WITHHELD', t);
  else element.textContent = numberFormat(lang).format(value);
  return element;
}

/** One box: its title, `n = …`, and optional sub-counts. */
function box(title: string, value: number | null, name: string, t: Catalogue, lang: Lang, items: { label: string; value: number | null; name: string }[] = [], modifier = ''): HTMLElement {
  const content: Node[] = [el('p', { class: 'box-title' }, title), el('p', { class: 'box-count' }, 'n = ', count(value, name, t, lang))];
  if (items.length > 0) content.push(el('ul', {}, ...items.map((item) => el('li', {}, `${item.label}${colon(lang)}`, count(item.value, item.name, t, lang)))));
  return el('div', { class: `box ${modifier}`.trim() }, ...content);
}

/** French sets a narrow no-break space before a colon. */
const colon = (lang: Lang) => (lang === 'fr' ? '\u202f: ' : ': ');

const down = () => el('div', { class: 'arrow-down', 'aria-hidden': 'true' });

/** A step of the main flow with the people who left it, beside it. */
function step(main: HTMLElement, aside?: HTMLElement): HTMLElement {
  return el('div', { class: 'flow-step' }, main, ...(aside ? [el('div', { class: 'arrow-side', 'aria-hidden': 'true' }), aside] : []));
}

export function consortSection({ t, lang, data, vocabulary }: SectionContext): HTMLElement {
  const c = t.consort;
  const flow: Flow | null | undefined = data.consortFlow;
  const content: Node[] = [];
  if (flow) {
    const unmet = flow.unmetConditions.map((u) => ({ label: vocabulary('EligibilityCondition', u.condition), value: u.count, name: `unmet|${u.condition}` }));
    const perArm = (render: (arm: Flow['arms'][number]) => HTMLElement) =>
      el('div', { class: 'arms' }, ...flow.arms.map((arm) => el('div', { class: 'arm' }, el('p', { class: 'arm-name' }, vocabulary('TrialArm', arm.arm)), render(arm))));
    content.push(
      el('h3', {}, c.enrolment),
      el(
        'div',
        { class: 'flow' },
        step(box(c.assessed, flow.assessed, 'assessed', t, lang)),
        down(),
        step(box(c.referred, flow.referred, 'referred', t, lang), box(c.notReferred, flow.notReferred, 'notReferred', t, lang, [{ label: c.declined, value: flow.declined, name: 'declined' }, ...unmet], 'aside')),
        down(),
        step(box(c.registered, flow.registered, 'registered', t, lang), box(c.notRegistered, flow.notRegistered, 'notRegistered', t, lang, [], 'aside')),
        down(),
        step(box(c.randomised, flow.randomised, 'randomised', t, lang), box(c.notRandomised, flow.notRandomised, 'notRandomised', t, lang, [], 'aside')),
        down(),
      ),
      el('h3', {}, c.allocation),
      perArm((arm) =>
        box(c.allocated, arm.allocated, `${arm.arm}|allocated`, t, lang, [
          { label: c.received, value: arm.received, name: `${arm.arm}|received` },
          { label: c.notReceived, value: arm.notReceived, name: `${arm.arm}|notReceived` },
        ]),
      ),
      el('h3', {}, c.followUp),
      perArm((arm) =>
        el(
          'div',
          { class: 'box' },
          el(
            'ul',
            {},
            ...arm.lostToFollowUp.map((loss) => el('li', {}, `${format(c.lost, { wave: loss.wave, months: loss.monthsAfterAllocation })}${colon(lang)}`, count(loss.lost, `${arm.arm}|lost|${loss.wave}`, t, lang))),
            el('li', {}, `${c.discontinued}${colon(lang)}`, count(arm.discontinued, `${arm.arm}|discontinued`, t, lang)),
            el('li', {}, `${c.withdrawn}${colon(lang)}`, count(arm.withdrawn, `${arm.arm}|withdrawn`, t, lang)),
          ),
        ),
      ),
      el('h3', {}, c.analysis),
      perArm((arm) => box(c.analysed, arm.analysed, `${arm.arm}|analysed`, t, lang)),
    );
  }
  return el('section', { id: 'consort', 'aria-labelledby': 'consort-heading', class: 'panel' }, el('h2', { id: 'consort-heading' }, c.heading), el('p', {}, c.intro), el('div', { class: 'consort' }, ...content));
}
