/**
 * The dashboard's sections: each one a chart (Observable Plot) and, beside it, the data table with
 * the exact numbers the chart draws. Every number cell names its source in `data-cell`
 * (`MEASURE|key…` for a published table's cell), so what the page shows can be checked against the
 * graph. Withheld counts are never drawn as zero: a bar or a point is left out and marked with why.
 */
import * as Plot from '@observablehq/plot';
import type { DashboardQuery, Region } from '../generated/dashboard.js';
import {
  countElement,
  dataTable,
  el,
  finestPublishable,
  numberFormat,
  rateElement,
  rateOf,
  TableIndex,
  th,
  TOTAL,
  withheldText,
  type Count,
  type Rate,
} from './cells.js';
import { format, type Catalogue, type Lang } from './i18n.js';

export interface SectionContext {
  t: Catalogue;
  lang: Lang;
  region: Region | null;
  data: DashboardQuery;
  /** An enum value's label in the page's language, from the graph's `vocabulary`. */
  vocabulary: (enumName: string, value: string) => string;
}

const REGIONS: readonly Region[] = ['FLANDERS', 'WALLONIA', 'BRUSSELS'];
const ARMS = ['IPS', 'CONTROL'] as const;
/** Colours with at least 3:1 contrast against white (WCAG 1.4.11). */
const SERIES_COLOURS = ['#1f5fa8', '#c0392b', '#2e7d32', '#8e44ad', '#b35900', '#00707a', '#5d4037', '#37474f'];

function section(id: string, heading: string, intro: string, ...content: Node[]): HTMLElement {
  return el(
    'section',
    { id, 'aria-labelledby': `${id}-heading`, class: 'panel' },
    el('h2', { id: `${id}-heading` }, heading),
    el('p', {}, intro),
    ...content,
  );
}

/** A chart in a figure, its description for assistive technology, and the note on withheld values. */
function figure(chart: Element, description: string, t: Catalogue): HTMLElement {
  return el('figure', { class: 'chart' }, chart, el('figcaption', {}, description, ' ', t.chartSuppressedNote));
}

function plot(options: Plot.PlotOptions, label: string, description: string): Element {
  const chart = Plot.plot({
    ...options,
    ariaLabel: label,
    ariaDescription: description,
    style: { fontSize: '13px', color: '#1a1a1a', background: 'transparent' },
  });
  // The chart is one image, named and described; its table is the accessible alternative. Plot
  // names each mark's <g> ("tick", "line"), which ARIA forbids on an element without a role.
  const svgs = chart instanceof SVGSVGElement ? [chart] : [...chart.querySelectorAll('svg')];
  for (const svg of svgs.filter((s) => s.hasAttribute('aria-label'))) svg.setAttribute('role', 'img');
  for (const g of chart.querySelectorAll('g[aria-label]')) g.removeAttribute('aria-label');
  return chart;
}

const published = (count: Count): number | undefined => (count.kind === 'published' ? count.value : undefined);
/** A withheld count's words in a chart, with why (the table beside it says the same). */
const shownWithheld = (count: Count, t: Catalogue): string =>
  count.kind === 'suppressed' ? withheldText(count.why, t, count.threshold) : t.suppressed;

// ── Capacity per partner (REFERRALS: registered pathways over all quarters; R5, R17) ──────────

