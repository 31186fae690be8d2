/**
 * OpenTelemetry traces across gateway → subgraph → PostgreSQL, off by default (`IPS_TRACING`:
 * off | console | otlp to `OTEL_EXPORTER_OTLP_ENDPOINT`). The gateway opens a span per request
 * (Apollo Gateway adds its own plan and fetch spans under it) and sends the W3C `traceparent` to
 * the subgraphs; each subgraph continues the trace for its request, and each SQL statement becomes a
 * span under it. Spans carry operation names, subgraph names and SQL text without parameters —
 * never variables, results or anyone's data.
 */
import { context, propagation, trace, SpanKind, SpanStatusCode, type Context, type Span } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  ConsoleSpanExporter,
  SimpleSpanProcessor,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { config } from './config.js';

let provider: NodeTracerProvider | undefined;

/** Starts tracing for this process as configured, or into `exporter` (tests). Nothing when off. */
export function startTracing(options: { exporter?: SpanExporter; service?: string } = {}): void {
  if (provider) return;
  const mode = options.exporter ? 'given' : config().IPS_TRACING;
  if (mode === 'off') return;
  const processor = options.exporter
    ? new SimpleSpanProcessor(options.exporter)
    : mode === 'console'
      ? new SimpleSpanProcessor(new ConsoleSpanExporter())
      : new BatchSpanProcessor(
          new OTLPTraceExporter({ url: new URL('/v1/traces', config().OTEL_EXPORTER_OTLP_ENDPOINT).href }),
        );
  provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.service ?? 'ips-graph' }),
    spanProcessors: [processor],
  });
  provider.register(); // the global tracer, AsyncLocalStorage context and W3C trace-context propagation
}

/** Flushes and stops tracing (on shutdown). */
export async function stopTracing(): Promise<void> {
  const running = provider;
  provider = undefined;
  await running?.shutdown();
  trace.disable();
  propagation.disable();
  context.disable();
}

const tracer = () => trace.getTracer('ips-graph');

/** Runs `work` inside a new span (a child of `parent`, or of the active one), ended when it settles. */
export async function inSpan<T>(
  name: string,
  attributes: Record<string, string>,
  work: (span: Span) => Promise<T>,
  options: { parent?: Context; kind?: SpanKind } = {},
): Promise<T> {
  const span = tracer().startSpan(
    name,
    { attributes, kind: options.kind ?? SpanKind.INTERNAL },
    options.parent ?? context.active(),
  );
  try {
    return await context.with(trace.setSpan(options.parent ?? context.active(), span), () => work(span));
  } catch (error) {
    span.setStatus({ code: SpanStatusCode.ERROR });
    throw error;
  } finally {
    span.end();
  }
}

/** The trace context a caller sent (`traceparent`), to continue its trace. */
export function traceContextFrom(headers: Record<string, string | string[] | undefined>): Context {
  return propagation.extract(context.active(), headers, {
    get: (carrier, key) => carrier[key],
    keys: (carrier) => Object.keys(carrier),
  });
}

/** Adds the active trace context to outgoing headers (`traceparent`). */
export function sendTraceContext(headers: { set(name: string, value: string): unknown }): void {
  propagation.inject(context.active(), headers, { set: (carrier, key, value) => carrier.set(key, value) });
}

/** A finished SQL statement as a span of the active request (its text without parameters). */
export function recordStatement(sql: string, tookMs: number | undefined, schema: string | undefined): void {
  const parent = trace.getSpan(context.active());
  if (!parent) return;
  const end = Date.now();
  const span = tracer().startSpan(
    'pg.query',
    {
      kind: SpanKind.CLIENT,
      startTime: end - (tookMs ?? 0),
      attributes: {
        'db.system': 'postgresql',
        'db.statement': sql.slice(0, 2000),
        ...(schema ? { 'db.schema': schema } : {}),
      },
    },
    context.active(),
  );
  span.end(end);
}
