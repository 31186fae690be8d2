/**
 * The gateway's liveness and readiness, in the shape orchestrators and the subgraphs use:
 * `{ status: 'ok' | 'unavailable', checks: { <name>: { status, … } } }`, 200 or 503.
 */
import type { Router } from 'express';
import express from 'express';

export interface HealthReport {
  status: 'ok' | 'unavailable';
  checks: Record<string, { status: 'ok' | 'unavailable'; httpStatus?: number; error?: string; ms?: number }>;
}

/** How long one subgraph may take to answer the readiness probe. */
const PROBE_TIMEOUT_MS = 2_000;

/** What the gateway asks each subgraph: its own readiness (database reachable, migrations current). */
const SUBGRAPH_PROBE = {
  probe: (url: string) => ({ url: new URL('/health/ready', url).href, up: (status: number) => status === 200 }),
};

async function probe(subgraphUrl: string): Promise<HealthReport['checks'][string]> {
  const { url, up } = SUBGRAPH_PROBE.probe(subgraphUrl);
  const started = Date.now();
  try {
    const response = await fetch(url, {
      method: 'GET',
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
    });
    await response.arrayBuffer();
    return {
      status: up(response.status) ? 'ok' : 'unavailable',
      httpStatus: response.status,
      ms: Date.now() - started,
    };
  } catch (error) {
    const name = (error as { name?: unknown } | null)?.name;
    return {
      status: 'unavailable',
      error: name === 'TimeoutError' ? `no answer in ${PROBE_TIMEOUT_MS} ms` : 'unreachable',
      ms: Date.now() - started,
    };
  }
}

export async function readiness(subgraphUrls: Record<string, string>): Promise<HealthReport> {
  const checks = Object.fromEntries(
    await Promise.all(
      Object.entries(subgraphUrls).map(async ([name, url]) => [`subgraph:${name}`, await probe(url)] as const),
    ),
  );
  return { status: Object.values(checks).every((check) => check.status === 'ok') ? 'ok' : 'unavailable', checks };
}

/** `/health` and `/health/live` (the process serves), `/health/ready` (every subgraph answers). */
export function healthRouter(subgraphUrls: Record<string, string>): Router {
  const router = express.Router();
  const live = (_request: express.Request, response: express.Response) => {
    response
      .status(200)
      .set('cache-control', 'no-store')
      .json({ status: 'ok', checks: { process: { status: 'ok' } } } satisfies HealthReport);
  };
  router.get(['/health', '/health/live'], live);
  router.get('/health/ready', async (_request, response) => {
    const report = await readiness(subgraphUrls);
    response
      .status(report.status === 'ok' ? 200 : 503)
      .set('cache-control', 'no-store')
      .json(report);
  });
  return router;
}