export function capacitySection({ t, lang, region, data }: SectionContext): HTMLElement {
  const referrals = new TableIndex(data.referrals);
  const conventions = data.conventions ?? [];
  const partnerDimension = referrals.dimension('partner');
  const order = (code: string) => partnerDimension.members.indexOf(code);
  const partners = [...conventions].sort((a, b) => order(a.code) - order(b.code));
  const rows = partners.map((c) => {
    const key = [c.code, TOTAL, 'REGISTERED'];
    return {
      code: c.code,
      label: `${c.code} — ${c.partner}`,
      key,
      registered: referrals.count(key),
      capacity: c.partnerPathways,
    };
  });
  const regions = region ? [region] : REGIONS.filter((r) => partners.some((p) => p.region === r));
  const totals = regions.map((r) => {
    const key = [r, TOTAL, 'REGISTERED'];
    return {
      region: r,
      label: `${referrals.label('partner', r)} — ${t.capacity.regionTotal}`,
      key,
      registered: referrals.count(key),
      capacity: partners.filter((p) => p.region === r).reduce((sum, p) => sum + p.partnerPathways, 0),
    };
  });

  const chartRows = rows.map((row) => ({
    partner: row.code,
    registered: published(row.registered),
    withheld: shownWithheld(row.registered, t),
    capacity: row.capacity,
  }));
  const chart = plot(
    {
      marginLeft: 110,
      marginBottom: 40,
      height: 80 + 40 * rows.length,
      x: { label: `${t.capacity.registered} / ${t.capacity.capacity}`, labelOffset: 34, grid: true, nice: true },
      y: { label: null, domain: rows.map((row) => row.code) },
      marks: [
        Plot.barX(
          chartRows.filter((row) => row.registered !== undefined),
          { x: 'registered', y: 'partner', fill: '#1f5fa8' },
        ),
        Plot.text(
          chartRows.filter((row) => row.registered === undefined),
          { x: 0, y: 'partner', text: 'withheld', textAnchor: 'start', dx: 4, fill: '#1a1a1a' },
        ),
        Plot.tickX(chartRows, { x: 'capacity', y: 'partner', stroke: '#1a1a1a', strokeWidth: 3 }),
        Plot.ruleX([0]),
      ],
    },
    t.capacity.heading,
    t.capacity.chart,
  );

  const head = [
    el(
      'tr',
      {},
      th(t.capacity.partner, 'col'),
      th(t.capacity.registered, 'col'),
      th(t.capacity.capacity, 'col'),
      th(t.capacity.used, 'col'),
    ),
  ];
  const line = (label: string, key: string[], registered: Count, capacity: number, capacityName: string) =>
    el(
      'tr',
      {},
      th(label, 'row'),
      countElement('td', registered, referrals.name(key), t, lang),
      el('td', { class: 'num', 'data-cell': capacityName }, numberFormat(lang).format(capacity)),
      rateElement(
        rateOf(registered, { kind: 'published', value: capacity }),
        [referrals.name(key), capacityName],
        t,
        lang,
      ),
    );
  const body = [
    ...rows.map((row) =>
      line(row.label, row.key, row.registered, row.capacity, `CONVENTIONS|${row.code}|partnerPathways`),
    ),
    ...totals.map((total) =>
      line(total.label, total.key, total.registered, total.capacity, `CONVENTIONS|${total.region}|partnerPathways`),
    ),
  ];
  return section(
    'capacity',
    t.capacity.heading,
    t.capacity.intro,
    figure(chart, t.capacity.chart, t),
    dataTable('capacity-table', t.capacity.caption, head, body),
  );
}

// ── Competitive employment rate per quarter, or per year where quarters cannot be published (ACTIVITY, ACTIVITY_BY_YEAR) ──

interface RatePoint {
  period: string;
  series: string;
  employedKey: string[];
  inPathwayKey: string[];
  employed: Count;
  inPathway: Count;
  rate: Rate;
}

/** The competitive employment rate of each series (a place and an arm) in each period of a table (quarter or year). */
function ratePoints(
  table: TableIndex,
  period: 'quarter' | 'year',
  series: readonly { place: string; arm: string; label: string }[],
): RatePoint[] {
  return table.dimension(period).members.flatMap((p) =>
    series.map((s) => {
      const employedKey = [s.place, p, s.arm, 'COMPETITIVE_JOB'];
      const inPathwayKey = [s.place, p, s.arm, TOTAL];
      const employed = table.count(employedKey);
      const inPathway = table.count(inPathwayKey);
      return {
        period: p,
        series: s.label,
        employedKey,
        inPathwayKey,
        employed,
        inPathway,
        rate: rateOf(employed, inPathway),
      };
    }),
  );
}

/** The cells of rate points, per period then per series: employed, in a pathway, rate. */
function rateCells(points: readonly RatePoint[], table: TableIndex, t: Catalogue, lang: Lang): HTMLTableCellElement[] {
  return points.flatMap((p) => [
    countElement('td', p.employed, table.name(p.employedKey), t, lang) as HTMLTableCellElement,
    countElement('td', p.inPathway, table.name(p.inPathwayKey), t, lang) as HTMLTableCellElement,
    rateElement(p.rate, [table.name(p.employedKey), table.name(p.inPathwayKey)], t, lang),
  ]);
}

