/**
 * A partner's claim of a month as a page (R17), in a real browser — Debian's Chromium driven by
 * playwright-core, never a downloaded browser — through the gateway with each actor's own token:
 * - a claim seeded through the graph (submitted, one line approved, one rejected with a reason, a
 *   credit note, a payment) is shown to the partner's supervisor in French, Dutch and English with
 *   every amount equal to the graph's, written as Belgium writes euros in that language; its status,
 *   decisions and reason too; axe-core finds no serious or critical violation; on paper (print media)
 *   the controls are gone and Chromium's PDF is a non-empty document;
 * - another partner's supervisor, a coach and an integrator see no claim, told exactly as a month
 *   without one;
 * - INAMI's CSV of the month (and of its quarter) holds a row per line, credit note line and payment
 *   with the claim's amounts, read back by a CSV parser; a reason starting with '=' is neutralised;
 *   any other role gets the answer of a missing export.
 * Screenshots and the PDF go to test/artifacts/ (gitignored).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { Identity } from '../schema/identity.js';
import { CONVENTION_IDS, newKey } from './fixtures.js';
import { DEFAULT_IDENTITY, startTestPlatform, type TestPlatform } from './harness.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(process.cwd(), 'test', 'artifacts');
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const LANGS = ['fr', 'nl', 'en'] as const;
type Lang = (typeof LANGS)[number];

const AGENT: Identity = { role: 'INAMI', organisation: 'INAMI', subject: 'claim-page-agent' };
const SUPERVISOR_A23: Identity = { role: 'SUPERVISOR', organisation: 'ARTICLE-23', subject: 'claim-page-supervisor' };
const SUPERVISOR_ISPPC: Identity = { role: 'SUPERVISOR', organisation: 'ISPPC', subject: 'claim-page-isppc' };
const PERIOD = '2024-02';
/** INAMI's reason, as a spreadsheet would read a formula: shown as written here, neutralised in the CSV. */
const REASON = '=No supervisor contract on file for February';

const CLAIM_FIELDS = `id code period status claimedCents approvedCents creditedCents totalCents paidCents dueCents
  lines { id position kind unitCents amountCents decision decisionReason }
  creditNotes { reason totalCents lines { claimLineId amountCents } }
  payments { paidOn reference amountCents }`;
interface Claim {
  id: string;
  status: string;
  claimedCents: number;
  approvedCents: number;
  creditedCents: number;
  totalCents: number;
  paidCents: number;
  dueCents: number;
  lines: {
    id: string;
    position: number;
    kind: string;
    unitCents: number;
    amountCents: number;
    decision: string | null;
    decisionReason: string | null;
  }[];
  creditNotes: { reason: string; totalCents: number }[];
  payments: { paidOn: string; reference: string; amountCents: number }[];
}

let graph: TestPlatform;
let browser: Browser;
let context: BrowserContext;
let claim: Claim;
let partner: string;
const pageErrors: string[] = [];

