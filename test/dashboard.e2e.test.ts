/**
 * The integrators' reference regional dashboard in a real browser — Debian's
 * Chromium driven by playwright-core, never a downloaded browser — on the demo data, which yields
 * both published counts and withheld cells (schema/policy.ts DISCLOSURE_CONTROL, R18, R19):
 * every number the page shows equals the graph's aggregate for the same filters, a withheld cell is
 * shown as withheld and why — « n < 5 » only when the graph says it is small (PRIMARY), a complement
 * as withheld to protect another count, the CONSORT boxes too — never as 0, the page switches language (its own texts, `<html lang>` and the
 * graph's labels), the controls are reachable with the keyboard, and axe-core finds no serious or
 * critical violation. Screenshots go to test/artifacts/ (gitignored).
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { DISCLOSURE_CONTROL } from '../schema/policy.js';
import { DEFAULT_IDENTITY, patiently, startTestPlatform, type TestPlatform } from './harness.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(process.cwd(), 'test', 'artifacts');
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

type Lang = 'fr' | 'nl' | 'en';
interface Cell {
  key: string[];
  count: number | null;
  suppression: 'NONE' | 'PRIMARY' | 'COMPLEMENTARY';
  perturbed: boolean;
}
interface Table {
  measure: string;
  dimensions: { name: string; members: string[]; labels: string[] }[];
  cells: Cell[];
}
interface ConsortArm {
  arm: string;
  allocated: number | null;
  received: number | null;
  notReceived: number | null;
  lostToFollowUp: { wave: number; lost: number | null }[];
  discontinued: number | null;
  withdrawn: number | null;
  analysed: number | null;
}
type Consort = Record<string, number | null> & {
  unmetConditions: { condition: string; count: number | null }[];
  arms: ConsortArm[];
  counts: { path: string; count: number | null; suppression: Cell['suppression']; perturbed: boolean }[];
};
interface Aggregates {
  conventions: { code: string; region: string; partnerPathways: number }[];
  referrals: Table;
  activity: Table;
  activityByYear: Table;
  questionnaires: Table;
  coachCaseloads: { partner: string; coaches: number; caseloads: number[]; overGuideline: number }[];
  teamFidelity: { team: string; total: number | null; band: string | null }[];
  consortFlow: Consort;
}

/** The graph's aggregates, asked for independently of the page's own operation. */
const AGGREGATES = `query($region: Region) {
  conventions(region: $region) { code region partnerPathways }
  referrals: pilotAggregates(measure: REFERRALS, region: $region) { measure dimensions { name members labels } cells { key count suppression perturbed } }
  activity: pilotAggregates(measure: ACTIVITY, region: $region) { measure dimensions { name members labels } cells { key count suppression perturbed } }
  activityByYear: pilotAggregates(measure: ACTIVITY_BY_YEAR, region: $region) { measure dimensions { name members labels } cells { key count suppression perturbed } }
  questionnaires: pilotAggregates(measure: QUESTIONNAIRES, region: $region) { measure dimensions { name members labels } cells { key count suppression perturbed } }
  coachCaseloads(region: $region) { partner coaches caseloads overGuideline }
  teamFidelity(region: $region) { team total band }
  consortFlow(region: $region) {
    assessed notReferred declined referred notRegistered registered notRandomised randomised
    unmetConditions { condition count }
    arms { arm allocated received notReceived lostToFollowUp { wave lost } discontinued withdrawn analysed }
    counts { path count suppression perturbed }
  }
}`;

/** The page's title and the withheld marker in each language (web/dashboard/i18n.ts). */
const PAGE_TEXTS: Record<
  Lang,
  { title: string; suppressed: string; primary: string; complementary: string; unauthenticated: RegExp }
> = {
  fr: {
    title: 'Projet pilote IPS — tableau de bord régional',
    suppressed: 'masqué',
    primary: 'masqué (n < 5)',
    complementary: 'masqué (pour protéger un autre effectif)',
    unauthenticated: /jeton a été refusé/,
  },
  nl: {
    title: 'IPS-pilootproject — regionaal dashboard',
    suppressed: 'afgeschermd',
    primary: 'afgeschermd (n < 5)',
    complementary: 'afgeschermd (om een ander aantal te beschermen)',
    unauthenticated: /token werd geweigerd/,
  },
  en: {
    title: 'IPS pilot — regional dashboard',
    suppressed: 'withheld',
    primary: 'withheld (n < 5)',
    complementary: 'withheld (to protect another count)',
    unauthenticated: /token was refused/,
  },
};

