/**
 * The gateway's client to a subgraph (gateway/subgraph-client.ts): one kept-alive socket reused from
 * request to request, the body parsed once, and failures reported as the gateway's error mapping reads
 * them — TimeoutError past the deadline (TIMEOUT), even when the subgraph stalls mid-body, and
 * `TypeError: fetch failed` when it cannot be reached (UNAVAILABLE).
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { subgraphClient, type SubgraphClient } from './subgraph-client.js';

let server: Server;
let url: string;
let connections = 0;
const stalled: ServerResponse[] = [];
let client: SubgraphClient;

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      if (request.url === '/silent') return void stalled.push(response); // never answers
      if (request.url === '/mid-body') {
        response.writeHead(200, { 'content-type': 'application/json' }).write('{"data":'); // stalls mid-body
        return void stalled.push(response);
      }
      response.writeHead(request.url === '/refused' ? 400 : 200, {
        'content-type': 'application/json; charset=utf-8',
        'x-echo': request.headers['x-echo'] ?? '',
      });
      response.end(JSON.stringify({ data: { echo: JSON.parse(body) as unknown, big: 'é'.repeat(100_000) } }));
    });
  });
  server.on('connection', () => (connections += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  client = subgraphClient();
});
afterAll(async () => {
  client.close();
  for (const response of stalled) response.destroy();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('the subgraph client', () => {
  it('sends the headers and body, reads the status and headers, parses the body once, and reuses one kept-alive socket', async () => {
    const before = connections;
    for (let i = 0; i < 3; i++) {
      const response = await client.fetch(
        `${url}/graphql`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-echo': `call-${i}` },
          body: JSON.stringify({ i }),
        },
        5_000,
      );
      expect(response.ok).toBe(true);
      expect(response.status).toBe(200);
      expect(response.headers.get('Content-Type')).toBe('application/json; charset=utf-8');
      expect(response.headers.get('x-echo')).toBe(`call-${i}`);
      const parsed = (await response.json()) as { data: { echo: unknown; big: string } };
      expect(parsed.data.echo).toEqual({ i });
      expect(parsed.data.big).toHaveLength(100_000); // a body in many chunks, a multi-byte character across them
      expect(await response.json()).toBe(parsed); // parsed once: the same object again
    }
    expect(connections - before).toBe(1);
  });

  it('answers a client error as a response (the data source reads its body), not a failure', async () => {
    const response = await client.fetch(
      `${url}/refused`,
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' },
      5_000,
    );
    expect(response.ok).toBe(false);
    expect(response.status).toBe(400);
    expect(JSON.parse(await response.text())).toHaveProperty('data');
  });

  it('fails with a TimeoutError past the deadline, whether the subgraph never answers or stalls mid-body', async () => {
    for (const path of ['/silent', '/mid-body']) {
      await expect(client.fetch(`${url}${path}`, { method: 'POST', body: '{}' }, 200)).rejects.toMatchObject({
        name: 'TimeoutError',
      });
    }
  });

  it('fails as Node\'s fetch does when the subgraph cannot be reached: TypeError "fetch failed", the socket\'s error as its cause', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await expect(
      client.fetch(`http://127.0.0.1:${port}/graphql`, { method: 'POST', body: '{}' }, 5_000),
    ).rejects.toMatchObject({ name: 'TypeError', message: 'fetch failed', cause: { code: 'ECONNREFUSED' } });
  });
});
