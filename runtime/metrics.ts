/**
 * Prometheus metrics (prom-client), one registry per process, served as text at `/metrics`.
 * Names and labels are the same on the gateway and the subgraphs; `component` says which.
 * Labels carry operation and subgraph names only — never variables or ids — and take a bounded set of
 * values each (operationLabel).
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { config } from './config.js';

export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'ips_' });

/** Requests served, by component (`gateway` or a subgraph name), operation name and outcome. */
export const requests = new Counter({
  name: 'ips_graphql_requests_total',
  help: 'GraphQL requests served, by component, operation and outcome (ok | error)',
  labelNames: ['component', 'operation', 'outcome'] as const,
  registers: [registry],
});

/** Request latency in seconds, by component and operation. */
export const requestDuration = new Histogram({
  name: 'ips_graphql_request_duration_seconds',
  help: 'Latency of GraphQL requests in seconds, by component and operation',
  labelNames: ['component', 'operation'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15],
  registers: [registry],
});

/** GraphQL errors in responses, by component, operation and error code. */
export const errors = new Counter({
  name: 'ips_graphql_errors_total',
  help: 'GraphQL errors in responses, by component, operation and code',
  labelNames: ['component', 'operation', 'code'] as const,
  registers: [registry],
});

/** Gateway → subgraph fetches (for the gateway's wiring): by subgraph and outcome. */
export const subgraphFetches = new Counter({
  name: 'ips_subgraph_fetches_total',
  help: 'Fetches from the gateway to a subgraph, by subgraph and outcome (ok | error | timeout)',
  labelNames: ['subgraph', 'outcome'] as const,
  registers: [registry],
});

export const subgraphFetchDuration = new Histogram({
  name: 'ips_subgraph_fetch_duration_seconds',
  help: 'Latency of gateway → subgraph fetches in seconds',
  labelNames: ['subgraph'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15],
  registers: [registry],
});

/**
 * How many distinct operation names each component labels its series with; any further name is
 * counted as `other`. Operation names are chosen by clients (any `query Anything { … }`): unbounded,
 * each new one would add series (a counter, a histogram of 12 buckets, per outcome and code) kept for
 * the life of the process — memory that only grows. The partners' front ends send a few dozen.
 */
export const MAX_OPERATION_LABELS = 200;
/** The label of every operation name past the first MAX_OPERATION_LABELS of a component. */
export const OTHER_OPERATION = 'other';
const MAX_OPERATION_LABEL_LENGTH = 100;
const operationLabels = new Map<string, Set<string>>();

/** The `operation` label for a request's operation name: the name itself while the component's set of names has room, `other` after. */
export function operationLabel(component: string, operation: string): string {
  const name = operation.slice(0, MAX_OPERATION_LABEL_LENGTH);
  let seen = operationLabels.get(component);
  if (!seen) operationLabels.set(component, (seen = new Set()));
  if (seen.has(name)) return name;
  if (seen.size >= MAX_OPERATION_LABELS) return OTHER_OPERATION;
  seen.add(name);
  return name;
}

/** Connections of a subgraph's pg pool: total, idle, and callers waiting for one (read at scrape time). */
export const poolConnections = new Gauge({
  name: 'ips_db_pool_connections',
  help: "Connections of a subgraph's PostgreSQL pool by state (in_use | idle | waiting: callers queued for a connection)",
  labelNames: ['subgraph', 'state'] as const,
  registers: [registry],
  collect() {
    for (const [subgraph, read] of pools) {
      const stats = read();
      if (!stats) continue;
      this.set({ subgraph, state: 'in_use' }, stats.total - stats.idle);
      this.set({ subgraph, state: 'idle' }, stats.idle);
      this.set({ subgraph, state: 'waiting' }, stats.waiting);
    }
  },
});

/** Rows appended to the access log. */
export const accessLogRows = new Counter({
  name: 'ips_access_log_rows_total',
  help: 'Rows appended to the access log, by subgraph',
  labelNames: ['subgraph'] as const,
  registers: [registry],
});

export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
}
const pools = new Map<string, () => PoolStats | undefined>();

/** Lets the pool gauge read a subgraph's pool at scrape time. */
export function watchPool(subgraph: string, read: () => PoolStats | undefined): () => void {
  pools.set(subgraph, read);
  return () => {
    if (pools.get(subgraph) === read) pools.delete(subgraph);
  };
}

let override: boolean | undefined;

export function metricsEnabled(): boolean {
  return override ?? config().IPS_METRICS === 'on';
}

/** Turns metrics on or off at run time (bench/ interleaves both); undefined: back to IPS_METRICS. */
export function setMetricsEnabled(on: boolean | undefined): void {
  override = on;
}

/** The `/metrics` answer: content type and body (Prometheus text format). */
export async function metricsResponse(): Promise<{ contentType: string; body: string }> {
  return { contentType: registry.contentType, body: await registry.metrics() };
}
