/**
 * How much of the integrators' dashboard is numbers: per view (the whole pilot, then each region) and
 * per section, the cells the page shows (`data-cell`) that are published numbers, withheld as small
 * (`data-suppressed="primary"`), withheld to protect another count (`complementary`), withheld with
 * no cell behind them (`withheld`), and published with the cell key method's noise (`data-perturbed`,
 * counted among the numbers). Counted in the real page in Chromium (playwright-core, Debian's
 * /usr/bin/chromium) against the platform booted on the demo data (the pilot's size), as an
 * integrator. Rates (`data-rate`) are not cells: they follow their parts. Per view, ALL SECTIONS sums
 * every cell; CONTROLLED only the disclosure-controlled ones (the published tables and the CONSORT
 * flow), without the conventions' capacities, the staff caseloads and the teams' fidelity, which
 * are published as they are.
 *
 *   npm run bench:dashboard-coverage            (LANG=en by default)
 */
import { chromium } from 'playwright-core';
import { signCallerToken } from '../gateway/identity.js';
import { startPlatform } from '../platform/launcher.js';
import type { Identity } from '../schema/identity.js';
import { benchDatabase } from './database.js';

const CHROMIUM = '/usr/bin/chromium';
const LANGUAGE = process.env.LANG_VIEW ?? 'en';
const VIEWS: readonly (string | null)[] = [null, 'FLANDERS', 'WALLONIA', 'BRUSSELS'];
const INTEGRATOR: Identity = { role: 'INTEGRATOR', organisation: 'INTEGRATOR-BENCH', subject: 'integrator-bench' };

interface SectionCount {
  section: string;
  cells: number;
  numbers: number;
  perturbed: number;
  primary: number;
  complementary: number;
  withheld: number;
}

const { database, databaseUrls, migrationUrl, keys } = await benchDatabase();
// The first computation of the published tables may outlast a request's usual 15 s on a busy machine.
const platform = await startPlatform({
  databaseUrls,
  migrationUrl,
  callerPublicKey: keys.caller.publicKey,
  gateway: keys.gateway,
  gatewayPort: 0,
  seedDemo: true,
  subgraphTimeoutMs: 300_000,
});
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-gpu',
    '--no-first-run',
  ],
});
try {
  const token = await signCallerToken(INTEGRATOR, keys.caller.privateKey, '2h');
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const rows: { view: string; counts: SectionCount[] }[] = [];
  for (const region of VIEWS) {
    const page = await context.newPage();
    const query = new URLSearchParams({ lang: LANGUAGE, ...(region ? { region } : {}) });
    await page.goto(`${platform.gateway.url}dashboard/?${query.toString()}#token=${encodeURIComponent(token)}`);
    await page.waitForSelector('main[aria-busy="false"] #consort', { timeout: 300_000 });
    const alert = await page.evaluate<string | null>(
      `document.getElementById('alert')?.hidden === false ? document.getElementById('alert').textContent : null`,
    );
    if (alert) throw new Error(`the ${region ?? 'whole pilot'} view says: ${alert}`);
    const counts = await page.evaluate<
      SectionCount[]
    >(`[...document.querySelectorAll('main section.panel[id]'), document.querySelector('main')].map((section) => {
      const every = [...section.querySelectorAll('[data-cell]')];
      // The last "section" is the whole page's disclosure-controlled cells.
      const cells = section.tagName === 'MAIN' ? every.filter((c) => /^(REFERRALS|ACTIVITY|ACTIVITY_BY_YEAR|QUESTIONNAIRES|ENDINGS|CONSORT)[|]/.test(c.dataset.cell)) : every;
      const withheld = (kind) => cells.filter((c) => c.dataset.suppressed === kind).length;
      return {
        section: section.tagName === 'MAIN' ? 'CONTROLLED' : section.id,
        cells: cells.length,
        numbers: cells.filter((c) => c.dataset.suppressed === undefined).length,
        perturbed: cells.filter((c) => c.dataset.perturbed === 'true').length,
        primary: withheld('primary'),
        complementary: withheld('complementary'),
        withheld: withheld('withheld'),
      };
    })`);
    rows.push({ view: region ?? 'ALL REGIONS', counts });
    await page.close();
  }

  const percent = (part: number, whole: number) => (whole === 0 ? '–' : `${((100 * part) / whole).toFixed(1)} %`);
  const header = [
    'view',
    'section',
    'cells',
    'numbers',
    'numbers %',
    'perturbed',
    'primary',
    'complementary',
    'withheld (no cell)',
  ];
  const lines: string[][] = [];
  for (const { view, counts: all } of rows) {
    const controlled = all.at(-1)!;
    const counts = all.slice(0, -1);
    const total = counts.reduce<SectionCount>(
      (sum, c) => ({
        section: 'ALL SECTIONS',
        cells: sum.cells + c.cells,
        numbers: sum.numbers + c.numbers,
        perturbed: sum.perturbed + c.perturbed,
        primary: sum.primary + c.primary,
        complementary: sum.complementary + c.complementary,
        withheld: sum.withheld + c.withheld,
      }),
      { section: 'ALL SECTIONS', cells: 0, numbers: 0, perturbed: 0, primary: 0, complementary: 0, withheld: 0 },
    );
    for (const c of [...counts, total, controlled]) {
      lines.push([
        view,
        c.section,
        String(c.cells),
        String(c.numbers),
        percent(c.numbers, c.cells),
        String(c.perturbed),
        String(c.primary),
        String(c.complementary),
        String(c.withheld),
      ]);
    }
  }
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((line) => line[i]!.length)));
  const format = (line: string[]) =>
    line.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  console.log(
    `Dashboard cells (data-cell) on the demo, as an integrator, language ${LANGUAGE}: numbers (perturbed among them) vs withheld, per view and section`,
  );
  console.log(format(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const line of lines) console.log(format(line));
} finally {
  await browser.close();
  await platform.stop();
  await database.stop();
}