export function employmentSection({ t, lang, region, data }: SectionContext): HTMLElement {
  // A region's slice has its own margin; the whole pilot has each region's and the national one.
  const places: string[] = region ? [region] : [...REGIONS, TOTAL];
  const quarterly = new TableIndex(data.activity);
  const yearly = new TableIndex(data.activityByYear);
  const placeLabel = (place: string) => (place === TOTAL ? t.allRegions : quarterly.label('partner', place));
  const series = places.flatMap((place) =>
    ARMS.map((arm) => ({ place, arm, label: `${placeLabel(place)} — ${quarterly.label('arm', arm)}` })),
  );
  // The finest level the view can be published at: quarters, or years when too many quarters are withheld.
  const levels = [
    { level: { table: quarterly, period: 'quarter' as const }, points: ratePoints(quarterly, 'quarter', series) },
    { level: { table: yearly, period: 'year' as const }, points: ratePoints(yearly, 'year', series) },
  ];
  const chosen = finestPublishable(levels.map((l) => ({ level: l, rates: l.points.map((p) => p.rate) }))).level;
  const { table, period } = chosen.level;
  const points = chosen.points;
  const texts = period === 'quarter' ? t.employment : { ...t.employment, ...t.employment.yearly };
  const periods = table.dimension(period).members;
  const drawn = points
    .filter((p) => p.rate.kind === 'rate')
    .map((p) => ({ period: p.period, series: p.series, rate: p.rate.kind === 'rate' ? p.rate.value : NaN }));
  // A line per series with a gap where the rate is withheld: every period is present, withheld ones as NaN.
  const lines = points.map((p) => ({
    period: p.period,
    series: p.series,
    rate: p.rate.kind === 'rate' ? p.rate.value : NaN,
  }));
  const withheld = points
    .filter((p) => p.rate.kind === 'suppressed')
    .map((p) => ({ period: p.period, series: p.series }));
  const chart = plot(
    {
      marginBottom: 50,
      height: 360,
      width: 760,
      x: { type: 'point', domain: periods, label: texts.quarter, tickRotate: -45 },
      y: { domain: [0, 1], tickFormat: '.0%', label: t.employment.rate, grid: true },
      color: { domain: series.map((s) => s.label), range: SERIES_COLOURS, legend: true },
      marks: [
        Plot.ruleX(withheld, { x: 'period', stroke: 'series', strokeOpacity: 0.3, strokeDasharray: '2,4' }),
        Plot.line(lines, { x: 'period', y: 'rate', z: 'series', stroke: 'series', strokeWidth: 2 }),
        Plot.dot(drawn, { x: 'period', y: 'rate', fill: 'series', r: 3 }),
        Plot.ruleY([0]),
      ],
    },
    texts.heading,
    texts.chart,
  );

  const head = [
    el('tr', {}, el('td', { class: 'corner' }), ...series.map((s) => th(s.label, 'colgroup', { colspan: '3' }))),
    el(
      'tr',
      {},
      th(texts.quarter, 'col'),
      ...series.flatMap(() => [
        th(t.employment.employed, 'col'),
        th(t.employment.inPathway, 'col'),
        th(t.employment.rate, 'col'),
      ]),
    ),
  ];
  const body = periods.map((p) =>
    el(
      'tr',
      {},
      th(p, 'row'),
      ...rateCells(
        points.filter((point) => point.period === p),
        table,
        t,
        lang,
      ),
    ),
  );
  const intro = period === 'quarter' ? texts.intro : `${texts.intro} ${t.employment.yearly.fallback}`;
  const element = section(
    'employment',
    texts.heading,
    intro,
    figure(chart, texts.chart, t),
    dataTable('employment-table', texts.caption, head, body),
  );
  element.dataset.level = period;
  return element;
}

// ── Competitive employment rate per partner and arm, per year (ACTIVITY_BY_YEAR) ─────────────────

