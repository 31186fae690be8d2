/**
 * Connections that stay warm while the platform idles:
 * - each subgraph's pool keeps POOL_MIN connections, opened at start and still open after its idle timeout,
 *   so the first request after an idle minute does not pay a handshake and a fresh backend's catalog loading;
 * - the gateway's and the subgraphs' HTTP servers keep an idle connection KEEP_ALIVE_TIMEOUT_MS (65 s), and
 *   say so, so a client whose event loop was busy a few seconds does not reuse a socket the server closed
 *   (ECONNRESET on a POST, which is not retried).
 * Performance itself is measured by `npm run bench` (its part 5), never asserted here.
 */
import type pg from 'pg';
import { KEEP_ALIVE_TIMEOUT_MS } from '../runtime/net.js';
import { POOL_MIN } from '../subgraphs/kit/orm.js';
import { startTestPlatform, type TestPlatform } from './harness.js';

let graph: TestPlatform;
beforeAll(async () => {
  graph = await startTestPlatform({ seedDemo: false });
}, 240_000);
afterAll(async () => {
  await graph?.stop();
});

const poolOf = async (name: string) => {
  const subgraph = graph.platform.subgraphs.find((s) => s.name === name)!;
  return await subgraph.orm.em.getConnection().getNativeClient();
};

describe('warm connections', () => {
  it('each subgraph pool holds its kept connections from start, and still holds them once connections beyond them were idle long enough to close', async () => {
    for (const subgraph of graph.platform.subgraphs)
      expect({ subgraph: subgraph.name, total: (await poolOf(subgraph.name)).totalCount }).toEqual({
        subgraph: subgraph.name,
        total: POOL_MIN,
      });
    // Grow the pathways pool beyond its kept connections (five statements at once), then let it idle past pg-pool's idle timeout.
    const pool = await poolOf('pathways');
    const held = await Promise.all(Array.from({ length: 5 }, () => pool.connect()));
    held.forEach((client) => client.release());
    expect(pool.totalCount).toBe(5);
    const idleTimeoutMs = (pool.options as { idleTimeoutMillis?: number }).idleTimeoutMillis ?? 10_000;
    for (const waitUntil = Date.now() + idleTimeoutMs + 15_000; pool.totalCount > POOL_MIN && Date.now() < waitUntil;)
      await new Promise((resolve) => setTimeout(resolve, 250));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(pool.totalCount).toBe(POOL_MIN);
  }, 60_000);

  it('the gateway and every subgraph announce the keep-alive timeout they hold idle connections for', async () => {
    const seconds = `timeout=${KEEP_ALIVE_TIMEOUT_MS / 1000}`;
    const gateway = await fetch(`${graph.platform.gateway.url}graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    await gateway.arrayBuffer();
    expect(gateway.headers.get('keep-alive')).toBe(seconds);
    for (const subgraph of graph.platform.subgraphs) {
      const response = await fetch(`${subgraph.url}graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      await response.arrayBuffer();
      expect({ subgraph: subgraph.name, keepAlive: response.headers.get('keep-alive') }).toEqual({
        subgraph: subgraph.name,
        keepAlive: seconds,
      });
    }
  });
});
