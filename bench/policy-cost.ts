/**
 * What the access policy costs (DESIGN.md: measure graphql-shield), on the two pieces of work issue goals name:
 * a job coach's caseload of exactly 20 (the pathways subgraph's fields) and INAMI's 100-person page (the
 * participants subgraph's own fields), each four ways, interleaved so machine noise hits them alike:
 * gateway + policy, gateway without policy, the subgraph called directly with policy, and without.
 * It prints the ratio gateway + policy / subgraph direct without policy (goal ≤ 1.3×) and the policy's share:
 * (subgraph with policy − without) / gateway + policy, with the spread of each ratio over 5 blocks of rounds.
 *
 *   npm run bench:policy                                    (ITERATIONS=150 by default)
 *   PROFILE=page/subgraph+policy npm run bench:policy   one path alone, ITERATIONS times, its CPU profile (those
 *                                                       requests only, every process of the platform)  in the temporary folder
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from 'node:inspector/promises';
import pg from 'pg';
import { signCallerToken, signGatewayToken } from '../gateway/identity.js';
import { startPlatform } from '../platform/launcher.js';
import type { Identity } from '../schema/identity.js';
import { exactCaseload } from './caseload.js';
import { benchDatabase } from './database.js';

const ITERATIONS = Number(process.env.ITERATIONS ?? 150);
const PROFILE = process.env.PROFILE;
const CASELOAD_SIZE = 20;
const PAGE_SIZE = 100;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
const fixed = (value: number) => (Number.isFinite(value) ? value.toFixed(2) : '—');

interface Body {
  data?: Record<string, unknown> | null;
  errors?: unknown[];
}

async function post(url: string, token: string, query: string): Promise<Body> {
  const response = await fetch(`${url}graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query }),
  });
  return (await response.json()) as Body;
}

const { database, databaseUrls, migrationUrl, keys } = await benchDatabase();
const common = {
  databaseUrls,
  migrationUrl,
  callerPublicKey: keys.caller.publicKey,
  gateway: keys.gateway,
  gatewayPort: 0,
};
const on = await startPlatform({ ...common, seedDemo: true, enforcePolicy: true });
const off = await startPlatform({ ...common, seedDemo: false, enforcePolicy: false });
const owner = new pg.Client({ connectionString: migrationUrl });
await owner.connect();
const coach = await exactCaseload(owner, CASELOAD_SIZE);
await owner.end();
const inami: Identity = { role: 'INAMI', organisation: 'INAMI', subject: 'inami-bench' };

const WORK = [
  {
    key: 'caseload',
    name: `caseload of ${CASELOAD_SIZE} (a coach; the pathways subgraph)`,
    as: coach,
    subgraph: 'pathways',
    query: '{ caseload { pathway { id registryNumber status registeredAt jobCoach } nextAction { kind dueOn } } }',
    items: (data: Record<string, unknown>) => (data.caseload as unknown[]).length,
    expected: CASELOAD_SIZE,
  },
  {
    key: 'page',
    name: `page of ${PAGE_SIZE} people (INAMI; the participants subgraph)`,
    as: inami,
    subgraph: 'participants',
    query: `{ participants(first: ${PAGE_SIZE}) { id niss givenName familyName region incapacityStatus referrals { form signedOn } consentGrants { recipient category } } }`,
    items: (data: Record<string, unknown>) => (data.participants as unknown[]).length,
    expected: PAGE_SIZE,
  },
] as const;

/** The four ways to one piece of work, each checked to answer exactly the work's items. */
async function pathsOf(work: (typeof WORK)[number]): Promise<Record<string, () => Promise<void>>> {
  const callerToken = await signCallerToken(work.as, keys.caller.privateKey, '2h');
  // A gateway token lives a minute (GATEWAY_TOKEN): signed afresh every 30 s (a signature is a tiny part of one round).
  let subgraphToken = { value: '', signedAt: -Infinity };
  const freshSubgraphToken = async () => {
    if (performance.now() - subgraphToken.signedAt > 30_000)
      subgraphToken = {
        value: await signGatewayToken(work.as, keys.gateway.privateKey, 'PolicyCost'),
        signedAt: performance.now(),
      };
    return subgraphToken.value;
  };
  const subgraphUrl = (platform: typeof on) => {
    const subgraph = platform.subgraphs.find((candidate) => candidate.name === work.subgraph);
    if (!subgraph) throw new Error(`no ${work.subgraph} subgraph`);
    return subgraph.url;
  };
  const ask = (url: string, token: string | (() => Promise<string>), what: string) => async () => {
    const body = await post(url, typeof token === 'string' ? token : await token(), work.query);
    if (body.errors?.length || !body.data) throw new Error(`${work.key}, ${what}: ${JSON.stringify(body.errors)}`);
    const items = work.items(body.data);
    if (items !== work.expected) throw new Error(`${work.key}, ${what}: ${items} items, not ${work.expected}`);
  };
  return {
    'gateway+policy': ask(on.gateway.url, callerToken, 'gateway + policy'),
    gateway: ask(off.gateway.url, callerToken, 'gateway without policy'),
    'subgraph+policy': ask(subgraphUrl(on), freshSubgraphToken, 'subgraph with policy'),
    subgraph: ask(subgraphUrl(off), freshSubgraphToken, 'subgraph without policy'),
  };
}