let graph: TestPlatform;
let browser: Browser;
// Waits go through locators: a string predicate (page.waitForFunction) is evaluated in the page each time it
// polls, which the page's CSP (no 'unsafe-eval') refuses as soon as the first check is not already true.
let context: BrowserContext;
let token: string;
let dashboardUrl: string;
const pageErrors: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does it)`);
  mkdirSync(ARTIFACTS, { recursive: true });
  // The first computation of the six snapshots (one after the other) can pass the gateway's 15 s on a
  // 2-core machine busy with other test files; a running platform computes them once, then serves them.
  graph = await startTestPlatform({ seedDemo: true, subgraphTimeoutMs: 90_000 });
  token = await graph.tokenFor(DEFAULT_IDENTITY.INTEGRATOR);
  // The graph suppresses each table once per state of the data, in the background (kit/data-version.ts):
  // waited for here, as a running platform would have done, so that a page's time is its own.
  await graph.snapshotsCurrent();
  await aggregates(null, 'en');
  dashboardUrl = `${graph.platform.gateway.url}dashboard/`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
  // The page runs under the gateway's Content-Security-Policy here: a blocked script or request fails the test.
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await graph?.stop();
});

/** Opens the dashboard with the token in the URL's fragment and waits until its figures are drawn. */
async function open(query: string, on: BrowserContext = context): Promise<Page> {
  const page = await on.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });
  page.on('response', (response) => {
    if (response.status() >= 400) pageErrors.push(`${response.status()} ${response.url()}`);
  });
  await page.goto(`${dashboardUrl}?${query}#token=${encodeURIComponent(token)}`);
  await loaded(page);
  expect(page.url()).not.toContain('token='); // taken out of the address bar at once
  return page;
}

async function loaded(page: Page): Promise<void> {
  await page.waitForSelector('main[aria-busy="false"] #consort', { timeout: 30_000 });
}

async function aggregates(region: string | null, lang: Lang): Promise<Aggregates> {
  // While the tables' first snapshots are computed, one at a time, the pool may be busy: asked again, as a client does.
  const response = await patiently(() =>
    graph.query<Aggregates>(DEFAULT_IDENTITY.INTEGRATOR, AGGREGATES, { region }, { 'accept-language': lang }),
  );
  expect(response.errors).toBeUndefined();
  return response.data!;
}

interface Shown {
  cell: string;
  text: string;
  suppressed: string | null;
  perturbed: boolean;
}

async function shownCells(page: Page): Promise<Shown[]> {
  return page.evaluate<Shown[]>(
    `[...document.querySelectorAll('[data-cell]')].map((e) => ({ cell: e.dataset.cell, text: e.textContent, suppressed: e.dataset.suppressed ?? null, perturbed: e.dataset.perturbed === 'true' }))`,
  );
}

async function shownRates(
  page: Page,
): Promise<{ parts: string[]; text: string; suppressed: string | null; none: boolean }[]> {
  return page.evaluate(
    `[...document.querySelectorAll('[data-rate]')].map((e) => ({ parts: e.dataset.rate.split(';'), text: e.textContent, suppressed: e.dataset.suppressed ?? null, none: e.dataset.none === 'true' }))`,
  );
}

const integer = (text: string) => Number(text.replace(/[^\d]/g, ''));

const indexes = new WeakMap<Table, Map<string, Cell>>();
function cellsByKey(table: Table): Map<string, Cell> {
  let index = indexes.get(table);
  if (!index) indexes.set(table, (index = new Map(table.cells.map((c) => [c.key.join('|'), c]))));
  return index;
}