async function write<K extends string>(as: Identity, mutation: K, input: Record<string, unknown>): Promise<Claim> {
  const inputType = `${mutation[0]!.toUpperCase()}${mutation.slice(1)}Input`;
  const answer = await graph.query<Record<K, Claim>>(
    as,
    `mutation($input: ${inputType}!, $key: String!) { ${mutation}(input: $input, idempotencyKey: $key) { ${CLAIM_FIELDS} } }`,
    { input, key: newKey() },
  );
  expect(answer.errors).toBeUndefined();
  return answer.data![mutation];
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does it)`);
  mkdirSync(ARTIFACTS, { recursive: true });
  graph = await startTestPlatform();
  const enrolled = await graph.query(
    { role: 'INAMI', organisation: 'INAMI', subject: 'inami-directory-admin' },
    'mutation($input: EnrolStaffMemberInput!) { enrolStaffMember(input: $input) { id } }',
    { input: { subject: AGENT.subject, function: 'INAMI_AGENT', displayName: AGENT.subject } },
  );
  expect(enrolled.errors).toBeUndefined();
  // Article 23 staffed in February 2024: two coaches and a full-time supervisor (½ funded) the whole month.
  const membership = (subject: string, fn: string, fte: number) =>
    graph.sql(
      `insert into participants.staff_member (id, organisation_code, subject, function, display_name, enrolled_at, enrolled_by, fte_hundredths)
       values (gen_random_uuid(), 'ARTICLE-23', $1, $2, $1, '2023-06-01'::date::timestamp at time zone 'Europe/Brussels', 'test', $3)`,
      [subject, fn, fte],
    );
  await membership('claim-page-coach-1', 'JOB_COACH', 100);
  await membership('claim-page-coach-2', 'JOB_COACH', 100);
  await membership('claim-page-supervisor-staff', 'SUPERVISOR', 100);

  claim = await write(SUPERVISOR_A23, 'submitClaim', { conventionId: CONVENTION_IDS['ARTICLE-23'], period: PERIOD });
  const coachLine = claim.lines.find((line) => line.kind === 'COACH_FTE_MONTHS')!;
  const supervisorLine = claim.lines.find((line) => line.kind === 'SUPERVISOR_FTE_MONTHS')!;
  await write(AGENT, 'decideClaimLine', { lineId: supervisorLine.id, decision: 'REJECTED', reason: REASON });
  await write(AGENT, 'decideClaimLine', { lineId: coachLine.id, decision: 'APPROVED' });
  await write(SUPERVISOR_A23, 'issueCreditNote', {
    claimId: claim.id,
    reason: 'One coach counted for a day off',
    lines: [{ claimLineId: coachLine.id, amountCents: -12_345 }],
  });
  claim = await write(AGENT, 'recordClaimPayment', {
    claimId: claim.id,
    paidOn: '2024-04-15',
    reference: 'INAMI-2024-0415-A23',
    amountCents: 1_000_000,
  });
  expect(claim).toMatchObject({ status: 'APPROVED', creditedCents: -12_345, paidCents: 1_000_000 });
  expect(claim.dueCents).toBe(claim.approvedCents - 12_345 - 1_000_000);
  const conventions = await graph.query<{ conventions: { code: string; partner: string }[] }>(
    AGENT,
    '{ conventions { code partner } }',
  );
  partner = conventions.data!.conventions.find((c) => c.code === 'ARTICLE-23')!.partner;

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

/** Opens the claim page as `as`, with the token in the URL's fragment, and waits until it has drawn its answer. */
async function open(as: Identity, query: string, on: BrowserContext = context, watch = true): Promise<Page> {
  await graph.enrol(as);
  const token = await graph.tokenFor(as);
  const page = await on.newPage();
  if (watch) {
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
    page.on('response', (response) => {
      if (response.status() >= 400) pageErrors.push(`${response.status()} ${response.url()}`);
    });
  }
  await page.goto(`${graph.platform.gateway.url}claim/?${query}#token=${encodeURIComponent(token)}`);
  await page.waitForSelector('main[aria-busy="false"] :is(article.claim, #no-claim)', { timeout: 30_000 });
  expect(page.url()).not.toContain('token=');
  return page;
}

/** Belgium's euros in the page's language, spaces of every kind made one (ICU writes narrow no-break spaces). */
const euros = (lang: Lang, cents: number) =>
  new Intl.NumberFormat(`${lang}-BE`, { style: 'currency', currency: 'EUR' }).format(cents / 100);
const plain = (text: string | null) => (text ?? '').replace(/\s+/gu, ' ').trim();

