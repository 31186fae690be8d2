/**
 * The participant's questionnaire page (R12) in a real browser (Debian's Chromium driven by
 * playwright-core, never a downloaded browser), served by the gateway at /questionnaire/ under its
 * Content-Security-Policy and talking to the graph with the person's own token:
 * (1) the person opens the due wave, answers it with keyboard and mouse, finds the answers kept
 *     after a reload and completes it; the referent coach then reads the wave as COMPLETED, the
 *     reminder gone, and no answer anywhere (research data, R18/R19);
 * (2) a wave the coach opened at the partner's computer: an answer out of bounds shows the graph's
 *     refusal next to its item in the page's language; the language switch; missing required items
 *     told and focused; signing out leaves nothing on the page; a save lost on the network is sent
 *     again with the same idempotency key;
 * (3) axe-core finds no serious or critical violation on the open wave's form.
 * Screenshots go to test/artifacts/ (gitignored).
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { Identity } from '../schema/identity.js';
import { belgianToday } from '../subgraphs/kit/domain.js';
import { errorCodes, startTestPlatform, type GraphQLResponse, type TestPlatform } from './harness.js';
import { seed, type RandomisedPerson } from './seed.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(process.cwd(), 'test', 'artifacts');
const PAGE_BUILT = join(process.cwd(), 'dist', 'web', 'questionnaire', 'index.html');
const AXE_SOURCE = readFileSync(
  createRequire(join(process.cwd(), 'package.json')).resolve('axe-core/axe.min.js'),
  'utf8',
);

const TODAY = belgianToday();
const SUPERVISOR: Identity = { role: 'SUPERVISOR', organisation: 'ISPPC', subject: 'sup-qpage' };
const COACH: Identity = { role: 'JOB_COACH', organisation: 'ISPPC', subject: 'coach-qpage' };

let graph: TestPlatform;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does it)`);
  if (!existsSync(PAGE_BUILT)) throw new Error(`${PAGE_BUILT} is missing: run npm run build:web first`);
  mkdirSync(ARTIFACTS, { recursive: true });
  graph = await startTestPlatform();
  await seed(graph).trial();
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
}, 120_000);

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await graph?.stop();
});

/** A Charleroi person in the IPS arm with COACH as referent, allocated today: the baseline wave (0) is due today. */
const ipsPerson = () =>
  seed(graph)
    .person({ postcode: '6000' })
    .registered({ convention: 'ISPPC' })
    .randomised({ arm: 'IPS' })
    .withCoach(COACH, { by: SUPERVISOR })
    .routed()
    .build();

function ok<T>(response: GraphQLResponse<T>): T {
  if (response.errors) throw new Error(JSON.stringify(response.errors));
  return response.data!;
}

async function storedAnswers(person: RandomisedPerson): Promise<unknown> {
  const [row] = await graph.sql<{ answers: unknown }>(
    'select answers from research.questionnaire_wave where participant_id = $1 and wave = 0',
    [person.participantId],
  );
  return row?.answers;
}

interface BrowserProblems {
  pageErrors: string[];
  consoleErrors: string[];
}

/** A page that may reach only this machine; uncaught errors and console errors (a CSP refusal is one) are recorded. */
async function newPage(options: { bypassCSP?: boolean } = {}): Promise<{ page: Page; problems: BrowserProblems }> {
  const context = await browser.newContext({
    bypassCSP: options.bypassCSP ?? false,
    viewport: { width: 1000, height: 900 },
  });
  contexts.push(context);
  const page = await context.newPage();
  await page.route('**/*', (route) => {
    const { hostname } = new URL(route.request().url());
    return hostname === '127.0.0.1' || hostname === 'localhost' ? route.continue() : route.abort('blockedbyclient');
  });
  const problems: BrowserProblems = { pageErrors: [], consoleErrors: [] };
  page.on('pageerror', (error) => problems.pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.consoleErrors.push(message.text());
  });
  return { page, problems };
}

