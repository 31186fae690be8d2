/**
 * Integrators build their own client: the example of examples/integrator-dashboard/, copied to a
 * folder outside the repository (nothing of the platform's source beside it), generates its typed
 * client — TypedDocumentNode query documents, not only types — from the RUNNING gateway's
 * introspection with an integrator's token, type-checks with tsc, bundles with esbuild, and its own
 * query function fetches the region's table from the gateway and renders a withheld cell as withheld,
 * with its reason, never a number (DISCLOSURE_CONTROL; R18, R19: the integrator's schema has no person).
 *
 * The platform runs as in production (NODE_ENV=production), where Apollo would turn introspection off:
 * the gateway answers it to any verified caller, with that caller's role's schema.
 *
 * Offline: the copy's `node_modules` is a link to the platform's, which holds the very versions the
 * example's package.json pins (checked below), so no install runs.
 */
import { DISCLOSURE_CONTROL } from '../schema/policy.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { DEFAULT_IDENTITY, startTestPlatform, type TestPlatform } from './harness.js';
import { seed } from './seed.js';

const root = resolve(import.meta.dirname, '..');
const example = join(root, 'examples/integrator-dashboard');
const node = process.execPath;

/** The method the policy puts in force for integrators' tables. */
const CELL_KEY = DISCLOSURE_CONTROL.method === 'CELL_KEY';
let graph: TestPlatform;
let dir: string;
let token: string;
const savedEnv = {
  NODE_ENV: process.env.NODE_ENV,
  IPS_LOG_LEVEL: process.env.IPS_LOG_LEVEL,
  IPS_CORS_ORIGINS: process.env.IPS_CORS_ORIGINS,
};

beforeAll(async () => {
  // Production, as an integrator meets it (Apollo's default would refuse introspection there), with the
  // integrator's page origin listed for CORS as production requires (the page is served on a port of its own).
  process.env.NODE_ENV = 'production';
  process.env.IPS_LOG_LEVEL ??= 'silent';
  process.env.IPS_CORS_ORIGINS = 'http://127.0.0.1:*';
  graph = await startTestPlatform();
  await seed(graph).trial();
  // Flanders, Gent (VDAB-GTB's catchment): 5 referred only, 8 randomised — permuted blocks of 2, 4 and 6 split
  // them 4/4 or 5/3, so at least one arm's count is small (withheld as PRIMARY) and the other is withheld with it.
  for (let i = 0; i < 8; i++)
    await seed(graph)
      .person({ postcode: '9000', region: 'FLANDERS' })
      .referredBy('MEDECIN_CONSEIL', { form: 'AANMELDINGSFORMULIER' })
      .registered({ convention: 'VDAB-GTB' })
      .randomised()
      .build();
  for (let i = 0; i < 5; i++)
    await seed(graph)
      .person({ postcode: '9000', region: 'FLANDERS' })
      .referredBy('MEDECIN_CONSEIL', { form: 'AANMELDINGSFORMULIER' })
      .build();
  token = await graph.tokenFor(DEFAULT_IDENTITY.INTEGRATOR);

  // The integrator's folder: the example's own files only, nowhere near the platform's source.
  dir = mkdtempSync(join(tmpdir(), 'ips-integrator-'));
  cpSync(example, dir, {
    recursive: true,
    filter: (source) => !/^(node_modules|src\/gql|public\/main\.js)(\/|$)/.test(relative(example, source)),
  });
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
}, 240_000);