/** The graph's value behind a `data-cell` name: a count (null when withheld) and, for a published table, why it is withheld. */
function graphValue(
  data: Aggregates,
  name: string,
): { count: number | null; suppression?: Cell['suppression']; perturbed?: boolean; text?: string } {
  const [source, ...key] = name.split('|');
  const tables: Record<string, Table> = {
    REFERRALS: data.referrals,
    ACTIVITY: data.activity,
    ACTIVITY_BY_YEAR: data.activityByYear,
    QUESTIONNAIRES: data.questionnaires,
  };
  const table = tables[source!];
  if (table) {
    const cell = cellsByKey(table).get(key.join('|'));
    if (!cell) throw new Error(`the page shows ${name}, which the graph's slice does not hold`);
    return { count: cell.count, suppression: cell.suppression, perturbed: cell.perturbed };
  }
  switch (source) {
    case 'CONVENTIONS': {
      const [codeOrRegion] = key;
      const own = data.conventions.filter((c) => c.code === codeOrRegion || c.region === codeOrRegion);
      return { count: own.reduce((sum, c) => sum + c.partnerPathways, 0) };
    }
    case 'CASELOADS': {
      const row = data.coachCaseloads.find((r) => r.partner === key[0])!;
      if (key[1] === 'caseload') return { count: row.caseloads[Number(key[2])]! };
      return { count: key[1] === 'coaches' ? row.coaches : row.overGuideline };
    }
    case 'FIDELITY': {
      const row = data.teamFidelity.find((r) => r.team === key[0])!;
      return key[1] === 'total' ? { count: row.total } : { count: null, text: row.band ?? '' };
    }
    case 'CONSORT': {
      const flow = data.consortFlow;
      // The box's count in ConsortFlow.counts, which says why it is withheld.
      const path =
        key[0] === 'unmet'
          ? `unmetConditions.${key[1]}`
          : key[0] === 'notReferred'
            ? 'excluded'
            : key[1] === 'lost'
              ? `arms.${key[0]}.lostByWave.${key[2]}`
              : key.length === 2
                ? `arms.${key[0]}.${key[1]}`
                : key[0]!;
      const counted = flow.counts.find((c) => c.path === path);
      if (!counted) throw new Error(`the page shows ${name}, which ConsortFlow.counts does not hold (${path})`);
      let count: number | null;
      if (key[0] === 'unmet') count = flow.unmetConditions.find((u) => u.condition === key[1])!.count;
      else {
        const arm = flow.arms.find((a) => a.arm === key[0]);
        if (!arm) count = flow[key[0]!] as number | null;
        else if (key[1] === 'lost') count = arm.lostToFollowUp.find((l) => l.wave === Number(key[2]))!.lost;
        else count = arm[key[1] as 'allocated'];
      }
      expect({ name, count: counted.count }).toEqual({ name, count }); // one flow, told twice alike
      return { count, suppression: counted.suppression, perturbed: counted.perturbed };
    }
    default:
      throw new Error(`unknown data-cell source in ${name}`);
  }
}

/** Every number on the page against the graph; returns how many published and withheld cells were compared. */
async function expectPageEqualsGraph(
  page: Page,
  region: string | null,
  lang: Lang,
): Promise<{ published: number; withheld: Record<string, number> }> {
  const data = await aggregates(region, lang);
  const shown = await shownCells(page);
  const withheld: Record<string, number> = {};
  let published = 0;
  for (const { cell, text, suppressed, perturbed } of shown) {
    const truth = graphValue(data, cell);
    if (truth.text !== undefined) {
      expect({ cell, band: await page.getAttribute(`[data-cell="${cell}"]`, 'data-band') }).toEqual({
        cell,
        band: truth.text,
      });
      continue;
    }
    if (truth.count === null && cell.startsWith('FIDELITY|')) continue; // a team not reviewed yet: not a count
    if (truth.count === null) {
      // Withheld: why, in the page's language — « n < 5 » only for a count the graph says is small — never a zero.
      const why = (truth.suppression ?? 'WITHHELD').toLowerCase();
      const words =
        why === 'primary'
          ? PAGE_TEXTS[lang].primary
          : why === 'complementary'
            ? PAGE_TEXTS[lang].complementary
            : PAGE_TEXTS[lang].suppressed;
      expect({ cell, suppressed, text: text.replace(/\*$/, '') }).toEqual({ cell, suppressed: why, text: words });
      withheld[suppressed!] = (withheld[suppressed!] ?? 0) + 1;
    } else {
      expect({ cell, suppressed, perturbed, count: integer(text) }).toEqual({
        cell,
        suppressed: null,
        perturbed: truth.perturbed ?? false,
        count: truth.count,
      });
      if (truth.count >= 5) published++;
    }
  }
  // A rate with a withheld part is withheld; otherwise it is the parts' share.
  const byName = new Map(shown.map((s) => [s.cell, s]));
  for (const rate of await shownRates(page)) {
    const parts = rate.parts.map((name) => graphValue(data, name).count);
    const partWithheld = parts.some((p) => p === null);
    expect({ parts: rate.parts, withheld: rate.suppressed !== null }).toEqual({
      parts: rate.parts,
      withheld: partWithheld,
    });
    if (partWithheld || rate.none) continue;
    const [a, b] = parts as number[];
    // Questionnaire completion: completed / (completed + missed); elsewhere numerator / denominator.
    const share = rate.parts[1]!.endsWith('|MISSED') ? a! / (a! + b!) : a! / b!;
    const percent = Number(rate.text.replace(/[^\d,.]/g, '').replace(',', '.'));
    expect({ parts: rate.parts, percent: Math.round(percent * 10) }).toEqual({
      parts: rate.parts,
      percent: Math.round(share * 1000),
    });
    for (const name of rate.parts) if (byName.has(name)) expect(byName.get(name)!.suppressed).toBeNull();
  }
  return { published, withheld };
}