export function partnerEmploymentSection({ t, lang, region, data }: SectionContext): HTMLElement {
  const table = new TableIndex(data.activityByYear);
  const texts = t.partnerEmployment;
  const partnerDimension = table.dimension('partner');
  const regions = region ? [region] : REGIONS;
  // Each region's partners, then the region's own line (its margin).
  const places = regions.flatMap((r) => [
    ...(partnerDimension.groups.find((g) => g.name === r)?.members ?? []).filter(
      (p) => !p.endsWith(':OUTSIDE_CATCHMENT'),
    ),
    r,
  ]);
  const placeLabel = (place: string) =>
    (REGIONS as readonly string[]).includes(place)
      ? `${table.label('partner', place)} — ${t.capacity.regionTotal}`
      : place;
  const years = table.dimension('year').members;
  const series = places.flatMap((place) => ARMS.map((arm) => ({ place, arm, label: `${place}|${arm}` })));
  const points = ratePoints(table, 'year', series);
  const partners = places.filter((place) => !(REGIONS as readonly string[]).includes(place));
  const armLabel = (arm: string) => table.label('arm', arm);
  // A series is labelled `place|arm` (above).
  const placeOf = (p: RatePoint) => p.series.split('|')[0] ?? '';
  const chartPoints = points.filter((p) => partners.includes(placeOf(p)));
  const datum = (p: RatePoint) => ({
    year: p.period,
    partner: placeOf(p),
    arm: armLabel(p.series.split('|')[1] ?? ''),
    rate: p.rate.kind === 'rate' ? p.rate.value : NaN,
  });
  const chart = plot(
    {
      marginLeft: 50,
      marginRight: 110,
      marginBottom: 40,
      width: 760,
      height: 60 + 110 * Math.max(partners.length, 1),
      x: { type: 'point', domain: years, label: texts.year },
      y: { domain: [0, 1], tickFormat: '.0%', label: t.employment.rate, grid: true, ticks: 3 },
      fy: { domain: partners, label: null },
      color: { domain: ARMS.map(armLabel), range: SERIES_COLOURS, legend: true },
      marks: [
        Plot.frame({ stroke: '#ccc' }),
        Plot.line(chartPoints.map(datum), {
          x: 'year',
          y: 'rate',
          z: 'arm',
          fy: 'partner',
          stroke: 'arm',
          strokeWidth: 2,
        }),
        Plot.dot(chartPoints.filter((p) => p.rate.kind === 'rate').map(datum), {
          x: 'year',
          y: 'rate',
          fy: 'partner',
          fill: 'arm',
          r: 3,
        }),
      ],
    },
    texts.heading,
    texts.chart,
  );
  const head = [
    el(
      'tr',
      {},
      el('td', { class: 'corner', colspan: '2' }),
      ...ARMS.map((arm) => th(armLabel(arm), 'colgroup', { colspan: '3' })),
    ),
    el(
      'tr',
      {},
      th(texts.year, 'col'),
      th(t.capacity.partner, 'col'),
      ...ARMS.flatMap(() => [
        th(t.employment.employed, 'col'),
        th(t.employment.inPathway, 'col'),
        th(t.employment.rate, 'col'),
      ]),
    ),
  ];
  const body = years.flatMap((year) =>
    places.map((place, index) =>
      el(
        'tr',
        {},
        ...(index === 0 ? [th(year, 'rowgroup', { rowspan: String(places.length) })] : []),
        th(placeLabel(place), 'row'),
        ...rateCells(
          points.filter((p) => p.period === year && p.series.startsWith(`${place}|`)),
          table,
          t,
          lang,
        ),
      ),
    ),
  );
  return section(
    'partner-employment',
    texts.heading,
    texts.intro,
    figure(chart, texts.chart, t),
    dataTable('partner-employment-table', texts.caption, head, body),
  );
}

// ── Caseload per job coach (coachCaseloads; IPS-25 caseload size) ──────────────────────────────

