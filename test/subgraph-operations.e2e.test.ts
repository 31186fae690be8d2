/**
 * One subgraph as operators see it: liveness, readiness that follows its own PostgreSQL (stopped,
 * then started again, without restarting the subgraph), `/metrics` read by a Prometheus text parser,
 * and one request id on every log line of a request — SQL lines included. The subgraph runs on an
 * embedded PostgreSQL of its own (its own port and data folder), so stopping it touches no other test.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { signGatewayToken } from '../gateway/identity.js';
import { ephemeralDevKeys } from '../gateway/keys.js';
import { freePort, provisionDatabase, startEmbeddedPostgres, adminUrlOf, type Database } from '../platform/database.js';
import { SUBGRAPHS } from '../platform/subgraphs.js';
import { createLogger, setLogger } from '../runtime/logger.js';
import { startSubgraph, type RunningSubgraph } from '../subgraphs/kit/subgraph.js';

const lines: Record<string, unknown>[] = [];
const capture = new Writable({
  write(chunk: Buffer, _encoding, done) {
    for (const line of chunk.toString('utf8').split('\n').filter(Boolean))
      lines.push(JSON.parse(line) as Record<string, unknown>);
    done();
  },
});

let dataDir: string;
let pgPort: number;
let database: Database;
let subgraph: RunningSubgraph;
let token: string;

beforeAll(async () => {
  setLogger(createLogger({ level: 'debug', destination: capture }));
  dataDir = join(mkdtempSync(join(tmpdir(), 'ips-ops-')), 'postgres');
  pgPort = await freePort();
  database = await startEmbeddedPostgres({ dataDir, port: pgPort, persistent: true });
  const { subgraphUrls, ownerUrl } = await provisionDatabase(adminUrlOf(database), 'ips');
  const keys = await ephemeralDevKeys();
  subgraph = await startSubgraph(SUBGRAPHS.participants, {
    databaseUrl: subgraphUrls.participants,
    migrationUrl: ownerUrl,
    gatewayKey: keys.gateway.publicKey,
  });
  token = await signGatewayToken(
    { role: 'INAMI', organisation: 'INAMI', subject: 'inami-agent-1' },
    keys.gateway.privateKey,
    'OpsProbe',
  );
}, 120_000);

afterAll(async () => {
  await subgraph?.stop(1_000);
  await database?.stop();
  rmSync(join(dataDir, '..'), { recursive: true, force: true });
});

const get = async (path: string) => {
  const response = await fetch(new URL(path, subgraph.url));
  return { status: response.status, type: response.headers.get('content-type') ?? '', text: await response.text() };
};

it('answers liveness and readiness as JSON { status, checks }', async () => {
  const live = await get('/health/live');
  expect(live.status).toBe(200);
  expect(JSON.parse(live.text)).toEqual({ status: 'ok', checks: {} });
  const ready = await get('/health/ready');
  expect(ready.status).toBe(200);
  expect(JSON.parse(ready.text)).toEqual({
    status: 'ok',
    checks: { database: { status: 'ok' }, migrations: { status: 'ok' } },
  });
});

it('carries the caller’s x-request-id on every log line of the request, SQL lines included, and never the variables', async () => {
  const response = await fetch(new URL('/graphql', subgraph.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-request-id': 'abc' },
    body: JSON.stringify({
      query: 'query Probe($first: Int) { participants(first: $first) { id } }',
      variables: { first: 7 },
    }),
  });
  expect(response.status).toBe(200);
  expect(response.headers.get('x-request-id')).toBe('abc');
  await new Promise((resolve) => setTimeout(resolve, 100));
  const ofRequest = lines.filter((line) => line.requestId === 'abc');
  expect(ofRequest.some((line) => line.msg === 'sql' && typeof line.sql === 'string' && line.level === 'debug')).toBe(
    true,
  );
  expect(
    ofRequest.some(
      (line) => line.msg === 'request' && line.subgraph === 'participants' && line.operation === 'OpsProbe',
    ),
  ).toBe(true);
  // SQL text without parameters, no variables anywhere.
  for (const line of ofRequest) expect(JSON.stringify(line)).not.toMatch(/"first"|\b7\b.*variables/);
  // Without a header, the subgraph makes one.
  const other = await fetch(new URL('/graphql', subgraph.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: '{ __typename }' }),
  });
  expect(other.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
});

it('serves /metrics in the Prometheus text format: requests, latency, errors, pool, access-log rows', async () => {
  const metrics = await get('/metrics');
  expect(metrics.status).toBe(200);
  expect(metrics.type).toContain('text/plain');
  const families = parsePrometheusTextFormat(metrics.text);
  const byName = new Map(families.map((family) => [family.name, family]));
  const requests = byName.get('ips_graphql_requests_total');
  expect(requests?.type).toBe('COUNTER');
  expect(
    requests?.metrics.some(
      (metric) =>
        metric.labels?.component === 'participants' &&
        metric.labels?.operation === 'OpsProbe' &&
        Number(metric.value) >= 1,
    ),
  ).toBe(true);
  expect(byName.get('ips_graphql_request_duration_seconds')?.type).toBe('HISTOGRAM');
  expect(byName.get('ips_graphql_errors_total')?.type).toBe('COUNTER');
  expect(byName.get('ips_access_log_rows_total')?.type).toBe('COUNTER');
  const pool = byName.get('ips_db_pool_connections');
  expect(pool?.metrics.map((metric) => metric.labels?.state).sort()).toEqual(
    expect.arrayContaining(['idle', 'in_use', 'waiting']),
  );
});

it('is not ready while PostgreSQL is stopped, and ready again once it is back, without a restart', async () => {
  await database.stop();
  const down = await get('/health/ready');
  expect(down.status).toBe(503);
  const body = JSON.parse(down.text) as { status: string; checks: Record<string, { status: string }> };
  expect(body.status).toBe('unavailable');
  expect(body.checks.database?.status).toBe('failed');
  expect((await get('/health/live')).status).toBe(200);

  database = await startEmbeddedPostgres({ dataDir, port: pgPort, persistent: true });
  let ready = await get('/health/ready');
  for (let attempt = 0; ready.status !== 200 && attempt < 20; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    ready = await get('/health/ready');
  }
  expect(ready.status).toBe(200);
  const answer = await fetch(new URL('/graphql', subgraph.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: '{ participants(first: 1) { id } }' }),
  });
  expect(answer.status).toBe(200);
  expect(((await answer.json()) as { errors?: unknown }).errors).toBeUndefined();
});
