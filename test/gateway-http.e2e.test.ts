/**
 * The gateway's HTTP face: client errors are 400 with a client code and no internal text, browsers on
 * allowed origins pass CORS (preflight before the token check), the IDE is served from the gateway
 * itself where configured, liveness and readiness, the body limit, and a drain on stop().
 */
import { request as httpRequest } from 'node:http';
import { createCallerVerifier } from '../gateway/identity.js';
import { startGateway, type GatewayOptions, type RunningGateway } from '../gateway/gateway.js';
import { loadRoleSupergraphs } from '../platform/launcher.js';
import { DEFAULT_IDENTITY, startTestPlatform, type TestPlatform } from './harness.js';

let graph: TestPlatform;
let token: string;
beforeAll(async () => {
  graph = await startTestPlatform();
  token = await graph.tokenFor(DEFAULT_IDENTITY.INAMI);
});
afterAll(async () => {
  await graph?.stop();
});

const gatewayUrl = () => `${graph.platform.gateway.url}graphql`;

interface Answer {
  status: number;
  text: string;
  body: { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] };
  headers: Headers;
}

async function post(
  payload: unknown,
  authorization: string | undefined = `Bearer ${token}`,
  url = gatewayUrl(),
): Promise<Answer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: typeof payload === 'string' ? payload : JSON.stringify(payload),
  });
  const text = await response.text();
  return { status: response.status, text, body: JSON.parse(text) as Answer['body'], headers: response.headers };
}

/** A second gateway over the same subgraphs, configured otherwise than the harness's. */
async function anotherGateway(options: Partial<GatewayOptions>): Promise<RunningGateway> {
  return startGateway({
    supergraphs: loadRoleSupergraphs(),
    subgraphUrls: Object.fromEntries(graph.platform.subgraphs.map((s) => [s.name, s.url])),
    verifyCaller: createCallerVerifier({ publicKey: graph.keys.caller.publicKey }),
    gatewayPrivateKey: graph.keys.gateway.privateKey,
    ...options,
  });
}