export function caseloadSection({ t, lang, data }: SectionContext): HTMLElement {
  const rows = data.coachCaseloads;
  const guideline = rows[0]?.guideline ?? 20;
  const coaches = rows.flatMap((row) => row.caseloads.map((caseload) => ({ partner: row.partner, caseload })));
  const largest = Math.max(guideline, ...coaches.map((c) => c.caseload));
  const chart = plot(
    {
      marginLeft: 110,
      marginTop: 30,
      marginBottom: 40,
      height: 90 + 40 * Math.max(rows.length, 1),
      x: { domain: [0, largest + 2], label: t.caseloads.caseloads, labelOffset: 34, grid: true },
      y: { domain: rows.map((row) => row.partner), label: null },
      r: { range: [3, 12] },
      marks: [
        Plot.dot(
          coaches,
          Plot.group({ r: 'count' }, { x: 'caseload', y: 'partner', fill: '#1f5fa8', fillOpacity: 0.8 }),
        ),
        Plot.ruleX([guideline], { stroke: '#b00020', strokeWidth: 2 }),
        Plot.text([guideline], {
          x: (d: number) => d,
          frameAnchor: 'top',
          text: () => `${t.caseloads.guideline} ${guideline}`,
          dy: -6,
          fill: '#b00020',
          textAnchor: 'middle',
        }),
      ],
    },
    t.caseloads.heading,
    t.caseloads.chart,
  );
  const head = [
    el(
      'tr',
      {},
      th(t.caseloads.partner, 'col'),
      th(t.caseloads.coaches, 'col'),
      th(t.caseloads.caseloads, 'col'),
      th(t.caseloads.overGuideline, 'col'),
    ),
  ];
  const n = numberFormat(lang);
  const body = rows.map((row) => {
    const list = el('td', { class: 'list' });
    if (row.caseloads.length === 0) list.textContent = t.caseloads.none;
    row.caseloads.forEach((caseload, index) => {
      if (index > 0) list.append(', ');
      list.append(el('span', { 'data-cell': `CASELOADS|${row.partner}|caseload|${index}` }, n.format(caseload)));
    });
    return el(
      'tr',
      {},
      th(row.partner, 'row'),
      el('td', { class: 'num', 'data-cell': `CASELOADS|${row.partner}|coaches` }, n.format(row.coaches)),
      list,
      el('td', { class: 'num', 'data-cell': `CASELOADS|${row.partner}|overGuideline` }, n.format(row.overGuideline)),
    );
  });
  return section(
    'caseloads',
    t.caseloads.heading,
    format(t.caseloads.intro, { guideline }),
    figure(chart, t.caseloads.chart, t),
    dataTable('caseloads-table', t.caseloads.caption, head, body),
  );
}

// ── Questionnaire completion per wave (QUESTIONNAIRES; R12) ───────────────────────────────────

export function questionnaireSection({ t, lang, region, data }: SectionContext): HTMLElement {
  const table = new TableIndex(data.questionnaires);
  const place = region ?? TOTAL;
  const waves = table.dimension('wave').members;
  const states = table.dimension('state').members;
  const key = (wave: string, state: string) => [place, TOTAL, wave, state];
  const grid = waves.flatMap((wave) =>
    states.map((state) => {
      const count = table.count(key(wave, state));
      return {
        wave: table.label('wave', wave),
        state: table.label('state', state),
        count: published(count),
        text: count.kind === 'published' ? numberFormat(lang).format(count.value) : shownWithheld(count, t),
      };
    }),
  );
  const chart = plot(
    {
      marginLeft: 130,
      marginBottom: 40,
      width: 720,
      height: 70 + 36 * waves.length,
      padding: 0.06,
      x: { domain: states.map((s) => table.label('state', s)), label: null, axis: 'top' },
      y: { domain: waves.map((w) => table.label('wave', w)), label: null },
      color: { type: 'linear', range: ['#eef4fb', '#7fa8d6'], legend: false },
      marks: [
        Plot.cell(
          grid.filter((g) => g.count !== undefined),
          { x: 'state', y: 'wave', fill: 'count' },
        ),
        Plot.cell(
          grid.filter((g) => g.count === undefined),
          { x: 'state', y: 'wave', fill: '#d9d9d9', stroke: '#555', strokeDasharray: '3,2' },
        ),
        Plot.text(grid, { x: 'state', y: 'wave', text: 'text', fill: '#1a1a1a' }),
      ],
    },
    t.questionnaires.heading,
    t.questionnaires.chart,
  );
  const head = [
    el(
      'tr',
      {},
      th(t.questionnaires.wave, 'col'),
      ...states.map((s) => th(table.label('state', s), 'col')),
      th(t.total, 'col'),
      th(t.questionnaires.completion, 'col'),
    ),
  ];
  const row = (wave: string, label: string) => {
    const completed = table.count(key(wave, 'COMPLETED'));
    const missed = table.count(key(wave, 'MISSED'));
    // Completion among closed waves: completed / (completed + missed); withheld if either is.
    const closed: Count =
      completed.kind === 'published' && missed.kind === 'published'
        ? { kind: 'published', value: completed.value + missed.value }
        : { kind: 'absent' };
    return el(
      'tr',
      {},
      th(label, 'row'),
      ...[...states, TOTAL].map((state) =>
        countElement('td', table.count(key(wave, state)), table.name(key(wave, state)), t, lang),
      ),
      rateElement(
        rateOf(completed, closed),
        [table.name(key(wave, 'COMPLETED')), table.name(key(wave, 'MISSED'))],
        t,
        lang,
      ),
    );
  };
  const body = [...waves.map((wave) => row(wave, table.label('wave', wave))), row(TOTAL, t.questionnaires.total)];
  return section(
    'questionnaires',
    t.questionnaires.heading,
    t.questionnaires.intro,
    figure(chart, t.questionnaires.chart, t),
    dataTable('questionnaires-table', t.questionnaires.caption, head, body),
  );
}