it("shows Wallonia's figures exactly as the graph publishes them, withheld cells as withheld (French)", async () => {
  const page = await open('lang=fr&region=WALLONIA');
  expect(await page.getAttribute('html', 'lang')).toBe('fr');
  expect(await page.inputValue('#region')).toBe('WALLONIA');
  const { published, withheld } = await expectPageEqualsGraph(page, 'WALLONIA', 'fr');
  expect(published).toBeGreaterThan(0);
  if (DISCLOSURE_CONTROL.method === 'CELL_KEY') {
    // Every cell of the tables published (perturbed): none withheld, small or complementary.
    expect(withheld).toEqual({});
  } else {
    expect(withheld.complementary ?? 0).toBeGreaterThan(0);
    expect(withheld.primary ?? 0).toBeGreaterThan(0);
  }
  // No other region's partner on a Walloon view.
  const cells = (await shownCells(page)).map((s) => s.cell);
  expect(cells.some((c) => c.startsWith('REFERRALS|VDAB-GTB') || c.startsWith('CASELOADS|EQUIPE-MASS'))).toBe(false);
  await page.screenshot({ path: join(ARTIFACTS, 'dashboard-fr.png'), fullPage: true });
  await page.close();
});

it('shows the whole pilot exactly as the graph publishes it (English, no region)', async () => {
  const page = await open('lang=en');
  expect(await page.inputValue('#region')).toBe('');
  const { published, withheld } = await expectPageEqualsGraph(page, null, 'en');
  expect(published).toBeGreaterThan(0);
  if (DISCLOSURE_CONTROL.method === 'CELL_KEY') expect(withheld).toEqual({});
  else {
    expect(withheld.primary).toBeGreaterThan(0);
    expect(withheld.complementary).toBeGreaterThan(0);
  }
  // Quarters published: the employment view at its finest level; beside it, every partner and arm per year.
  expect(await page.getAttribute('#employment', 'data-level')).toBe('quarter');
  expect((await shownCells(page)).filter((c) => c.cell.startsWith('ACTIVITY_BY_YEAR|')).length).toBeGreaterThan(0);
  // The region filter reloads the page's figures for the region and puts it in the URL.
  await page.selectOption('#region', 'BRUSSELS');
  await loaded(page);
  await page.locator('[data-cell^="CASELOADS|EQUIPE-MASS"]').first().waitFor({ state: 'attached' });
  await page.locator('[data-cell^="CASELOADS|VDAB-GTB"]').first().waitFor({ state: 'detached' });
  expect(new URL(page.url()).searchParams.get('region')).toBe('BRUSSELS');
  await expectPageEqualsGraph(page, 'BRUSSELS', 'en');
  await page.close();
});

