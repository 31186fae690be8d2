/**
 * The CONSORT 2010 flow diagram drawn in the page from `consortFlow`'s counts (R1, R2, R6): boxes
 * and arrows in HTML, never the server's SVG injected. For an integrator a count of 1–4 and a
 * second term of each sum that would reveal it are null (schema/policy.ts COUNT_READERS):
 * shown as withheld and why (`counts`: « withheld (n < 5) » only for a small count, a complement
 * as withheld to protect another count, whatever its size), never as 0; a perturbed count is marked.
 */
import type { DashboardQuery } from '../generated/dashboard.js';
import { el, numberFormat, perturbedMarker, suppressedMarker } from './cells.js';
import { format, type Catalogue, type Lang } from './i18n.js';
import type { SectionContext } from './sections.js';

type Flow = NonNullable<DashboardQuery['consortFlow']>;
type Counted = Flow['counts'][number];

/** The page's name of a box (`data-cell`, CONSORT|…) → the graph's path of its count (ConsortFlow.counts). */
function pathOf(name: string): string {
  const parts = name.split('|');
  if (parts[0] === 'unmet') return `unmetConditions.${parts[1]}`;
  if (parts[0] === 'notReferred') return 'excluded';
  if (parts.length === 3 && parts[1] === 'lost') return `arms.${parts[0]}.lostByWave.${parts[2]}`;
  if (parts.length === 2) return `arms.${parts[0]}.${parts[1]}`;
  return name;
}

function count(
  value: number | null,
  name: string,
  t: Catalogue,
  lang: Lang,
  counts: ReadonlyMap<string, Counted>,
  threshold: number,
): HTMLElement {
  const element = el('strong', { 'data-cell': `CONSORT|${name}` });
  const counted = counts.get(pathOf(name));
  if (value === null)
    suppressedMarker(
      element,
      counted && counted.suppression !== 'NONE' ? counted.suppression : 'WITHHELD',
      t,
      threshold,
    );
  else {
    element.textContent = numberFormat(lang).format(value);
    if (counted?.perturbed) perturbedMarker(element, t);
  }
  return element;
}

/** French sets a narrow no-break space before a colon. */
const colon = (lang: Lang) => (lang === 'fr' ? '\u202f: ' : ': ');

const down = () => el('div', { class: 'arrow-down', 'aria-hidden': 'true' });

/** A step of the main flow with the people who left it, beside it. */
function step(main: HTMLElement, aside?: HTMLElement): HTMLElement {
  return el(
    'div',
    { class: 'flow-step' },
    main,
    ...(aside ? [el('div', { class: 'arrow-side', 'aria-hidden': 'true' }), aside] : []),
  );
}

export function consortSection({ t, lang, data, vocabulary }: SectionContext): HTMLElement {
  const c = t.consort;
  const flow: Flow | null | undefined = data.consortFlow;
  const content: Node[] = [];
  if (flow) {
    const counts = new Map(flow.counts.map((counted) => [counted.path, counted]));
    const shown = (value: number | null, name: string) => count(value, name, t, lang, counts, flow.smallCellThreshold);
    /** One box: its title, `n = …`, and optional sub-counts. */
    const box = (
      title: string,
      value: number | null,
      name: string,
      items: { label: string; value: number | null; name: string }[] = [],
      modifier = '',
    ): HTMLElement => {
      const lines: Node[] = [
        el('p', { class: 'box-title' }, title),
        el('p', { class: 'box-count' }, 'n = ', shown(value, name)),
      ];
      if (items.length > 0)
        lines.push(
          el(
            'ul',
            {},
            ...items.map((item) => el('li', {}, `${item.label}${colon(lang)}`, shown(item.value, item.name))),
          ),
        );
      return el('div', { class: `box ${modifier}`.trim() }, ...lines);
    };
    const unmet = flow.unmetConditions.map((u) => ({
      label: vocabulary('EligibilityCondition', u.condition),
      value: u.count,
      name: `unmet|${u.condition}`,
    }));
    const perArm = (render: (arm: Flow['arms'][number]) => HTMLElement) =>
      el(
        'div',
        { class: 'arms' },
        ...flow.arms.map((arm) =>
          el('div', { class: 'arm' }, el('p', { class: 'arm-name' }, vocabulary('TrialArm', arm.arm)), render(arm)),
        ),
      );
    content.push(
      el('h3', {}, c.enrolment),
      el(
        'div',
        { class: 'flow' },
        step(box(c.assessed, flow.assessed, 'assessed')),
        down(),
        step(
          box(c.referred, flow.referred, 'referred'),
          box(
            c.notReferred,
            flow.notReferred,
            'notReferred',
            [{ label: c.declined, value: flow.declined, name: 'declined' }, ...unmet],
            'aside',
          ),
        ),
        down(),
        step(
          box(c.registered, flow.registered, 'registered'),
          box(c.notRegistered, flow.notRegistered, 'notRegistered', [], 'aside'),
        ),
        down(),
        step(
          box(c.randomised, flow.randomised, 'randomised'),
          box(c.notRandomised, flow.notRandomised, 'notRandomised', [], 'aside'),
        ),
        down(),
      ),
      el('h3', {}, c.allocation),
      perArm((arm) =>
        box(c.allocated, arm.allocated, `${arm.arm}|allocated`, [
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
            ...arm.lostToFollowUp.map((loss) =>
              el(
                'li',
                {},
                `${format(c.lost, { wave: loss.wave, months: loss.monthsAfterAllocation })}${colon(lang)}`,
                shown(loss.lost, `${arm.arm}|lost|${loss.wave}`),
              ),
            ),
            el('li', {}, `${c.discontinued}${colon(lang)}`, shown(arm.discontinued, `${arm.arm}|discontinued`)),
            el('li', {}, `${c.withdrawn}${colon(lang)}`, shown(arm.withdrawn, `${arm.arm}|withdrawn`)),
          ),
        ),
      ),
      el('h3', {}, c.analysis),
      perArm((arm) => box(c.analysed, arm.analysed, `${arm.arm}|analysed`)),
    );
  }
  return el(
    'section',
    { id: 'consort', 'aria-labelledby': 'consort-heading', class: 'panel' },
    el('h2', { id: 'consort-heading' }, c.heading),
    el('p', {}, c.intro),
    el('div', { class: 'consort' }, ...content),
  );
}