afterAll(async () => {
  await graph?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
  for (const [name, value] of Object.entries(savedEnv)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

const gatewayUrl = () => `${graph.platform.gateway.url}graphql`;

/**
 * A command in the integrator's folder, as their shell runs it (codegen is silent under jest's variables).
 * Asynchronous: the gateway it asks runs in this very process and must go on answering.
 */
function run(
  command: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<{ status: number | null; output: string }> {
  const { NODE_ENV: _nodeEnv, JEST_WORKER_ID: _worker, NODE_OPTIONS: _options, ...shell } = process.env;
  return new Promise((done, fail) => {
    const child = spawn(node, [join(dir, 'node_modules', command), ...args], {
      cwd: dir,
      env: { ...shell, ...env },
      timeout: 120_000,
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.once('error', fail);
    child.once('close', (status) => done({ status, output }));
  });
}
const codegen = (env: Record<string, string>) =>
  run('@graphql-codegen/cli/cjs/bin.js', ['--config', 'codegen.ts'], env);
const tsc = () => run('typescript/bin/tsc', ['-p', 'tsconfig.json']);

interface Shown {
  kind: 'count' | 'withheld';
  count?: number;
  perturbed?: boolean;
  reason?: string;
  why?: string;
}
interface ReferralsView {
  region: string;
  asOf: string;
  threshold: number;
  columns: { key: string; label: string }[];
  rows: { key: string; label: string; total: boolean; cells: { key: string; shown: Shown }[] }[];
}
interface ExampleModule {
  loadRegionReferrals(
    region: string,
    options: { endpoint: string; token: string; language?: string },
  ): Promise<ReferralsView>;
  referralsHtml(view: ReferralsView): string;
}

it("pins the very package versions it is tested with (the copy's node_modules is the platform's)", () => {
  const manifest = JSON.parse(readFileSync(join(example, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
    devDependencies: Record<string, string>;
  };
  const pinned = { ...manifest.dependencies, ...manifest.devDependencies };
  const installed = Object.fromEntries(
    Object.keys(pinned).map((name) => [
      name,
      (JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')) as { version: string })
        .version,
    ]),
  );
  expect(installed).toEqual(pinned);
});

it("answers an integrator's introspection in production with the integrator's own schema, and no one's without a token", async () => {
  const introspect = async (authorization?: string) =>
    fetch(gatewayUrl(), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      body: JSON.stringify({ query: '{ __schema { queryType { fields { name } } types { name } } }' }),
    });
  const answer = (await (await introspect(`Bearer ${token}`)).json()) as {
    data?: { __schema: { queryType: { fields: { name: string }[] }; types: { name: string }[] } };
    errors?: unknown[];
  };
  expect(answer.errors).toBeUndefined();
  const roots = answer.data!.__schema.queryType.fields.map((field) => field.name);
  expect(roots).toEqual(expect.arrayContaining(['pilotAggregates', 'consortFlow', 'coachCaseloads']));
  // R19: an integrator's schema holds no person, not even the type.
  expect(roots).not.toContain('participants');
  expect(answer.data!.__schema.types.map((type) => type.name)).not.toContain('Participant');
  expect((await introspect()).status).toBe(401);
});

it('generates typed query documents from the running gateway with the token, type-checks, bundles, and shows a withheld cell as withheld', async () => {
  // Without a token the gateway describes nothing: generation fails, saying so.
  const refused = await codegen({ IPS_GATEWAY_URL: gatewayUrl(), IPS_TOKEN: 'not-a-token' });
  expect(refused.status).not.toBe(0);

  const generated = await codegen({ IPS_GATEWAY_URL: gatewayUrl(), IPS_TOKEN: token });
  expect({ status: generated.status, output: generated.status === 0 ? '' : generated.output }).toEqual({
    status: 0,
    output: '',
  });
  const client = readFileSync(join(dir, 'src/gql/graphql.ts'), 'utf8');
  // A query document (an AST carrying its result and variables types), not only types.
  expect(client).toMatch(/export const RegionReferralsDocument = \{"kind":"Document"/);
  expect(client).toMatch(/as unknown as DocumentNode<RegionReferralsQuery, RegionReferralsQueryVariables>/);
  expect(client).toMatch(/export type Suppression =\s+\| 'COMPLEMENTARY'\s+\| 'NONE'\s+\| 'PRIMARY'/);

  const checked = await tsc();
  expect(checked.output).toBe('');
  expect(checked.status).toBe(0);
  // The types are the operation's: a field it did not select does not compile.
  writeFileSync(
    join(dir, 'src/misuse.ts'),
    "import type { RegionReferralsQuery } from './gql/graphql';\nexport const margin = (data: RegionReferralsQuery) => data.pilotAggregates.cells[0]?.margin;\n",
  );
  const misuse = await tsc();
  expect(misuse.status).not.toBe(0);
  expect(misuse.output).toMatch(/Property 'margin' does not exist/);
  rmSync(join(dir, 'src/misuse.ts'));

  // The page's script as a browser loads it (the example's `npm run build`).
  const bundled = await run('esbuild/bin/esbuild', [
    'src/main.ts',
    '--bundle',
    '--format=esm',
    '--outfile=public/main.js',
    '--log-level=error',
  ]);
  expect(bundled).toEqual({ status: 0, output: '' });

  // The example's own query function against the gateway, and the table it renders.
  const page = (await import(pathToFileURL(join(dir, 'src/referrals-table.ts')).href)) as ExampleModule;
  const view = await page.loadRegionReferrals('FLANDERS', { endpoint: gatewayUrl(), token, language: 'en' });
  const published = await graph.query<{
    pilotAggregates: { threshold: number; cells: { key: string[]; count: number | null; suppression: string }[] };
  }>(
    'INTEGRATOR',
    'query($region: Region) { pilotAggregates(measure: REFERRALS, region: $region) { threshold cells { key count suppression } } }',
    { region: 'FLANDERS' },
  );
  expect(published.errors).toBeUndefined();
  const cells = new Map(published.data!.pilotAggregates.cells.map((cell) => [cell.key.join('/'), cell]));

  expect(view.region).toBe('FLANDERS');
  expect(view.columns.map((column) => column.key)).toEqual([
    'REFERRED',
    'AWAITING_RANDOMISATION',
    'IPS',
    'CONTROL',
    'NOT_REGISTERED',
    'REGISTERED',
    '*',
  ]);
  expect(view.rows.map((row) => row.key)).toEqual(expect.arrayContaining(['VDAB-GTB', 'FLANDERS']));
  // Every cell shown is the gateway's: its count when published, withheld with the gateway's reason otherwise.
  for (const row of view.rows) {
    for (const { key, shown } of row.cells) {
      const cell = cells.get(key);
      expect({ key, shown: shown.kind === 'count' ? shown.count : shown.reason }).toEqual({
        key,
        shown: cell?.suppression === 'NONE' ? cell.count : cell?.suppression,
      });
    }
  }
  const gent = view.rows.find((row) => row.key === 'VDAB-GTB')!;
  const at = (column: string) => gent.cells[view.columns.findIndex((c) => c.key === column)]!.shown;
  // Real rows: the 5 referred only and the 8 registered are published (with the cell key method's noise, within ±D and
  // never 1..4, and marked); under suppression exact, and the arms' small counts withheld.
  if (CELL_KEY) {
    for (const [column, truth] of [
      ['REFERRED', 5],
      ['REGISTERED', 8],
      ['*', 13],
    ] as const) {
      const shown = at(column);
      expect({ column, kind: shown.kind, perturbed: shown.kind === 'count' && shown.perturbed }).toEqual({
        column,
        kind: 'count',
        perturbed: true,
      });
      const count = shown.kind === 'count' ? (shown.count ?? -1) : -1;
      expect({
        column,
        near: Math.abs(count - truth) <= DISCLOSURE_CONTROL.cellKey.maxNoise,
        small: count > 0 && count < 5,
      }).toEqual({ column, near: true, small: false });
    }
  } else {
    expect([at('REFERRED'), at('REGISTERED'), at('*')]).toEqual([
      { kind: 'count', count: 5, perturbed: false },
      { kind: 'count', count: 8, perturbed: false },
      { kind: 'count', count: 13, perturbed: false },
    ]);
    expect([at('IPS'), at('CONTROL')].map((shown) => shown.kind === 'withheld' && shown.reason)).toContain('PRIMARY');
  }

  const html = page.referralsHtml(view);
  const withheld = [...html.matchAll(/<td data-cell="([^"]+)" data-suppressed="([A-Z]+)"[^>]*>(.*?)<\/td>/g)];
  const expected = view.rows.flatMap((row) => row.cells.filter((cell) => cell.shown.kind === 'withheld'));
  expect(withheld.length).toBe(expected.length);
  expect(withheld.length > 0).toBe(!CELL_KEY);
  for (const [, key, reason, content] of withheld) {
    expect({ key, reason, says: content!.startsWith('<span>withheld</span>'), digits: /\d/.test(content!) }).toEqual({
      key,
      reason: cells.get(key!)!.suppression,
      says: true,
      digits: false,
    });
  }
  const registered = cells.get('VDAB-GTB/*/REGISTERED')!;
  expect(html).toContain(
    CELL_KEY
      ? `<td data-cell="VDAB-GTB/*/REGISTERED" data-perturbed="true">${registered.count}<sup`
      : '<td data-cell="VDAB-GTB/*/REGISTERED">8</td>',
  );
}, 300_000);

it("serves the page (the example's `npm run serve`) and shows the table in Chromium, calling the gateway from its own origin", async () => {
  const CHROMIUM = '/usr/bin/chromium';
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does it)`);
  const port = await new Promise<number>((done) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port: free } = probe.address() as { port: number };
      probe.close(() => done(free));
    });
  });
  // The example's `serve` script, on a free port (esbuild serves while its standard input stays open).
  const server: ChildProcess = spawn(
    node,
    [
      join(dir, 'node_modules/esbuild/bin/esbuild'),
      'src/main.ts',
      '--bundle',
      '--format=esm',
      '--outdir=public',
      '--servedir=public',
      `--serve=127.0.0.1:${port}`,
    ],
    { cwd: dir, stdio: ['pipe', 'ignore', 'ignore'] },
  );
  const browser = await chromium.launch({
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
  try {
    const problems: string[] = [];
    const page = await browser.newPage({ viewport: { width: 1280, height: 600 } });
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    for (let tries = 0; ; tries++) {
      try {
        await page.goto(`http://127.0.0.1:${port}/`);
        break;
      } catch (error) {
        if (tries > 50) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    await page.fill('input[name=endpoint]', gatewayUrl());
    await page.fill('input[name=token]', token);
    await page.selectOption('select[name=region]', 'FLANDERS');
    await page.click('button');
    await page.waitForSelector('#table table', { timeout: 30_000 });
    const registered = await page.textContent('td[data-cell="VDAB-GTB/*/REGISTERED"]');
    if (CELL_KEY)
      expect({
        marked: registered?.endsWith('~'),
        near: Math.abs(Number.parseInt(registered ?? '', 10) - 8) <= DISCLOSURE_CONTROL.cellKey.maxNoise,
      }).toEqual({ marked: true, near: true });
    else expect(registered).toBe('8');
    const withheld = await page.$$eval('td[data-suppressed]', (cells) =>
      cells.map((cell) => ({ reason: cell.getAttribute('data-suppressed'), text: cell.textContent ?? '' })),
    );
    expect(withheld.length > 0).toBe(!CELL_KEY);
    for (const cell of withheld)
      expect({ reason: cell.reason, withheld: cell.text.startsWith('withheld'), digits: /\d/.test(cell.text) }).toEqual(
        { reason: cell.reason, withheld: true, digits: false },
      );
    expect(problems).toEqual([]);
    const artifacts = join(root, 'test/artifacts');
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, 'integrator-example.png'), fullPage: true });
  } finally {
    await browser.close();
    server.kill();
  }
}, 120_000);
