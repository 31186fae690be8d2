/**
 * The whole graph as operators see it: one request id from the caller through the gateway to
 * every subgraph it reaches, on every log line (SQL lines included), with no personal data in
 * them; the gateway's `/metrics` read by a Prometheus text parser; its readiness following the
 * subgraphs' own.
 */
import { Writable } from 'node:stream';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { createLogger, setLogger } from '../runtime/logger.js';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { startTracing, stopTracing } from '../runtime/tracing.js';
import { startTestPlatform, type TestPlatform } from './harness.js';
import { seed } from './seed.js';

const lines: Record<string, unknown>[] = [];
const capture = new Writable({
  write(chunk: Buffer, _encoding, done) {
    for (const line of chunk.toString('utf8').split('\n').filter(Boolean))
      lines.push(JSON.parse(line) as Record<string, unknown>);
    done();
  },
});

const spans = new InMemorySpanExporter();
let graph: TestPlatform;
beforeAll(async () => {
  setLogger(createLogger({ level: 'debug', destination: capture }));
  startTracing({ exporter: spans, service: 'ips-graph-test' });
  graph = await startTestPlatform();
}, 120_000);
afterAll(async () => {
  await graph?.stop();
  await stopTracing();
});

it('carries one request id from the gateway to every subgraph, on every log line, with no personal data', async () => {
  const person = await seed(graph)
    .person({ givenName: 'Anouk', familyName: 'Verhaegen' })
    .referredBy('MEDECIN_CONSEIL')
    .registered()
    .build();
  const response = await fetch(`${graph.platform.gateway.url}graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${await graph.tokenFor({ role: 'INAMI', organisation: 'INAMI', subject: 'inami-1' })}`,
      'x-request-id': 'req-trace-42',
    },
    body: JSON.stringify({
      query:
        'query Traced($id: ID!) { participant(id: $id) { givenName familyName pathway { registryNumber convention { partner } } } }',
      variables: { id: person.participantId },
    }),
  });
  expect(response.headers.get('x-request-id')).toBe('req-trace-42');
  const body = (await response.json()) as { data: { participant: { givenName: string } } };
  expect(body.data.participant.givenName).toBe('Anouk');
  await new Promise((resolve) => setTimeout(resolve, 200)); // pino writes asynchronously

  const traced = lines.filter((line) => line.requestId === 'req-trace-42');
  expect(traced.some((line) => line.component === 'gateway' && line.operation === 'Traced')).toBe(true);
  const subgraphs = new Set(traced.map((line) => line.subgraph).filter(Boolean));
  for (const name of ['participants', 'pathways', 'billing']) expect(subgraphs).toContain(name);
  expect(traced.some((line) => typeof line.sql === 'string' || /sql/i.test(String(line.msg)))).toBe(true);
  // No personal data: not the names read, not the NISS, not the variables.
  const text = JSON.stringify(lines);
  for (const secret of ['Anouk', 'Verhaegen', person.niss, person.participantId]) expect(text).not.toContain(secret);
});

it("serves the gateway's metrics in the Prometheus text format, per operation and subgraph", async () => {
  const response = await fetch(`${graph.platform.gateway.url}metrics`);
  expect(response.status).toBe(200);
  const families = parsePrometheusTextFormat(await response.text()) as {
    name: string;
    metrics: { labels?: Record<string, string> }[];
  }[];
  const byName = new Map(families.map((family) => [family.name, family]));
  expect(
    byName
      .get('ips_graphql_requests_total')
      ?.metrics.some((m) => m.labels?.component === 'gateway' && m.labels?.operation === 'Traced'),
  ).toBe(true);
  expect(byName.get('ips_subgraph_fetches_total')?.metrics.some((m) => m.labels?.subgraph === 'participants')).toBe(
    true,
  );
  expect(byName.has('ips_subgraph_fetch_duration_seconds')).toBe(true);
});

it("answers the gateway's readiness from the subgraphs' own", async () => {
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

it('traces one request across the gateway, the subgraphs it reaches and their SQL statements, under one trace id', async () => {
  spans.reset();
  const response = await fetch(`${graph.platform.gateway.url}graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${await graph.tokenFor({ role: 'INAMI', organisation: 'INAMI', subject: 'inami-1' })}`,
    },
    body: JSON.stringify({
      query:
        'query Registry { participants(first: 3) { givenName pathway { registryNumber convention { partner } } } }',
    }),
  });
  expect(response.status).toBe(200);
  await new Promise((resolve) => setTimeout(resolve, 200));
  const finished = spans.getFinishedSpans();
  const root = finished.find((span) => span.name === 'gateway request');
  expect(root).toBeDefined();
  const traceId = root!.spanContext().traceId;
  const inTrace = finished.filter((span) => span.spanContext().traceId === traceId);
  const names = new Set(inTrace.map((span) => span.name));
  for (const name of ['subgraph participants', 'subgraph pathways', 'subgraph billing', 'pg.query'])
    expect(names).toContain(name);
  // The SQL spans hang under the subgraph requests, and carry no parameters or data.
  const statements = inTrace.filter((span) => span.name === 'pg.query');
  expect(statements.every((span) => typeof span.attributes['db.statement'] === 'string')).toBe(true);
  expect(JSON.stringify(inTrace.map((span) => span.attributes))).not.toMatch(/Camille|Lambert|\d{11}/);
});