it("switches language: the page's texts, <html lang>, the URL and the graph's labels (FR → NL → EN)", async () => {
  const page = await open('lang=fr&region=WALLONIA');
  for (const lang of ['fr', 'nl', 'en'] as const) {
    if (lang !== 'fr') {
      await page.selectOption('#language', lang);
      await page.locator(`html[lang="${lang}"]`).waitFor({ state: 'attached' });
      await loaded(page);
    }
    const data = await aggregates('WALLONIA', lang);
    const armLabel = data.activity.dimensions.find((d) => d.name === 'arm')!.labels[0]!;
    const stateLabel = data.questionnaires.dimensions.find((d) => d.name === 'state')!.labels[0]!;
    await page.locator('#employment-table thead', { hasText: armLabel }).waitFor({ state: 'attached' });
    expect(await page.textContent('h1')).toBe(PAGE_TEXTS[lang].title);
    expect(await page.title()).toBe(PAGE_TEXTS[lang].title);
    expect(await page.getAttribute('html', 'lang')).toBe(lang);
    expect(new URL(page.url()).searchParams.get('lang')).toBe(lang);
    expect(await page.textContent('#questionnaires-table thead')).toContain(stateLabel);
    expect(await page.textContent('#notes')).toContain(PAGE_TEXTS[lang].suppressed);
    await page.screenshot({ path: join(ARTIFACTS, `dashboard-${lang}.png`), fullPage: true });
  }
  await page.close();
});

it.each(['en', 'fr', 'nl'] as const)(
  'draws every CONSORT box as what it is (%s): perturbed as perturbed, « n < 5 » only for a withheld small count, a complement as withheld to protect another count',
  async (lang) => {
    const page = await open(`lang=${lang}`);
    const data = await aggregates(null, lang);
    const boxes = (await shownCells(page)).filter((shown) => shown.cell.startsWith('CONSORT|'));
    const withheld = boxes.filter((box) => box.suppressed !== null);
    if (DISCLOSURE_CONTROL.method === 'CELL_KEY') {
      // The method in force withholds nothing: every box a number, marked as perturbed.
      expect({
        withheld: withheld.length,
        unmarked: boxes.filter((box) => !box.perturbed).map((box) => box.cell),
      }).toEqual({ withheld: 0, unmarked: [] });
      expect(boxes.length).toBeGreaterThan(0);
      await page.close();
      return;
    }
    expect(withheld.length).toBeGreaterThan(0);
    for (const box of withheld) {
      const why = graphValue(data, box.cell).suppression;
      // Every box the graph withholds says why: never a bare « withheld », never « n < 5 » for a complement.
      expect({ cell: box.cell, suppressed: box.suppressed }).toEqual({
        cell: box.cell,
        suppressed: why?.toLowerCase(),
      });
      expect({ cell: box.cell, text: box.text.replace(/\*$/, '') }).toEqual({
        cell: box.cell,
        text: why === 'PRIMARY' ? PAGE_TEXTS[lang].primary : PAGE_TEXTS[lang].complementary,
      });
    }
    expect(withheld.some((box) => box.suppressed === 'complementary')).toBe(true);
    await page.close();
  },
);

it.each(['en', 'fr', 'nl'] as const)(
  "falls back to the year, and says so, where too many of a view's quarters are withheld to read (%s)",
  async (lang) => {
    // The graph's answer as a method that withholds small quarters would give it (the policy's own method
    // publishes them all): every quarter's count of people with a competitive job withheld to protect another.
    const page = await context.newPage();
    await page.route('**/graphql', async (route) => {
      const response = await route.fetch();
      const body = (await response.json()) as { data?: { activity?: Table } };
      for (const cell of body.data?.activity?.cells ?? [])
        if (cell.key[3] === 'COMPETITIVE_JOB')
          Object.assign(cell, { count: null, suppression: 'COMPLEMENTARY', perturbed: false });
      await route.fulfill({ response, json: body });
    });
    await page.goto(`${dashboardUrl}?lang=${lang}&region=WALLONIA#token=${encodeURIComponent(token)}`);
    await loaded(page);
    expect(await page.getAttribute('#employment', 'data-level')).toBe('year');
    const shown = (await shownCells(page)).filter((c) => c.cell.startsWith('ACTIVITY'));
    // No quarter on the page: the view is drawn from the yearly table, every number of it the graph's.
    expect(shown.filter((c) => c.cell.startsWith('ACTIVITY|'))).toEqual([]);
    expect(shown.every((c) => c.suppressed === null)).toBe(true);
    expect(await page.textContent('#employment p')).toContain(
      { en: 'Shown per year', fr: 'Présenté par année', nl: 'Per jaar getoond' }[lang],
    );
    await expectPageEqualsGraph(page, 'WALLONIA', lang);
    await page.screenshot({ path: join(ARTIFACTS, `dashboard-year-fallback-${lang}.png`), fullPage: true });
    await page.close();
  },
);