describe("the partner's supervisor reads the claim in each language", () => {
  it.each(LANGS)('%s: every amount, decision and reason equals the graph’s', async (lang) => {
    const page = await open(SUPERVISOR_A23, `lang=${lang}&period=${PERIOD}`);
    expect(await page.getAttribute('html', 'lang')).toBe(lang);
    const shown = await page.evaluate<{ figure: string; cents: string | null; text: string | null }[]>(
      `[...document.querySelectorAll('[data-figure]')].map((e) => ({ figure: e.dataset.figure, cents: e.dataset.cents ?? null, text: e.textContent }))`,
    );
    const byFigure = new Map(shown.map((s) => [s.figure, s]));
    const expected: Record<string, number> = {
      'total|claimed': claim.claimedCents,
      'total|approved': claim.approvedCents,
      'total|credited': -12_345,
      'total|total': claim.totalCents,
      'total|paid': 1_000_000,
      'total|outstanding': claim.dueCents,
      'credit|1': -12_345,
      'payment|1': 1_000_000,
    };
    for (const line of claim.lines) {
      expected[`line|${line.position}|unit`] = line.unitCents;
      expected[`line|${line.position}|amount`] = line.amountCents;
    }
    for (const [figure, cents] of Object.entries(expected)) {
      const cell = byFigure.get(figure);
      expect({ figure, cents: Number(cell?.cents), text: plain(cell?.text ?? null) }).toEqual({
        figure,
        cents,
        text: plain(euros(lang, cents)),
      });
    }
    // Nothing shown that the graph did not give: as many amounts as expected, plus one decision per line.
    expect(shown.filter((s) => s.cents !== null)).toHaveLength(Object.keys(expected).length);
    const vocabulary = await graph.query<{
      vocabulary: { enums: { name: string; values: { value: string; label: string }[] }[] };
    }>(
      AGENT,
      '{ vocabulary(enums: ["ClaimLineDecision", "ClaimStatus"]) { enums { name values { value label } } } }',
      {},
      { 'accept-language': lang },
    );
    const label = (name: string, value: string) =>
      vocabulary.data!.vocabulary.enums.find((e) => e.name === name)!.values.find((v) => v.value === value)!.label;
    for (const line of claim.lines)
      expect(plain(byFigure.get(`line|${line.position}|decision`)!.text)).toBe(
        label('ClaimLineDecision', line.decision!),
      );
    const text = plain(await page.textContent('main'));
    expect(text).toContain(REASON);
    expect(text).toContain('INAMI-2024-0415-A23');
    expect(text).toContain('One coach counted for a day off');
    expect(text).toContain(partner);
    expect(text).toContain(label('ClaimStatus', 'APPROVED'));
    // The payment's date as Belgium writes it in this language.
    expect(text).toContain(
      plain(
        new Intl.DateTimeFormat(`${lang}-BE`, { dateStyle: 'long', timeZone: 'UTC' }).format(
          new Date('2024-04-15T00:00:00Z'),
        ),
      ),
    );
    await page.screenshot({ path: join(ARTIFACTS, `claim-${lang}.png`), fullPage: true });
    await page.close();
  });

  it('prints on A4 without the controls, the lines table repeating its header; Chromium saves it as a PDF', async () => {
    const page = await open(SUPERVISOR_A23, `lang=fr&period=${PERIOD}`);
    await page.emulateMedia({ media: 'print' });
    expect(await page.evaluate<string>(`getComputedStyle(document.querySelector('.controls')).display`)).toBe('none');
    expect(await page.evaluate<string>(`getComputedStyle(document.querySelector('article.claim thead')).display`)).toBe(
      'table-header-group',
    );
    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
    writeFileSync(join(ARTIFACTS, 'claim-fr.pdf'), pdf);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(10_000);
    // Every page A4 (595 × 842 points), as the print stylesheet's @page asks.
    const boxes = [...pdf.toString('latin1').matchAll(/\/MediaBox\s*\[0 0 ([\d.]+) ([\d.]+)\]/g)];
    expect(boxes.length).toBeGreaterThan(0);
    for (const [, width, height] of boxes)
      expect([Math.round(Number(width)), Math.round(Number(height))]).toEqual([595, 842]);
    await page.close();
  });

  it('has no serious or critical accessibility violation (axe-core)', async () => {
    // axe is injected as an inline script, which the page's CSP forbids: this context bypasses it for the scan only.
    const scanning = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
    const page = await open(SUPERVISOR_A23, `lang=fr&period=${PERIOD}`, scanning, false);
    await page.addScriptTag({ content: AXE_SOURCE });
    const violations = await page.evaluate<{ id: string; impact: string | null }[]>(
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
});

describe('a claim the caller may not read is told exactly like a missing one', () => {
  it("another partner's supervisor, a coach and an integrator see what INAMI sees for a convention without a claim", async () => {
    const missing = await open(AGENT, `lang=en&period=${PERIOD}&code=NO-SUCH-CONVENTION`, context, false);
    const none = await missing.innerHTML('main');
    expect(plain(await missing.textContent('main'))).toBe('No claim of February 2024 that you may read.');
    await missing.close();
    for (const as of [SUPERVISOR_ISPPC, DEFAULT_IDENTITY.JOB_COACH, DEFAULT_IDENTITY.INTEGRATOR]) {
      for (const query of [`lang=en&period=${PERIOD}`, `lang=en&period=${PERIOD}&code=ARTICLE-23`]) {
        const page = await open(as, query, context, false);
        expect({ as: as.role, query, main: await page.innerHTML('main') }).toEqual({ as: as.role, query, main: none });
        await page.close();
      }
    }
    // INAMI reads every partner's claim: the same page names Article 23's.
    const inami = await open(AGENT, `lang=en&period=${PERIOD}`, context, false);
    expect(await inami.$$eval('article.claim', (articles) => articles.map((a) => a.getAttribute('data-code')))).toEqual(
      ['ARTICLE-23'],
    );
    await inami.close();
  });
});

describe("INAMI's CSV of a period's claims (GET /claims/<period>.csv)", () => {
  const download = async (as: Identity | null, file: string) => {
    if (as) await graph.enrol(as);
    const response = await fetch(`${graph.platform.gateway.url}claims/${file}`, {
      headers: as ? { authorization: `Bearer ${await graph.tokenFor(as)}` } : {},
    });
    return { status: response.status, type: response.headers.get('content-type'), body: await response.text() };
  };
  /** Euros as the export documents them (docs/partners.md): a full stop, two decimals, independently of the export's code. */
  const decimal = (cents: number) => (cents / 100).toFixed(2);

  it('gives INAMI one row per line, credit note line and payment, with the claim’s amounts, read back by a CSV parser', async () => {
    const answer = await download(AGENT, `${PERIOD}.csv`);
    expect(answer.status).toBe(200);
    expect(answer.type).toMatch(/^text\/csv; charset=utf-8/);
    const rows = parse(answer.body, { bom: true, columns: true }) as Record<string, string>[];
    const common = { period: PERIOD, convention: 'ARTICLE-23', partner, claim_id: claim.id, claim_status: 'APPROVED' };
    expect(rows.map((row) => row.row_type)).toEqual([...claim.lines.map(() => 'LINE'), 'CREDIT_NOTE', 'PAYMENT']);
    for (const line of claim.lines) {
      const row = rows.find((r) => r.row_type === 'LINE' && r.line_position === String(line.position))!;
      expect(row).toMatchObject({
        ...common,
        line_kind: line.kind,
        unit_amount_eur: decimal(line.unitCents),
        amount_eur: decimal(line.amountCents),
        decision: line.decision,
      });
    }
    // INAMI's reason starts with '=': the spreadsheet reads it as text, prefixed, never as a formula.
    expect(rows.find((r) => r.decision === 'REJECTED')!.decision_reason).toBe(`'${REASON}`);
    expect(rows.find((r) => r.row_type === 'CREDIT_NOTE')).toMatchObject({
      ...common,
      line_kind: 'COACH_FTE_MONTHS',
      amount_eur: '-123.45',
      credit_note_reason: 'One coach counted for a day off',
    });
    expect(rows.find((r) => r.row_type === 'PAYMENT')).toMatchObject({
      ...common,
      amount_eur: '10000.00',
      paid_on: '2024-04-15',
      payment_reference: 'INAMI-2024-0415-A23',
    });
    // The accountant's sums: approved lines plus credit notes is the month's total; the payments, what was paid.
    const cents = (row: Record<string, string>) => Math.round(Number(row.amount_eur) * 100);
    const sum = (keep: (row: Record<string, string>) => boolean) => rows.filter(keep).reduce((s, r) => s + cents(r), 0);
    expect(sum((r) => (r.row_type === 'LINE' && r.decision === 'APPROVED') || r.row_type === 'CREDIT_NOTE')).toBe(
      claim.totalCents,
    );
    expect(sum((r) => r.row_type === 'PAYMENT')).toBe(claim.paidCents);
    // The quarter holds the same rows, in the same stable order, byte for byte.
    const quarter = await download(AGENT, '2024-Q1.csv');
    expect(quarter.body).toBe(answer.body);
    expect((await download(AGENT, `${PERIOD}.csv`)).body).toBe(answer.body);
  });

  it('answers any other role, a period to come and a malformed one exactly like a missing export', async () => {
    const missing = await download(AGENT, '2024-13.csv');
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body)).toMatchObject({ errors: [{ extensions: { code: 'NOT_FOUND' } }] });
    expect(await download(AGENT, '2999-01.csv')).toEqual(missing);
    for (const as of [
      SUPERVISOR_A23,
      SUPERVISOR_ISPPC,
      DEFAULT_IDENTITY.JOB_COACH,
      DEFAULT_IDENTITY.INTEGRATOR,
      DEFAULT_IDENTITY.RESEARCHER,
    ])
      expect({ role: as.role, ...(await download(as, `${PERIOD}.csv`)) }).toEqual({ role: as.role, ...missing });
    expect((await download(null, `${PERIOD}.csv`)).status).toBe(401);
  });
});