/**
 * The page for `person`, their token in the fragment as `npm start` prints it. At
 * `questionnaire/index.html`: `/questionnaire/` itself answers 301 → `/questionnaire/` (gateway/web.ts:
 * Express's non-strict routing lets the `/questionnaire` redirect match its own target).
 */
async function openAs(page: Page, person: RandomisedPerson, language: string): Promise<void> {
  const token = await graph.tokenFor(person.self);
  await page.goto(
    `${graph.platform.gateway.url}questionnaire/index.html?lang=${language}#token=${encodeURIComponent(token)}`,
  );
}

async function untilSaved(page: Page): Promise<void> {
  await page.locator('#save-status[data-state="saved"]').waitFor({ timeout: 10_000 });
}

/** A JSON number anywhere in a response: `"x":17`, `[17,` … (dates and ids are strings). */
const jsonNumber = (n: number) => new RegExp(`[:\\[,]${n}[,\\]}]`);

describe('the participant fills in a wave at home (R12)', () => {
  it('opens, answers with keyboard and mouse, keeps the answers across a reload, completes; the coach sees COMPLETED and no answer', async () => {
    const person = await ipsPerson();
    const { page, problems } = await newPage();
    await openAs(page, person, 'fr');

    // The token left the address bar at once; the page is in French.
    expect(page.url()).not.toContain('token=');
    await page.getByRole('heading', { level: 1, name: 'Votre questionnaire de l’étude' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
    // Keyboard only: the skip link first, then the button that opens the due wave.
    await page.getByRole('button', { name: 'Commencer le questionnaire' }).waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate<string[]>('[document.activeElement.id, document.activeElement.textContent]')).toEqual([
      'skip-link',
      'Aller au questionnaire',
    ]);
    await page.keyboard.press('Enter');
    expect(await page.evaluate<string>('document.activeElement.id')).toBe('main');
    await page.keyboard.press('Tab');
    expect(await page.evaluate<string>('document.activeElement.textContent')).toBe('Commencer le questionnaire');
    await page.keyboard.press('Enter');
    await page.locator('#wave-form').waitFor();
    expect(await page.textContent('#wave-heading')).toBe('Questionnaire : début de l’étude');

    // Keyboard: a radio group is entered with Tab and answered with the arrow keys and Space.
    await page.focus('#q-work-status-competitive');
    await page.keyboard.press('ArrowDown'); // sheltered…
    await page.keyboard.press('ArrowUp'); // …then back to competitive
    expect(await page.isChecked('#q-work-status-competitive')).toBe(true);
    // Focus is visible: the focused control carries an outline.
    expect(await page.evaluate<string>('getComputedStyle(document.activeElement).outlineStyle')).toBe('solid');
    await page.keyboard.press('Tab'); // the hours
    expect(await page.evaluate<string>('document.activeElement.id')).toBe('q-work-hours');
    await page.keyboard.type('17');
    await page.keyboard.press('Tab'); // the job search: first option, Oui
    await page.keyboard.press('ArrowDown'); // Non
    expect(await page.isChecked('#q-job-search-false')).toBe(true);
    // Mouse: the labels of the options.
    for (const [item, code] of [
      ['qol-mobility', '1'],
      ['qol-self-care', '2'],
      ['qol-usual-activities', '2'],
      ['qol-pain', '1'],
      ['qol-anxiety-depression', '3'],
      ['recovery-hope', '4'],
      ['recovery-goals', '5'],
    ] as const) {
      await page.click(`label[for="q-${item}-${code}"]`);
    }
    await page.click('#q-health-today');
    await page.keyboard.type('73');
    await page.keyboard.press('Tab');
    await untilSaved(page);
    expect(await page.textContent('#save-status')).toMatch(/^Réponses enregistrées \(/);
    expect(await page.getAttribute('#save-status', 'aria-live')).toBe('polite');
    expect(await storedAnswers(person)).toEqual({
      'work-status': 'competitive',
      'work-hours': 17,
      'job-search': false,
      'qol-mobility': '1',
      'qol-self-care': '2',
      'qol-usual-activities': '2',
      'qol-pain': '1',
      'qol-anxiety-depression': '3',
      'health-today': 73,
      'recovery-hope': '4',
      'recovery-goals': '5',
    });

    // Reloaded (the token stays for the tab): the same answers, from the graph.
    await page.reload();
    await page.locator('#wave-form').waitFor();
    expect(await page.isChecked('#q-work-status-competitive')).toBe(true);
    expect(await page.inputValue('#q-work-hours')).toBe('17');
    expect(await page.isChecked('#q-job-search-false')).toBe(true);
    expect(await page.isChecked('#q-recovery-goals-5')).toBe(true);
    expect(await page.inputValue('#q-health-today')).toBe('73');
    expect(await page.isChecked('#q-benefit-worry-true')).toBe(false); // the optional item, left out
    await page.screenshot({ path: join(ARTIFACTS, 'questionnaire-fr.png'), fullPage: true });

    await page.getByRole('button', { name: 'Terminer le questionnaire' }).click();
    await page.getByRole('heading', { name: 'Merci !' }).waitFor();
    expect(await page.textContent('#app')).toContain('Vous avez complété ce questionnaire le');
    expect(await page.textContent('#app')).toContain('Le prochain questionnaire est prévu pour le');
    await page.screenshot({ path: join(ARTIFACTS, 'questionnaire-completed.png'), fullPage: true });
    expect(problems).toEqual({ pageErrors: [], consoleErrors: [] }); // nothing refused by the CSP, no script error

    // The referent coach: the wave is completed, the reminder is gone…
    const WAVES =
      'query($id: ID!) { participant(id: $id) { id questionnaireWaves { wave dueOn windowOpensOn windowClosesOn state openedWhere instrumentVersion completedOn } } }';
    const coachView = await graph.query<{
      participant: {
        questionnaireWaves: { wave: number; state: string; openedWhere: string | null; completedOn: string | null }[];
      };
    }>(COACH, WAVES, { id: person.participantId });
    const waves = ok(coachView).participant.questionnaireWaves;
    expect(waves[0]).toMatchObject({ wave: 0, state: 'COMPLETED', openedWhere: 'HOME', completedOn: TODAY });
    const caseload = await graph.query<{
      caseload: { pathway: { id: string }; nextAction: { kind: string } | null }[];
    }>(COACH, '{ caseload { pathway { id } nextAction { kind dueOn } } }');
    const entry = ok(caseload).caseload.find((e) => e.pathway.id === person.pathwayId);
    expect(entry).toBeDefined();
    expect(entry!.nextAction?.kind).not.toBe('QUESTIONNAIRE_WAVE_DUE');

    // …and no answer: `answers` is not in the coach's schema at all, and nothing the coach reads holds one.
    const asked = await graph.query(
      COACH,
      'query($id: ID!) { participant(id: $id) { questionnaireWaves { wave answers { linkId valueCode valueInteger valueBoolean } } } }',
      { id: person.participantId },
    );
    expect({ codes: errorCodes(asked), data: asked.data ?? null }).toEqual({
      codes: ['GRAPHQL_VALIDATION_FAILED'],
      data: null,
    });
    for (const json of [JSON.stringify(coachView), JSON.stringify(caseload), JSON.stringify(asked)]) {
      for (const linkId of ['work-status', 'work-hours', 'job-search', 'health-today', 'recovery-goals'])
        expect(json).not.toContain(linkId);
      expect(json).not.toContain('competitive');
      expect(json).not.toMatch(jsonNumber(17));
      expect(json).not.toMatch(jsonNumber(73));
    }
  });
});

describe("at the partner's computer, in the person's language", () => {
  it("tells an out-of-bounds answer next to its item in the page's language, keeps it, and switches language; missing items are told and focused; sign-out leaves nothing; a lost save is retried with its key", async () => {
    const person = await ipsPerson();
    // The coach opened the wave at the partner's computer; the person answers with their own token.
    ok(
      await graph.query(
        COACH,
        'mutation($input: QuestionnaireWaveInput!) { openQuestionnaireWave(input: $input) { state } }',
        { input: { participantId: person.participantId, wave: 0 } },
      ),
    );
    const { page, problems } = await newPage();
    await openAs(page, person, 'fr');
    await page.locator('#wave-form').waitFor();
    expect(await page.textContent('#app')).toContain('ouvert sur l’ordinateur de votre partenaire IPS');

    // One valid answer and one out of bounds in the same save: the graph refuses the request, the page sends the valid one again.
    await page.click('label[for="q-qol-pain-2"]');
    await page.fill('#q-health-today', '150');
    await page.keyboard.press('Tab');
    const error = page.locator('#error-health-today');
    await error.waitFor({ state: 'visible' });
    expect(await error.textContent()).toBe('la question health-today attend un nombre entier de 0 à 100');
    expect(await page.getAttribute('#q-health-today', 'aria-invalid')).toBe('true');
    expect(await page.getAttribute('#q-health-today', 'aria-describedby')).toContain('error-health-today');
    expect(await page.inputValue('#q-health-today')).toBe('150'); // the answer is kept, for the person to correct
    await page.locator('#save-status[data-state="refused"]').waitFor();
    expect(await page.textContent('#save-status')).toContain('n’a pas été enregistrée');
    expect(await storedAnswers(person)).toEqual({ 'qol-pain': '2' });

    // The language switch: the instrument's wording, the page's texts, <html lang>, and the graph's refusal told again.
    await page.getByRole('button', { name: 'Nederlands' }).click();
    await page.locator('legend', { hasText: 'Welke zin beschrijft uw werksituatie' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('nl');
    expect(page.url()).toContain('lang=nl');
    expect(await page.getAttribute('button[value="nl"]', 'aria-pressed')).toBe('true');
    expect(await page.textContent('h1')).toBe('Uw vragenlijst van de studie');
    await page
      .locator('#error-health-today', { hasText: 'vraag health-today verwacht een geheel getal van 0 tot 100' })
      .waitFor();
    expect(await page.inputValue('#q-health-today')).toBe('150');
    expect(await page.isChecked('#q-qol-pain-2')).toBe(true);
    await page.locator('#item-health-today').screenshot({ path: join(ARTIFACTS, 'questionnaire-refused-nl.png') });
    await page.getByRole('button', { name: 'English' }).click();
    await page.locator('legend', { hasText: 'Which describes your work situation today best?' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await page
      .locator('#error-health-today', { hasText: 'item health-today takes a whole number from 0 to 100' })
      .waitFor();

    // Finishing with required items unanswered: told in an alert, each item marked, the first focused.
    await page.fill('#q-health-today', '80');
    await page.keyboard.press('Tab');
    await untilSaved(page);
    expect(await page.locator('#error-health-today').isHidden()).toBe(true);
    await page.getByRole('button', { name: 'Finish the questionnaire' }).click();
    await page.locator('#form-alert', { hasText: '9 questions still need an answer' }).waitFor();
    expect(await page.evaluate<string>('document.activeElement.id')).toBe('q-work-status-competitive');
    expect(await page.textContent('#error-work-status')).toBe('This question needs an answer.');
    expect(await page.locator('#error-benefit-worry').isHidden()).toBe(true); // optional
    expect(
      (
        await graph.sql<{ completed_at: Date | null }>(
          'select completed_at from research.questionnaire_wave where participant_id = $1',
          [person.participantId],
        )
      )[0]?.completed_at,
    ).toBeNull();

    // Signing out (a shared computer): the token goes and nothing of the questionnaire stays on the page.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.locator('#sign-in').waitFor();
    const signedOut = (await page.textContent('body')) ?? '';
    expect(signedOut).not.toContain('Which describes');
    expect(signedOut).toContain('You are signed out');
    expect(await page.evaluate<string | null>("sessionStorage.getItem('ips.token')")).toBeNull();
    expect(await page.getAttribute('#token', 'type')).toBe('password');
    await page.fill('#token', 'not-a-token');
    await page.keyboard.press('Enter');
    await page.getByRole('alert').filter({ hasText: 'This access token was not accepted' }).waitFor();
    await page.fill('#token', await graph.tokenFor(person.self));
    await page.keyboard.press('Enter');
    await page.locator('#wave-form').waitFor();
    expect(await page.inputValue('#q-health-today')).toBe('80');

    // A save lost on the network is sent again as the very same request: same idempotency key, same answers.
    const saves: { key: string; answers: unknown }[] = [];
    await page.route('**/graphql', async (route) => {
      const body = route.request().postDataJSON() as {
        query: string;
        variables: { idempotencyKey?: string; input?: { answers?: unknown } };
      };
      if (!body.query.includes('mutation SaveAnswers')) return route.fallback();
      saves.push({ key: body.variables.idempotencyKey!, answers: body.variables.input?.answers });
      return saves.length === 1 ? route.abort('failed') : route.fallback();
    });
    await page.click('label[for="q-benefit-worry-true"]');
    await untilSaved(page);
    expect(saves).toHaveLength(2);
    expect(saves[1]).toEqual(saves[0]);
    expect(saves[0]!.answers).toEqual([{ linkId: 'benefit-worry', valueBoolean: true }]);
    expect(await storedAnswers(person)).toEqual({ 'qol-pain': '2', 'health-today': 80, 'benefit-worry': true });
    expect(problems.pageErrors).toEqual([]);
  });
});

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

describe('accessibility', () => {
  it('axe-core finds no serious or critical violation on the open wave, nor with its errors shown, nor on the sign-in form', async () => {
    const person = await ipsPerson();
    // axe is injected as a script: the page's CSP (script-src 'self') would refuse it.
    const { page } = await newPage({ bypassCSP: true });
    await openAs(page, person, 'fr');
    await page.getByRole('button', { name: 'Commencer le questionnaire' }).click();
    await page.locator('#wave-form').waitFor();

    const scan = async (state: string) => {
      if ((await page.evaluate<string>('typeof axe')) === 'undefined') await page.addScriptTag({ content: AXE_SOURCE });
      const violations = await page.evaluate<AxeViolation[]>(
        'axe.run(document, { resultTypes: ["violations"] }).then((r) => r.violations)',
      );
      const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      if (serious.length > 0) console.log(`axe (${state}):\n${JSON.stringify(serious, null, 2)}`);
      return {
        state,
        serious: serious.map((v) => `${v.id} (${v.impact}): ${v.help}`),
        all: violations.map((v) => v.id),
      };
    };
    const results = [await scan('open wave')];

    await page.fill('#q-health-today', '150');
    await page.keyboard.press('Tab');
    await page.locator('#error-health-today').waitFor({ state: 'visible' });
    await page.getByRole('button', { name: 'Terminer le questionnaire' }).click();
    await page.locator('#form-alert li').first().waitFor();
    results.push(await scan('errors shown'));

    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await page.locator('#sign-in').waitFor();
    results.push(await scan('sign-in'));

    console.log(
      `axe: ${results.map((r) => `${r.state}: ${r.all.length ? r.all.join(', ') : 'no violation'}`).join('; ')}`,
    );
    expect(results.map((r) => ({ state: r.state, serious: r.serious }))).toEqual([
      { state: 'open wave', serious: [] },
      { state: 'errors shown', serious: [] },
      { state: 'sign-in', serious: [] },
    ]);
  });
});