describe('client errors are 400, with a client code and nothing internal', () => {
  const nestedList = `{ participant(id: ${'['.repeat(5000)}1${']'.repeat(5000)}) { id } }`;
  const cases: [string, string, unknown, string][] = [
    ['a syntax error', 'INAMI', { query: '{ conventions { code }' }, 'GRAPHQL_PARSE_FAILED'],
    [
      'the token limit',
      'INAMI',
      { query: `{ ${Array.from({ length: 3100 }, () => '__typename').join(' ')} }` },
      'GRAPHQL_PARSE_FAILED',
    ],
    ['a list literal nested 5 000 deep', 'INAMI', { query: nestedList }, 'GRAPHQL_PARSE_FAILED'],
    [
      'two operations without operationName',
      'INAMI',
      { query: 'query A { __typename } query B { __typename }' },
      'OPERATION_RESOLUTION_FAILURE',
    ],
    [
      'an unknown operationName',
      'INAMI',
      { query: 'query A { __typename }', operationName: 'B' },
      'OPERATION_RESOLUTION_FAILURE',
    ],
    ['a subscription', 'INAMI', { query: 'subscription { __typename }' }, 'BAD_REQUEST'],
    [
      'a mutation from a role whose schema has no Mutation type',
      'INTEGRATOR',
      { query: 'mutation { __typename }' },
      'GRAPHQL_VALIDATION_FAILED',
    ],
    ['a batched request', 'INAMI', [{ query: '{ __typename }' }, { query: '{ __typename }' }], 'BAD_REQUEST'],
    ['a malformed JSON body', 'INAMI', '{"query": "{ __typename }"', 'BAD_REQUEST'],
  ];

  it.each(cases)('%s', async (_name, role, payload, code) => {
    const answer = await post(
      payload,
      `Bearer ${await graph.tokenFor(DEFAULT_IDENTITY[role as keyof typeof DEFAULT_IDENTITY])}`,
    );
    expect(answer.status).toBe(400);
    expect(answer.body.data).toBeUndefined();
    expect(answer.body.errors?.map((e) => e.extensions?.code)).toEqual([code]);
    expect(answer.text).not.toMatch(/RangeError|Maximum call stack|stack|node_modules|INTERNAL_SERVER_ERROR/i);
  });

  it('still answers a document under the token limit and a query GET', async () => {
    const answer = await post({ query: `{ ${Array.from({ length: 100 }, () => '__typename').join(' ')} }` });
    expect(answer.status).toBe(200);
    const get = await fetch(`${gatewayUrl()}?query=${encodeURIComponent('{ __typename }')}`, {
      headers: { authorization: `Bearer ${token}`, 'apollo-require-preflight': 'true' },
    });
    expect(get.status).toBe(200);
    expect(await get.json()).toMatchObject({ data: { __typename: 'Query' } });
  });

  it('refuses a body over 1 MiB with 413', async () => {
    const answer = await post({ query: '{ __typename }', variables: { padding: 'x'.repeat(1024 * 1024 + 10) } });
    expect(answer.status).toBe(413);
    expect(answer.body.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_REQUEST']);
  });

  it("keeps Apollo's CSRF prevention: a simple (non-JSON) request is refused", async () => {
    const response = await fetch(gatewayUrl(), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain' },
      body: '{"query":"{ __typename }"}',
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/CSRF/);
    const get = await fetch(`${gatewayUrl()}?query=${encodeURIComponent('{ __typename }')}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(get.status).toBe(400);
  });
});

describe('CORS', () => {
  const preflight = (origin: string, url = gatewayUrl()) =>
    fetch(url, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      },
    });

  it('answers a preflight from an allowed (loopback, in development) origin before any token check', async () => {
    const response = await preflight('http://127.0.0.1:5173');
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:5173');
    expect(response.headers.get('access-control-allow-methods')).toMatch(/POST/);
    expect(response.headers.get('access-control-allow-headers')?.toLowerCase().split(',')).toEqual(
      expect.arrayContaining(['authorization', 'content-type']),
    );
    expect(response.headers.get('vary')).toMatch(/origin/i);
  });

  it('adds the allow-origin header to the answer itself, and none for a disallowed origin', async () => {
    const allowed = await fetch(gatewayUrl(), {
      method: 'POST',
      headers: {
        origin: 'http://localhost:3000',
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
      },
      body: '{"query":"{ __typename }"}',
    });
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
    const refused = await preflight('https://evil.example');
    expect(refused.status).not.toBe(401);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    const refusedPost = await fetch(gatewayUrl(), {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'application/json' },
      body: '{"query":"{ __typename }"}',
    });
    expect(refusedPost.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('follows the configured allow-list: exact origins only, none at all when empty (production)', async () => {
    const configured = await anotherGateway({ corsOrigins: ['https://partner.example'], ide: false });
    const empty = await anotherGateway({ corsOrigins: [], ide: false });
    try {
      const partner = await preflight('https://partner.example', `${configured.url}graphql`);
      expect(partner.status).toBe(204);
      expect(partner.headers.get('access-control-allow-origin')).toBe('https://partner.example');
      expect(
        (await preflight('http://127.0.0.1:5173', `${configured.url}graphql`)).headers.get(
          'access-control-allow-origin',
        ),
      ).toBeNull();
      expect(
        (await preflight('https://partner.example.evil', `${configured.url}graphql`)).headers.get(
          'access-control-allow-origin',
        ),
      ).toBeNull();
      expect(
        (await preflight('http://127.0.0.1:5173', `${empty.url}graphql`)).headers.get('access-control-allow-origin'),
      ).toBeNull();
    } finally {
      await configured.stop();
      await empty.stop();
    }
  });
});

describe('the IDE', () => {
  const openInBrowser = (url: string) =>
    fetch(url, { headers: { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' } });

  it('serves GraphiQL and its assets from the gateway itself, never from a CDN, and no Apollo landing page', async () => {
    for (const path of ['', 'graphql']) {
      const page = await openInBrowser(`${graph.platform.gateway.url}${path}`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/text\/html/);
      expect(page.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
      const html = await page.text();
      expect(html).toMatch(/graphiql\.min\.js/);
      expect(html).not.toMatch(/https?:\/\//);
      for (const src of html.match(/(?:src|href)="([^"]+)"/g) ?? []) {
        const asset = await fetch(new URL(src.replace(/^(?:src|href)="|"$/g, ''), graph.platform.gateway.url));
        expect(asset.status).toBe(200);
      }
    }
  });

  it('is absent where not configured: the graph asks for a token instead', async () => {
    const gateway = await anotherGateway({ ide: false });
    try {
      const page = await openInBrowser(`${gateway.url}graphql`);
      expect(page.status).toBe(401);
      expect(await page.text()).not.toMatch(/<html|graphiql|apollo/i);
    } finally {
      await gateway.stop();
    }
  });
});

describe('health', () => {
  it('answers liveness at /health and /health/live, readiness at /health/ready', async () => {
    for (const path of ['health', 'health/live']) {
      const response = await fetch(`${graph.platform.gateway.url}${path}`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ status: 'ok', checks: { process: { status: 'ok' } } });
    }
    const ready = await fetch(`${graph.platform.gateway.url}health/ready`);
    expect(ready.status).toBe(200);
    const report = (await ready.json()) as { status: string; checks: Record<string, { status: string }> };
    expect(report.status).toBe('ok');
    expect(Object.keys(report.checks).sort()).toEqual([
      'subgraph:billing',
      'subgraph:participants',
      'subgraph:pathways',
      'subgraph:research',
    ]);
  });

  it('is not ready (503) while a subgraph does not answer, and says which', async () => {
    const urls = Object.fromEntries(graph.platform.subgraphs.map((s) => [s.name, s.url]));
    const gateway = await startGateway({
      supergraphs: loadRoleSupergraphs(),
      subgraphUrls: { ...urls, billing: 'http://127.0.0.1:9/graphql' }, // the discard port: nothing listens
      verifyCaller: createCallerVerifier({ publicKey: graph.keys.caller.publicKey }),
      gatewayPrivateKey: graph.keys.gateway.privateKey,
    });
    try {
      const ready = await fetch(`${gateway.url}health/ready`);
      expect(ready.status).toBe(503);
      const report = (await ready.json()) as { status: string; checks: Record<string, { status: string }> };
      expect(report.status).toBe('unavailable');
      expect(report.checks['subgraph:billing']?.status).toBe('unavailable');
      expect(report.checks['subgraph:participants']?.status).toBe('ok');
      expect((await fetch(`${gateway.url}health/live`)).status).toBe(200);
    } finally {
      await gateway.stop();
    }
  });
});

describe('stop() drains', () => {
  /** A POST whose body arrives slowly: the request is in flight at the gateway for `ms`. */
  function slowPost(
    url: string,
    query: string,
    ms: number,
  ): { sent: Promise<void>; answer: Promise<{ status: number; body: string }> } {
    const body = JSON.stringify({ query });
    let sent!: () => void;
    const sentPromise = new Promise<void>((resolve) => (sent = resolve));
    const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const request = httpRequest(
        url,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${token}`,
            'content-length': Buffer.byteLength(body),
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
          );
          response.on('error', reject);
        },
      );
      const half = Math.floor(body.length / 2);
      request.write(body.slice(0, half), () => sent());
      const rest = setTimeout(() => request.end(body.slice(half)), ms);
      request.on('error', (error) => {
        clearTimeout(rest);
        reject(error);
      });
    });
    return { sent: sentPromise, answer };
  }

  it('answers the three requests in flight completely, then refuses new connections', async () => {
    const gateway = await anotherGateway({ drainMs: 5_000 });
    const url = `${gateway.url}graphql`;
    const requests = [300, 500, 700].map((ms, i) => slowPost(url, `query Slow${i} { conventions { code } }`, ms));
    await Promise.all(requests.map((r) => r.sent));
    await new Promise((resolve) => setTimeout(resolve, 100)); // the gateway has their headers
    const started = Date.now();
    const stopped = gateway.stop();
    const answers = await Promise.all(requests.map((r) => r.answer));
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      const body = JSON.parse(answer.body) as { data?: { conventions?: unknown[] }; errors?: unknown };
      expect(body.errors).toBeUndefined();
      expect(Array.isArray(body.data?.conventions)).toBe(true);
    }
    await stopped;
    expect(Date.now() - started).toBeLessThan(5_000);
    await expect(
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"query":"{ __typename }"}',
      }),
    ).rejects.toThrow();
  });

  it('gives up on a request still in flight after drainMs', async () => {
    const gateway = await anotherGateway({ drainMs: 200 });
    const stuck = slowPost(`${gateway.url}graphql`, '{ __typename }', 5_000);
    const outcome = stuck.answer.then(
      () => 'answered',
      () => 'cut off',
    );
    await stuck.sent;
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    await gateway.stop();
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(await outcome).toBe('cut off');
  });
});
