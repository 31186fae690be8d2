/**
 * A real browser (Debian's Chromium, driven by playwright-core — never a downloaded browser):
 * (a) a page on another loopback origin queries the gateway with a bearer token through Apollo Client
 *     and renders the answer; the same page against a gateway whose allow-list is empty gets nothing;
 * (b) the IDE renders with every request to a host other than this machine blocked.
 * Screenshots go to test/artifacts/ (gitignored).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { build } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createCallerVerifier } from '../gateway/identity.js';
import { startGateway, type RunningGateway } from '../gateway/gateway.js';
import { loadRoleSupergraphs } from '../platform/launcher.js';
import { DEFAULT_IDENTITY, startTestPlatform, type TestPlatform } from './harness.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(process.cwd(), 'test', 'artifacts');

/** The partner front end: Apollo Client 4, bundled for the browser from node_modules at test time. */
const APP = `
import { ApolloClient, HttpLink, InMemoryCache, gql } from '@apollo/client';
const out = document.getElementById('out');
const client = new ApolloClient({
  link: new HttpLink({ uri: window.IPS.gateway, headers: { authorization: 'Bearer ' + window.IPS.token } }),
  cache: new InMemoryCache(),
});
client.query({ query: gql\`query Conventions { conventions { code partner region } }\` }).then(
  ({ data }) => { out.textContent = data.conventions.map((c) => c.code + ' ' + c.region).sort().join('\\n'); out.dataset.state = 'done'; },
  (error) => { out.textContent = 'ERROR ' + error.message; out.dataset.state = 'error'; },
);
`;

let graph: TestPlatform;
let pageServer: Server;
let pageOrigin: string;
let browser: Browser;
let closedGateway: RunningGateway;
const outside: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does it)`);
  mkdirSync(ARTIFACTS, { recursive: true });
  graph = await startTestPlatform();
  // A gateway over the same subgraphs whose allow-list is empty (production's default).
  closedGateway = await startGateway({
    supergraphs: loadRoleSupergraphs(),
    subgraphUrls: Object.fromEntries(graph.platform.subgraphs.map((s) => [s.name, s.url])),
    verifyCaller: createCallerVerifier({ publicKey: graph.keys.caller.publicKey }),
    gatewayPrivateKey: graph.keys.gateway.privateKey,
    corsOrigins: [],
    ide: false,
  });
  const bundle = await build({
    stdin: { contents: APP, resolveDir: process.cwd(), loader: 'js' },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    write: false,
    minify: true,
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  const app = bundle.outputFiles[0]!.contents;
  const token = await graph.tokenFor(DEFAULT_IDENTITY.INAMI);
  pageServer = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://page');
    if (url.pathname === '/app.js') {
      response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(app);
      return;
    }
    const gateway = url.searchParams.get('gateway') ?? '';
    const html = `<!doctype html><meta charset="utf-8"><title>Partner front end</title>
<h1>Conventions</h1><pre id="out" data-state="loading">loading…</pre>
<script>window.IPS = ${JSON.stringify({ gateway, token })};</script><script src="/app.js"></script>`;
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
  });
  await new Promise<void>((resolve) => pageServer.listen(0, '127.0.0.1', resolve));
  pageOrigin = `http://127.0.0.1:${(pageServer.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-gpu',
      '--no-first-run',
      '--disable-sync',
    ],
  });
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => (pageServer ? pageServer.close(resolve) : resolve(undefined)));
  await closedGateway?.stop();
  await graph?.stop();
});

/** A page that may reach only this machine: anything else is aborted and recorded. */
async function loopbackOnlyPage(): Promise<Page> {
  const page = await browser.newPage();
  await page.route('**/*', (route) => {
    const { hostname } = new URL(route.request().url());
    if (hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]') return route.continue();
    outside.push(route.request().url());
    return route.abort('blockedbyclient');
  });
  return page;
}

it('renders what Apollo Client fetched from the gateway, on another origin, with a bearer token', async () => {
  const page = await loopbackOnlyPage();
  const gatewayUrl = `${graph.platform.gateway.url}graphql`;
  expect(new URL(gatewayUrl).origin).not.toBe(pageOrigin); // another origin: CORS applies
  await page.goto(`${pageOrigin}/?gateway=${encodeURIComponent(gatewayUrl)}`);
  await page.waitForSelector('#out[data-state="done"], #out[data-state="error"]', { timeout: 20_000 });
  const text = await page.textContent('#out');
  await page.screenshot({ path: join(ARTIFACTS, 'apollo-client-cross-origin.png') });
  const conventions = await graph.query<{ conventions: { code: string; region: string }[] }>(
    'INAMI',
    '{ conventions { code region } }',
  );
  const expected = conventions
    .data!.conventions.map((c) => `${c.code} ${c.region}`)
    .sort()
    .join('\n');
  expect(expected.length).toBeGreaterThan(0);
  expect(text).toBe(expected);
  await page.close();
});

it('gets nothing from a gateway whose allow-list does not name the page (the browser refuses the answer)', async () => {
  const page = await loopbackOnlyPage();
  await page.goto(`${pageOrigin}/?gateway=${encodeURIComponent(`${closedGateway.url}graphql`)}`);
  await page.waitForSelector('#out[data-state="done"], #out[data-state="error"]', { timeout: 20_000 });
  await page.screenshot({ path: join(ARTIFACTS, 'apollo-client-origin-refused.png') });
  expect(await page.getAttribute('#out', 'data-state')).toBe('error');
  expect(await page.textContent('#out')).toMatch(/Failed to fetch/);
  await page.close();
});

it('renders the IDE (GraphiQL) with all outside networking blocked', async () => {
  const before = outside.length;
  const page = await loopbackOnlyPage();
  const failed: string[] = [];
  page.on('requestfailed', (request) => failed.push(request.url()));
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(`${graph.platform.gateway.url}graphql`);
  await page.waitForSelector('.graphiql-container .graphiql-query-editor .CodeMirror', { timeout: 20_000 });
  await page.waitForSelector('.graphiql-editor-tool', { timeout: 5_000 }); // the headers editor, where the token goes
  await page.screenshot({ path: join(ARTIFACTS, 'graphiql.png'), fullPage: true });
  expect(await page.textContent('.graphiql-container')).toMatch(/Headers/);
  expect(outside.slice(before)).toEqual([]);
  expect(failed).toEqual([]);
  expect(pageErrors).toEqual([]);
  await page.close();
});