async function interleaved(paths: Record<string, () => Promise<void>>, rounds: number) {
  const names = Object.keys(paths);
  for (let i = 0; i < 10; i++) for (const name of names) await paths[name]?.();
  const times: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
  for (let round = 0; round < rounds; round++)
    for (let j = 0; j < names.length; j++) {
      const name = names[(round + j) % names.length] ?? '';
      const started = performance.now();
      await paths[name]?.();
      times[name]?.push(performance.now() - started);
    }
  return times;
}

/** A ratio of medians, and its least and greatest over 5 consecutive blocks of rounds. */
function ratio(a: number[], b: number[], blocks = 5): string {
  const size = Math.max(1, Math.floor(Math.min(a.length, b.length) / blocks));
  const ratios: number[] = [];
  for (let i = 0; i + size <= Math.min(a.length, b.length); i += size)
    ratios.push(median(a.slice(i, i + size)) / median(b.slice(i, i + size)));
  return `${fixed(median(a) / median(b))}× (${fixed(Math.min(...ratios))}–${fixed(Math.max(...ratios))}×)`;
}

/** The policy's share of gateway + policy: what it adds in the subgraph, over the whole request. */
function share(times: Record<string, number[]>, blocks = 5): string {
  const [full = [], policy = [], bare = []] = ['gateway+policy', 'subgraph+policy', 'subgraph'].map(
    (name) => times[name],
  );
  const of = (f: number[], p: number[], s: number[]) => (median(p) - median(s)) / median(f);
  const size = Math.max(1, Math.floor(full.length / blocks));
  const shares: number[] = [];
  for (let i = 0; i + size <= full.length; i += size)
    shares.push(of(full.slice(i, i + size), policy.slice(i, i + size), bare.slice(i, i + size)));
  const percent = (value: number) => `${(value * 100).toFixed(0)} %`;
  return `${percent(of(full, policy, bare))} (${percent(Math.min(...shares))}–${percent(Math.max(...shares))})`;
}

try {
  if (PROFILE) {
    const [key, path] = PROFILE.split('/');
    const work = WORK.find((candidate) => candidate.key === key);
    const run = work && path ? (await pathsOf(work))[path] : undefined;
    if (!run)
      throw new Error(
        `PROFILE is <${WORK.map((w) => w.key).join('|')}>/<gateway+policy|gateway|subgraph+policy|subgraph>`,
      );
    for (let i = 0; i < 10; i++) await run();
    const session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
    for (let i = 0; i < ITERATIONS; i++) await run();
    const { profile } = await session.post('Profiler.stop');
    const file = join(tmpdir(), `policy-cost-${PROFILE.replace('/', '-')}.cpuprofile`);
    writeFileSync(file, JSON.stringify(profile));
    console.log(`${PROFILE}: ${ITERATIONS} requests, profiled in ${file}`);
  } else {
    console.log(
      `What the policy costs: ${ITERATIONS} interleaved rounds of four ways to each work; medians (spread over 5 blocks)`,
    );
    for (const work of WORK) {
      const times = await interleaved(await pathsOf(work), ITERATIONS);
      console.log(`\n${work.name}`);
      for (const [name, values] of Object.entries(times))
        console.log(`  ${name.padEnd(16)} p50 ${fixed(median(values)).padStart(7)} ms`);
      console.log(
        `  gateway + policy / subgraph direct without policy  ${ratio(times['gateway+policy'] ?? [], times.subgraph ?? [])}   (goal ≤ 1.3)`,
      );
      console.log(
        `  subgraph with policy / without                     ${ratio(times['subgraph+policy'] ?? [], times.subgraph ?? [])}`,
      );
      console.log(
        `  gateway hop without policy / subgraph direct       ${ratio(times.gateway ?? [], times.subgraph ?? [])}`,
      );
      console.log(`  the policy's share of gateway + policy             ${share(times)}`);
    }
  }
} finally {
  await on.stop();
  await off.stop();
  await database.stop();
}
