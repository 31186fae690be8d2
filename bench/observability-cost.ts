/**
 * What logs and metrics cost one request: the same INAMI query across four subgraphs through the
 * gateway, alternately with JSON logs (info level, written to /dev/null) and Prometheus metrics on,
 * and with both off — interleaved in one run so machine noise hits both alike. Prints the median
 * and p95 latency of each and the on/off ratios, and the RSS growth of each (measured around each
 * request, so it is mostly noise: a ratio near 1 means "no measurable difference").
 *
 *   npm run bench:observability      (ITERATIONS=200 by default)
 */
import { pino } from 'pino';
import { signCallerToken } from '../gateway/identity.js';
import { benchDatabase } from './database.js';
import { startPlatform } from '../platform/launcher.js';
import { createLogger, setLogger } from '../runtime/logger.js';
import { setMetricsEnabled } from '../runtime/metrics.js';

const ITERATIONS = Number(process.env.ITERATIONS ?? 200);
const { database, databaseUrls, migrationUrl, keys } = await benchDatabase();
const platform = await startPlatform({
  databaseUrls,
  migrationUrl,
  callerPublicKey: keys.caller.publicKey,
  gateway: keys.gateway,
  gatewayPort: 0,
  seedDemo: true,
});
const url = `${platform.gateway.url}graphql`;
const token = await signCallerToken(
  { role: 'INAMI', organisation: 'INAMI', subject: 'inami-agent-1' },
  keys.caller.privateKey,
  '1h',
);
const QUERY =
  'query Bench { participants(first: 20) { niss givenName referrals { form signedOn } pathway { registryNumber status convention { partner site } } allocation { arm } } }';

const loggers = {
  on: createLogger({ level: 'info', destination: pino.destination({ dest: '/dev/null', sync: false }) }),
  off: createLogger({ level: 'silent' }),
};

async function once(mode: 'on' | 'off'): Promise<{ ms: number; rss: number }> {
  setLogger(loggers[mode]);
  setMetricsEnabled(mode === 'on');
  const rssBefore = process.memoryUsage().rss;
  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-request-id': `bench-${mode}` },
    body: JSON.stringify({ query: QUERY }),
  });
  const body = (await response.json()) as { errors?: unknown[] };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return { ms: performance.now() - started, rss: process.memoryUsage().rss - rssBefore };
}

for (let i = 0; i < 20; i++) await once(i % 2 ? 'on' : 'off'); // warm-up: plans, pools, JIT
const samples = { on: [] as { ms: number; rss: number }[], off: [] as { ms: number; rss: number }[] };
for (let i = 0; i < ITERATIONS; i++) {
  const order: ('on' | 'off')[] = i % 2 ? ['on', 'off'] : ['off', 'on'];
  for (const mode of order) samples[mode].push(await once(mode));
}

const quantile = (values: number[], q: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))]!;
const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
const stats = (mode: 'on' | 'off') => ({
  median: quantile(
    samples[mode].map((s) => s.ms),
    0.5,
  ),
  p95: quantile(
    samples[mode].map((s) => s.ms),
    0.95,
  ),
  rssKb: mean(samples[mode].map((s) => s.rss)) / 1024,
});
const on = stats('on');
const off = stats('off');
console.log(`observability cost, ${ITERATIONS} requests each, interleaved (one query across four subgraphs):`);
console.log(
  `  logs+metrics off: median ${off.median.toFixed(2)} ms, p95 ${off.p95.toFixed(2)} ms, mean RSS growth ${off.rssKb.toFixed(1)} KiB/request`,
);
console.log(
  `  logs+metrics on : median ${on.median.toFixed(2)} ms, p95 ${on.p95.toFixed(2)} ms, mean RSS growth ${on.rssKb.toFixed(1)} KiB/request`,
);
console.log(
  `  ratio on/off    : median ×${(on.median / off.median).toFixed(3)}, p95 ×${(on.p95 / off.p95).toFixed(3)}`,
);
console.log(`  process RSS at the end: ${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MiB`);
await platform.stop(1_000);
await database.stop();
process.exit(0);