// ── Fidelity bands per team (teamFidelity; IPS-25) ─────────────────────────────────────────────

const BANDS = [
  { band: 'NOT_IPS', from: 25, to: 74, fill: '#f4d6d6' },
  { band: 'FAIR', from: 74, to: 100, fill: '#f8ebc8' },
  { band: 'GOOD', from: 100, to: 115, fill: '#d7ead3' },
  { band: 'EXEMPLARY', from: 115, to: 125, fill: '#c6e0c0' },
] as const;

export function fidelitySection({ t, lang, data, vocabulary }: SectionContext): HTMLElement {
  const rows = data.teamFidelity;
  const reviewed = rows.filter((row) => row.total !== null);
  const chart = plot(
    {
      marginLeft: 110,
      marginTop: 40,
      marginBottom: 40,
      height: 100 + 40 * Math.max(rows.length, 1),
      x: { domain: [25, 125], label: t.fidelity.total, labelOffset: 34, grid: true },
      y: { domain: rows.map((row) => row.team), label: null },
      marks: [
        Plot.rectX(BANDS, { x1: 'from', x2: 'to', fill: 'fill' }),
        Plot.text(BANDS, {
          x: (b: (typeof BANDS)[number]) => (b.from + b.to) / 2,
          frameAnchor: 'top',
          text: (b: (typeof BANDS)[number]) => vocabulary('FidelityBand', b.band),
          dy: -10,
          fill: '#1a1a1a',
          fontSize: 11,
          lineWidth: 7,
          lineAnchor: 'bottom',
        }),
        Plot.barX(reviewed, { x1: 25, x2: 'total', y: 'team', fill: '#1f5fa8', insetTop: 8, insetBottom: 8 }),
        Plot.text(reviewed, {
          x: 'total',
          y: 'team',
          text: (d: (typeof rows)[number]) => String(d.total),
          textAnchor: 'start',
          dx: 4,
          fill: '#1a1a1a',
        }),
        Plot.text(
          rows.filter((row) => row.total === null),
          { x: 25, y: 'team', text: () => t.fidelity.notReviewed, textAnchor: 'start', dx: 4, fill: '#1a1a1a' },
        ),
      ],
    },
    t.fidelity.heading,
    t.fidelity.chart,
  );
  const dates = new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : `${lang}-BE`, { dateStyle: 'long', timeZone: 'UTC' });
  const head = [
    el(
      'tr',
      {},
      th(t.fidelity.team, 'col'),
      th(t.region, 'col'),
      th(t.fidelity.reviewedOn, 'col'),
      th(t.fidelity.total, 'col'),
      th(t.fidelity.band, 'col'),
    ),
  ];
  const body = rows.map((row) =>
    el(
      'tr',
      {},
      th(row.team, 'row'),
      el('td', {}, vocabulary('Region', row.region)),
      el(
        'td',
        {},
        row.reviewedOn
          ? el('time', { datetime: row.reviewedOn }, dates.format(new Date(`${row.reviewedOn}T00:00:00Z`)))
          : t.fidelity.notReviewed,
      ),
      el(
        'td',
        { class: 'num', 'data-cell': `FIDELITY|${row.team}|total` },
        row.total === null ? t.fidelity.notReviewed : numberFormat(lang).format(row.total),
      ),
      el(
        'td',
        { 'data-cell': `FIDELITY|${row.team}|band`, 'data-band': row.band ?? '' },
        row.band ? vocabulary('FidelityBand', row.band) : t.fidelity.notReviewed,
      ),
    ),
  );
  return section(
    'fidelity',
    t.fidelity.heading,
    t.fidelity.intro,
    figure(chart, t.fidelity.chart, t),
    dataTable('fidelity-table', t.fidelity.caption, head, body),
  );
}
