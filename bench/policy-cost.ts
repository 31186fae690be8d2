/**
 * What the access policy costs (DESIGN.md: measure graphql-shield): the same
 * 20-participant caseload query through the same gateway code, against the same
 * database, with the policy on and off, interleaved so machine noise hits both alike.
 * Prints SQL statements per request (on, off) and the time ratio on/off.
 *
 *   npm run bench:policy            (ITERATIONS=300 by default)
 */
import { signCallerToken } from '../gateway/identity.js';
import { benchDatabase } from './database.js';
import { startPlatform } from '../platform/launcher.js';

const ITERATIONS = Number(process.env.ITERATIONS ?? 300);
const CASELOAD = `query Caseload { participants(first: 20) {
  id niss givenName familyName region incapacityStatus
  referrals { form signedOn eligibility { wantsToReturnToWork } }
  consentGrants { recipient category }
  pathway { registryNumber status jobCoach convention { partner } }
  allocation { arm }
} }`;

const { database, databaseUrls, migrationUrl, keys } = await benchDatabase();
const common = {
  databaseUrls,
  migrationUrl,
  callerPublicKey: keys.caller.publicKey,
  gateway: keys.gateway,
  gatewayPort: 0,
  exposeSqlCount: true,
};
const on = await startPlatform({ ...common, seedDemo: true, enforcePolicy: true });
const off = await startPlatform({ ...common, seedDemo: false, enforcePolicy: false });
const token = await signCallerToken(
  { role: 'INAMI', organisation: 'INAMI', subject: 'bench' },
  keys.caller.privateKey,
  '1h',
);

async function run(url: string): Promise<{ ms: number; sql: number; rows: number }> {
  const started = performance.now();
  const response = await fetch(`${url}graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: CASELOAD }),
  });
  const body = (await response.json()) as {
    data?: { participants: unknown[] };
    errors?: unknown[];
    extensions?: { sqlStatements?: number };
  };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return {
    ms: performance.now() - started,
    sql: body.extensions?.sqlStatements ?? -1,
    rows: body.data?.participants.length ?? 0,
  };
}

try {
  for (let i = 0; i < 20; i++) await Promise.all([run(on.gateway.url), run(off.gateway.url)]); // warm up both
  const times = { on: [] as number[], off: [] as number[] };
  let sql = { on: 0, off: 0 };
  let rows = 0;
  for (let i = 0; i < ITERATIONS; i++) {
    // Alternate which goes first, so neither always runs on a warmer machine.
    const order = i % 2 === 0 ? (['on', 'off'] as const) : (['off', 'on'] as const);
    for (const mode of order) {
      const result = await run((mode === 'on' ? on : off).gateway.url);
      times[mode].push(result.ms);
      sql = { ...sql, [mode]: result.sql };
      rows = result.rows;
    }
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const p95 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length * 0.95)]!;
  console.log(`Caseload of ${rows} participants across 4 subgraphs, ${ITERATIONS} interleaved requests each`);
  console.log(
    `SQL statements per request: policy on ${sql.on}, policy off ${sql.off} (difference ${sql.on - sql.off}, constant in list size)`,
  );
  console.log(
    `median latency: on ${median(times.on).toFixed(2)} ms, off ${median(times.off).toFixed(2)} ms → ratio on/off ${(median(times.on) / median(times.off)).toFixed(2)}`,
  );
  console.log(
    `p95 latency:    on ${p95(times.on).toFixed(2)} ms, off ${p95(times.off).toFixed(2)} ms → ratio on/off ${(p95(times.on) / p95(times.off)).toFixed(2)}`,
  );
} finally {
  await on.stop();
  await off.stop();
  await database.stop();
}