it('on a first start, says the figures are being computed and draws them once they are, without a reload', async () => {
  // A first start: one published table has no snapshot yet, and its computation's store is held back
  // (a table lock that lets reads through): the graph answers UNAVAILABLE, retryable after a few seconds.
  const admin = await graph.ownerConnection();
  try {
    await admin.query(`delete from research.aggregate_snapshot where key = 'table:QUESTIONNAIRES'`);
    await admin.query('begin');
    await admin.query('lock table research.aggregate_snapshot in exclusive mode');
    const page = await context.newPage();
    await page.goto(`${dashboardUrl}?lang=fr&region=WALLONIA#token=${encodeURIComponent(token)}`);
    await page.locator('#status', { hasText: 'en cours de calcul' }).waitFor({ state: 'attached', timeout: 30_000 });
    expect(await page.getAttribute('main', 'aria-busy')).toBe('true'); // nothing drawn half, no error shown
    expect(await page.isHidden('#alert')).toBe(true);
    await admin.query('commit'); // the computation stores its snapshots; the page asks again as the graph said
    await loaded(page);
    await graph.snapshotsCurrent();
    await expectPageEqualsGraph(page, 'WALLONIA', 'fr');
    await page.close();
  } finally {
    await admin.query('rollback').catch(() => undefined);
    admin.release();
  }
});

it('is usable with the keyboard: a skip link first, then the language and region selects', async () => {
  const page = await open('lang=en&region=WALLONIA');
  await page.evaluate('document.activeElement?.blur()');
  const reached: string[] = [];
  for (let i = 0; i < 6 && !(reached.includes('language') && reached.includes('region')); i++) {
    await page.keyboard.press('Tab');
    reached.push(await page.evaluate<string>(`document.activeElement?.id || document.activeElement?.tagName || ''`));
  }
  expect(reached[0]).toBe('skip');
  expect(reached).toEqual(expect.arrayContaining(['language', 'region']));
  // The selects are driven from the keyboard too.
  await page.focus('#region');
  await page.keyboard.press('ArrowDown'); // WALLONIA → BRUSSELS
  await page.waitForURL((url) => url.searchParams.get('region') === 'BRUSSELS');
  await loaded(page);
  // The skip link moves focus to the dashboard.
  await page.focus('#skip');
  await page.keyboard.press('Enter');
  expect(await page.evaluate<string>('document.activeElement?.id')).toBe('main');
  await page.close();
});

it('asks for a token when there is none and tells a refused one in the page language', async () => {
  const fresh = await browser.newContext();
  const page = await fresh.newPage();
  await page.goto(`${dashboardUrl}?lang=nl`);
  await page.waitForSelector('#sign-in');
  expect(await page.getAttribute('#token', 'type')).toBe('password');
  expect(await page.textContent('label[for="token"]')).toBe('Toegangstoken');
  await page.fill('#token', 'not-a-token');
  await page.click('#sign-in button[type="submit"]');
  await page.waitForSelector('[role="alert"]:not([hidden])');
  expect(await page.textContent('[role="alert"]')).toMatch(PAGE_TEXTS.nl.unauthenticated);
  await page.waitForSelector('#sign-in');
  await fresh.close();
});

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; failure?: string }[];
}

it('has no serious or critical accessibility violation (axe-core)', async () => {
  // axe is injected as an inline script, which the page's CSP forbids: this context bypasses it for the scan only.
  const scanning = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
  const page = await open('lang=fr', scanning); // the whole pilot: every region's series, withheld cells, the CONSORT boxes
  await page.addScriptTag({ content: AXE_SOURCE });
  const violations = await page.evaluate<Violation[]>(
    `axe.run(document, { resultTypes: ['violations'] }).then((result) => result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target, failure: n.failureSummary })) })))`,
  );
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (serious.length > 0) console.log(`axe:\n${JSON.stringify(serious, null, 2)}`);
  expect(serious).toEqual([]);
  await scanning.close();
});

it('raised no script error and no Content-Security-Policy refusal in any view above', () => {
  expect(pageErrors).toEqual([]);
});
