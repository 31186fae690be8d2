/**
 * `npm run bench`: what a request costs and where the time goes, in one interleaved run,
 * every figure a ratio against a baseline measured in the same run (these machines are noisy).
 *
 *  1. The caseload's decomposition — a job coach's 20 open pathways with their next action:
 *     gateway + policy / gateway without policy / the pathways subgraph called directly without
 *     policy / PostgreSQL answering the same statements (the floor).
 *  2. Load — latency p50/p95, requests/s, errors and peak RSS at concurrency 1, 10 and 50 for the
 *     caseload, 20- and 100-person participant pages and a 100-item SRE inbox, `npm start` as it was
 *     (IPS_PROCESSES=one: everything in one process) against `npm start` now (a process per subgraph),
 *     both launched as operators launch them, on the same database, cells interleaved.
 *  3. SQL statements per request at 10 and 100 items for every list field of Query, derived from the
 *     supergraph (a new list is measured without editing this file).
 *  4. Our gateway against Hive Gateway (from npm, router/hive.ts; inbound request deduplication off,
 *     its default) in front of the same subgraphs, on the same work.
 *  5. The first caseload after IDLE_SECONDS of idle against warm ones right after it (the pool's kept connections).
 *
 * Bounded loops on loopback; it prints and never gates CI.
 *   npm run bench      (ITERATIONS=150 SECONDS=4 IDLE_SECONDS=60 IDLE_REPEATS=3 by default; SKIP=decomposition,lists,hive,load,idle to leave parts out)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  buildSchema,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import pg from 'pg';
import { signCallerToken, signGatewayToken } from '../gateway/identity.js';
import { loadDevKeys, newKeyPair, publicJwks } from '../gateway/keys.js';
import { roleClientSchemaPath } from '../platform/compose.js';
import { databaseUrlVariable, freePort } from '../platform/database.js';
import { startPlatform } from '../platform/launcher.js';
import { keepConnectionsAlive } from '../runtime/net.js';
import { ROLES, type Identity, type Role } from '../schema/identity.js';
import { SQL_COUNT_HEADER } from '../schema/headers.js';
import { SUBGRAPH_NAMES } from '../schema/subgraphs.js';
import { exactCaseload } from './caseload.js';
import { benchDatabase } from './database.js';

const ITERATIONS = Number(process.env.ITERATIONS ?? 150);
const SECONDS = Number(process.env.SECONDS ?? 4);
/** The idle time before a "first request after idle", and how many such requests (each after its own idle time). */
const IDLE_SECONDS = Number(process.env.IDLE_SECONDS ?? 60);
const IDLE_REPEATS = Number(process.env.IDLE_REPEATS ?? 3);
const SKIP = new Set((process.env.SKIP ?? '').split(',').filter(Boolean));
const CONCURRENCY = [1, 10, 50] as const;
const CORES = availableParallelism();
/** The Node flags of `npm start` (package.json), read from it so the bench runs what operators run. */
const START_FLAGS = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: { start: string } }).scripts.start
  .match(/ node ((?:--[\w-]+(?:=\S+)? )*)dist\/platform\/launcher\.js/)![1]!
  .trim()
  .split(' ')
  .filter(Boolean);

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
const quantile = (values: number[], q: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * q))] ?? NaN;
const fixed = (value: number, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : '—');

interface Body {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: { code?: string } }[];
  extensions?: { sqlStatements?: number };
}

async function post(
  url: string,
  token: string,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<Body> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as Body;
}

function mustAnswer(body: Body, what: string): Body {
  if (body.errors?.length) throw new Error(`${what}: ${JSON.stringify(body.errors).slice(0, 400)}`);
  return body;
}

// ---------------------------------------------------------------------------------------------------
// Set-up: one embedded PostgreSQL with the demo; the keys in a file the launched platforms read too.
const folder = mkdtempSync(join(tmpdir(), 'ips-bench-run-'));
const keysPath = join(folder, 'dev-keys.json');
const keys = await loadDevKeys(keysPath);
const hiveKey = await newKeyPair();
const { database, databaseUrls, migrationUrl } = await benchDatabase();
const trustedGatewayKeys = await publicJwks(keys.gateway.publicKey, hiveKey.publicKey);
const common = {
  databaseUrls,
  migrationUrl,
  callerPublicKey: keys.caller.publicKey,
  gateway: keys.gateway,
  gatewayPort: 0,
  exposeSqlCount: true,
  trustedGatewayKeys,
};
const on = await startPlatform({ ...common, seedDemo: true, enforcePolicy: true });
const off = await startPlatform({ ...common, seedDemo: false, enforcePolicy: false });
const owner = new pg.Client({ connectionString: migrationUrl });
await owner.connect();
const launched: LaunchedPlatform[] = [];
let hiveServer: Server | undefined;

// The caseload is exactly CASELOAD_SIZE people every run, whatever the demo drew (bench/caseload.ts).
const CASELOAD_SIZE = 20;
const COACH: Identity = await exactCaseload(owner, CASELOAD_SIZE);
const INAMI: Identity = { role: 'INAMI', organisation: 'INAMI', subject: 'inami-bench' };
const FOREM: Identity = { role: 'SRE', organisation: 'FOREM', subject: 'forem-bench' };
const tokens = new Map<string, string>();
const tokenOf = async (identity: Identity) => {
  const key = `${identity.role}/${identity.organisation}/${identity.subject}`;
  if (!tokens.has(key)) tokens.set(key, await signCallerToken(identity, keys.caller.privateKey, '2h'));
  return tokens.get(key)!;
};

// The demo forwards no form to the SRE: INAMI forwards up to 100 randomised open pathways (R7), through the graph.
const forwardable = (
  await owner.query<{ id: string }>(
    `select p.id from pathways.pathway p join access.ledger l on l.participant_id = p.participant_id
     where p.status = 'OPEN' and l.trial_arm is not null and l.region = 'WALLONIA'
       and not exists (select 1 from pathways.sre_inbox_item i where i.pathway_id = p.id) order by p.id limit 100`,
  )
).rows;
for (const { id } of forwardable) {
  mustAnswer(
    await post(
      `${on.gateway.url}graphql`,
      await tokenOf(INAMI),
      'mutation($id: ID!, $key: String!) { routeToEmploymentService(pathwayId: $id, idempotencyKey: $key) { __typename } }',
      { id, key: randomUUID() },
    ),
    'forwarding to the SRE',
  );
}

// The pathways subgraph's fields only: the same answer from the gateway and from the subgraph alone.
const CASELOAD =
  '{ caseload { pathway { id registryNumber status registeredAt jobCoach } nextAction { kind dueOn } } }';
const PERSON =
  'id niss givenName familyName region incapacityStatus referrals { form signedOn } consentGrants { recipient category } pathway { registryNumber status jobCoach convention { partner } } allocation { arm }';
/** The 100-person page's fields the participants subgraph answers alone (no entity fetch to another subgraph). */
const PAGE_OWN_FIELDS =
  'id niss givenName familyName region incapacityStatus referrals { form signedOn } consentGrants { recipient category }';
const WORK: {
  name: string;
  as: Identity;
  query: string;
  items: (data: Record<string, unknown>) => number;
  expected?: number;
}[] = [
  {
    name: `caseload (a coach, ${CASELOAD_SIZE})`,
    as: COACH,
    query: CASELOAD,
    items: (data) => (data.caseload as unknown[]).length,
    expected: CASELOAD_SIZE,
  },
  {
    name: 'participants page of 20',
    as: INAMI,
    query: `{ participants(first: 20) { ${PERSON} } }`,
    items: (data) => (data.participants as unknown[]).length,
    expected: 20,
  },
  {
    name: 'participants page of 100',
    as: INAMI,
    query: `{ participants(first: 100) { ${PERSON} } }`,
    items: (data) => (data.participants as unknown[]).length,
    expected: 100,
  },
  {
    name: 'SRE inbox of 100',
    as: FOREM,
    query:
      '{ sreInbox(first: 100) { edges { node { id mailbox pathway { registryNumber } participant { familyName } referral { form signedOn } } } totalCount } }',
    items: (data) => (data.sreInbox as { edges: unknown[] }).edges.length,
  },
];

try {
  console.log(`IPS graph bench — ${CORES} cores, Node ${process.version}, ${new Date().toISOString()}`);
  console.log(`caseload: coach ${COACH.subject} of ${COACH.organisation}`);
  for (const work of WORK) {
    const body = mustAnswer(await post(`${on.gateway.url}graphql`, await tokenOf(work.as), work.query), work.name);
    const items = work.items(body.data!);
    console.log(`  ${work.name.padEnd(26)} ${items} items`);
    // Every run measures the same work: a caseload of another size is another benchmark.
    if (work.expected !== undefined && items !== work.expected)
      throw new Error(
        `${work.name}: ${items} items, the bench measures exactly ${work.expected}; the set-up above did not build the work it means to measure`,
      );
  }
  // A part that cannot run says so and why, and the others still run.
  const parts: [string, () => Promise<void>][] = [
    ['decomposition', decomposition],
    ['idle', afterIdle],
    ['lists', listStatements],
    ['hive', againstHive],
    ['load', loadByProcessLayout],
  ];
  const failed: string[] = [];
  for (const [name, part] of parts) {
    if (SKIP.has(name)) continue;
    try {
      await part();
    } catch (error) {
      failed.push(name);
      console.log(
        `\n  ✗ part "${name}" could not run: ${error instanceof Error ? `${error.message}${error.cause ? ` (cause: ${error.cause instanceof Error ? error.cause.message : JSON.stringify(error.cause)})` : ''}` : String(error)}`,
      );
    }
  }
  if (failed.length) {
    console.log(`\nParts that did not run: ${failed.join(', ')}`);
    process.exitCode = 1;
  }
} finally {
  await Promise.all(launched.map((platform) => platform.stop()));
  await new Promise<void>((resolve) => (hiveServer ? hiveServer.close(() => resolve()) : resolve()));
  await owner.end();
  await on.stop();
  await off.stop();
  await database.stop();
}

// ---------------------------------------------------------------------------------------------------
/** 1. Where the caseload's time goes. */
async function decomposition(): Promise<void> {
  const coachToken = await tokenOf(COACH);
  const pathways = off.subgraphs.find((subgraph) => subgraph.name === 'pathways')!;
  const subgraphToken = await signGatewayToken(COACH, keys.gateway.privateKey, 'Caseload');
  // The statements the subgraph runs for it, as PostgreSQL receives them (parameters inlined by MikroORM).
  const connection = pathways.orm.em.getConnection() as unknown as {
    logQuery(query: string, context?: { formatted?: string; level?: string }): void;
  };
  const logQuery = connection.logQuery.bind(connection);
  const statements: string[] = [];
  connection.logQuery = (query, context) => {
    if (context?.level !== 'error') statements.push(context?.formatted ?? query);
    logQuery(query, context);
  };
  mustAnswer(await post(`${pathways.url}graphql`, subgraphToken, CASELOAD), 'caseload, subgraph direct');
  connection.logQuery = logQuery;
  const floor = new pg.Pool({ connectionString: databaseUrls.pathways, max: 1 }); // the caseload's statements, as the pathways subgraph's role
  const paths: Record<string, () => Promise<unknown>> = {
    'gateway + policy': async () =>
      mustAnswer(await post(`${on.gateway.url}graphql`, coachToken, CASELOAD), 'caseload'),
    'gateway, no policy': async () =>
      mustAnswer(await post(`${off.gateway.url}graphql`, coachToken, CASELOAD), 'caseload'),
    'subgraph direct, no policy': async () =>
      mustAnswer(await post(`${pathways.url}graphql`, subgraphToken, CASELOAD), 'caseload'),
    'PostgreSQL, same statements': async () => {
      for (const statement of statements) await floor.query(statement);
    },
  };
  const times = await interleaved(paths, ITERATIONS);
  const [full, noPolicy, direct, pgFloor] = Object.keys(paths).map((name) => median(times[name]!)) as [
    number,
    number,
    number,
    number,
  ];
  const sql = (await post(`${on.gateway.url}graphql`, coachToken, CASELOAD, undefined, { [SQL_COUNT_HEADER]: '1' }))
    .extensions?.sqlStatements;
  console.log(`\n1. The caseload's decomposition (${ITERATIONS} interleaved runs of each; medians)`);
  for (const name of Object.keys(paths))
    console.log(
      `  ${name.padEnd(30)} p50 ${fixed(median(times[name]!)).padStart(7)} ms   p95 ${fixed(quantile(times[name]!, 0.95)).padStart(7)} ms`,
    );
  console.log(`  SQL statements: subgraph alone ${statements.length}; whole request with policy ${sql ?? '?'}`);
  console.log(
    `  gateway + policy / subgraph direct without policy   ${fixed(full / direct)}× (${spread(times['gateway + policy']!, times['subgraph direct, no policy']!)} over 5 blocks of rounds)   (goal ≤ 1.3)`,
  );
  console.log(
    `    of which: policy (on/off, both through the gateway) ${fixed(full / noPolicy)}×, gateway hop ${fixed(noPolicy / direct)}×`,
  );
  console.log(`  subgraph direct / PostgreSQL floor                  ${fixed(direct / pgFloor)}×`);
  console.log(`  gateway + policy / PostgreSQL floor                 ${fixed(full / pgFloor)}×`);
  await floor.end();
  // The hop on a 100-person page: the participants subgraph's own fields, so that the subgraph alone answers the same.
  const participantsSubgraph = off.subgraphs.find((subgraph) => subgraph.name === 'participants')!;
  const inamiToken = await tokenOf(INAMI);
  const inamiSubgraphToken = await signGatewayToken(INAMI, keys.gateway.privateKey, 'Page');
  const page = `{ participants(first: 100) { ${PAGE_OWN_FIELDS} } }`;
  const pageItems = (body: Body) => {
    const items = (body.data?.participants as unknown[] | undefined)?.length;
    if (items !== 100) throw new Error(`the 100-person page held ${items} people`);
    return body;
  };
  const hop = await interleaved(
    {
      'gateway + policy': async () =>
        pageItems(mustAnswer(await post(`${on.gateway.url}graphql`, inamiToken, page), 'page of 100')),
      'gateway, no policy': async () =>
        pageItems(mustAnswer(await post(`${off.gateway.url}graphql`, inamiToken, page), 'page of 100')),
      'subgraph direct, no policy': async () =>
        pageItems(
          mustAnswer(
            await post(`${participantsSubgraph.url}graphql`, inamiSubgraphToken, page),
            'page of 100, subgraph direct',
          ),
        ),
    },
    Math.max(10, Math.round(ITERATIONS / 3)),
  );
  console.log(
    `  100-person page, the participants subgraph's fields (${Math.max(10, Math.round(ITERATIONS / 3))} interleaved runs):`,
  );
  for (const name of Object.keys(hop))
    console.log(
      `    ${name.padEnd(28)} p50 ${fixed(median(hop[name]!)).padStart(7)} ms   p95 ${fixed(quantile(hop[name]!, 0.95)).padStart(7)} ms`,
    );
  console.log(
    `    gateway + policy / subgraph direct without policy ${fixed(median(hop['gateway + policy']!) / median(hop['subgraph direct, no policy']!))}× (${spread(hop['gateway + policy']!, hop['subgraph direct, no policy']!)})   (goal ≤ 1.3); gateway hop alone ${fixed(median(hop['gateway, no policy']!) / median(hop['subgraph direct, no policy']!))}× (${spread(hop['gateway, no policy']!, hop['subgraph direct, no policy']!)})`,
  );
  // The policy on the other work: on/off, both through the gateway (it grows with the fields × items checked).
  for (const work of WORK.slice(1)) {
    const token = await tokenOf(work.as);
    const pair = await interleaved(
      {
        on: async () => mustAnswer(await post(`${on.gateway.url}graphql`, token, work.query), work.name),
        off: async () => mustAnswer(await post(`${off.gateway.url}graphql`, token, work.query), work.name),
      },
      Math.max(10, Math.round(ITERATIONS / 5)),
    );
    console.log(
      `  ${work.name.padEnd(26)} policy on ${fixed(median(pair.on!)).padStart(7)} ms, off ${fixed(median(pair.off!)).padStart(7)} ms → on/off ${fixed(median(pair.on!) / median(pair.off!))}×`,
    );
  }
}

/** The ratio of medians a/b in each of `blocks` consecutive blocks of rounds, as "min–max×": how much it moves within the run. */
function spread(a: number[], b: number[], blocks = 5): string {
  const size = Math.max(1, Math.floor(Math.min(a.length, b.length) / blocks));
  const ratios: number[] = [];
  for (let i = 0; i + size <= Math.min(a.length, b.length); i += size)
    ratios.push(median(a.slice(i, i + size)) / median(b.slice(i, i + size)));
  return `${fixed(Math.min(...ratios))}–${fixed(Math.max(...ratios))}×`;
}

/** Runs each path once per round, the order rotating each round, after a warm-up; the times in ms. */
async function interleaved(
  paths: Record<string, () => Promise<unknown>>,
  rounds: number,
): Promise<Record<string, number[]>> {
  const names = Object.keys(paths);
  for (let i = 0; i < 10; i++) for (const name of names) await paths[name]!();
  const times = Object.fromEntries(names.map((name) => [name, [] as number[]]));
  for (let round = 0; round < rounds; round++) {
    for (let j = 0; j < names.length; j++) {
      const name = names[(round + j) % names.length]!;
      const started = performance.now();
      await paths[name]!();
      times[name]!.push(performance.now() - started);
    }
  }
  return times;
}

// ---------------------------------------------------------------------------------------------------
/**
 * 5. The first caseload after IDLE_SECONDS without any request, against the median of warm caseloads sent
 * right after it, IDLE_REPEATS times (each pair its own ratio): what the pool's kept connections save.
 * Bounded: IDLE_REPEATS × IDLE_SECONDS plus a few requests.
 */
async function afterIdle(): Promise<void> {
  const token = await tokenOf(COACH);
  const caseload = async () => mustAnswer(await post(`${on.gateway.url}graphql`, token, CASELOAD), 'caseload');
  const timed = async () => {
    const started = performance.now();
    await caseload();
    return performance.now() - started;
  };
  for (let i = 0; i < 5; i++) await caseload();
  console.log(
    `\n5. The first caseload (gateway + policy) after ${IDLE_SECONDS} s idle against warm ones right after it (${IDLE_REPEATS} repeats; warm: median of 9)`,
  );
  const ratios: number[] = [];
  for (let repeat = 0; repeat < IDLE_REPEATS; repeat++) {
    await new Promise((resolve) => setTimeout(resolve, IDLE_SECONDS * 1000));
    const first = await timed();
    const warm: number[] = [];
    for (let i = 0; i < 9; i++) warm.push(await timed());
    ratios.push(first / median(warm));
    console.log(
      `  repeat ${repeat + 1}: first ${fixed(first).padStart(7)} ms, warm p50 ${fixed(median(warm)).padStart(7)} ms → ${fixed(first / median(warm))}×`,
    );
  }
  console.log(
    `  first after idle / warm   median ${fixed(median(ratios))}× (${fixed(Math.min(...ratios))}–${fixed(Math.max(...ratios))}×)   (goal ≤ 1.2)`,
  );
}

// ---------------------------------------------------------------------------------------------------
/** 3. Statements per request at 10 and 100 items, for every list field of Query (from the supergraph). */
async function listStatements(): Promise<void> {
  const roleSchemas = Object.fromEntries(
    ROLES.map((role) => [role, buildSchema(readFileSync(roleClientSchemaPath(role), 'utf8'))]),
  ) as Record<Role, GraphQLSchema>;
  const supergraph = buildSchema(readFileSync('schema/supergraph.graphql', 'utf8'), { assumeValidSDL: true });
  const lists = Object.values(supergraph.getQueryType()!.getFields()).filter(
    (field) => isList(field) || getNamedType(field.type).name.endsWith('Connection'),
  );
  const preferred: Identity[] = [
    INAMI,
    { role: 'RESEARCHER', organisation: 'ULB', subject: 'researcher-bench' },
    { role: 'INTEGRATOR', organisation: 'DASHBOARD-WAL', subject: 'integrator-bench' },
    FOREM,
    COACH,
    { role: 'SUPERVISOR', organisation: COACH.organisation, subject: 'supervisor-bench' },
    { role: 'OA', organisation: 'OA-300', subject: 'oa-bench' },
    { role: 'MEDECIN_CONSEIL', organisation: 'OA-300', subject: 'dr-bench' },
  ];
  console.log(
    `\n3. SQL statements per request for every list field of Query (${lists.length}), at 10 and 100 items (demo data; the items returned in brackets)`,
  );
  let grew = 0;
  for (const field of lists.sort((a, b) => a.name.localeCompare(b.name))) {
    const as = preferred.find((identity) => roleSchemas[identity.role].getQueryType()?.getFields()[field.name]);
    if (!as) {
      console.log(`  ${field.name.padEnd(28)} (no staff role asks for it)`);
      continue;
    }
    const roleField = roleSchemas[as.role].getQueryType()!.getFields()[field.name]!;
    const built = listQuery(roleSchemas[as.role], roleField);
    if (!built) {
      console.log(`  ${field.name.padEnd(28)} (a required argument this bench cannot fill)`);
      continue;
    }
    const measure = async (size: number) => {
      const body = await post(`${on.gateway.url}graphql`, await tokenOf(as), built.query, built.sized ? { size } : {}, {
        [SQL_COUNT_HEADER]: '1',
      });
      const value = body.data?.[field.name];
      const items = Array.isArray(value) ? value.length : ((value as { edges?: unknown[] } | null)?.edges?.length ?? 0);
      return { sql: body.extensions?.sqlStatements ?? NaN, items, error: body.errors?.[0]?.extensions?.code };
    };
    const ten = await measure(10);
    const hundred = built.sized ? await measure(100) : ten;
    const same = ten.sql === hundred.sql;
    if (!same && hundred.items > ten.items) grew++;
    console.log(
      `  ${field.name.padEnd(28)} as ${as.role.padEnd(15)} ${built.sized ? `${String(ten.sql).padStart(3)} [${ten.items}] → ${String(hundred.sql).padStart(3)} [${hundred.items}]` : `${String(ten.sql).padStart(3)} [${ten.items}] (not paged)`}${same ? '' : '  ← grows'}${ten.error ? `  (${ten.error})` : ''}`,
    );
  }
  console.log(`  lists whose statements grow with their size: ${grew}`);
}

function isList(field: GraphQLField<unknown, unknown>): boolean {
  return isListType(getNullableType(field.type));
}

/** A query for a list field: its required arguments filled, `first` (or `limit`) sized, every leaf of its items, one level into objects. */
function listQuery(
  schema: GraphQLSchema,
  field: GraphQLField<unknown, unknown>,
): { query: string; sized: boolean } | undefined {
  const args: string[] = [];
  let sized = false;
  for (const arg of field.args) {
    if (['first', 'limit'].includes(arg.name)) {
      args.push(`${arg.name}: $size`);
      sized = true;
      continue;
    }
    if (!isNonNullType(arg.type)) continue;
    const type = getNamedType(arg.type);
    if (isEnumType(type)) args.push(`${arg.name}: ${type.getValues()[0]!.name}`);
    else if (isInputObjectType(type)) return undefined;
    else return undefined;
  }
  const selection = selectionOf(schema, getNamedType(field.type) as GraphQLObjectType, 2);
  const argText = args.length ? `(${args.join(', ')})` : '';
  return { query: `${sized ? 'query($size: Int!) ' : ''}{ ${field.name}${argText} ${selection} }`, sized };
}

function selectionOf(schema: GraphQLSchema, type: GraphQLObjectType, depth: number): string {
  const parts: string[] = [];
  for (const field of Object.values(type.getFields())) {
    if (field.args.some((arg) => isNonNullType(arg.type))) continue;
    const named = getNamedType(field.type);
    if (isLeafType(named)) parts.push(field.name);
    else if (isObjectType(named) && depth > 0) {
      const inner = selectionOf(schema, named, depth - 1);
      if (inner !== '{ __typename }') parts.push(`${field.name} ${inner}`);
    }
  }
  return `{ ${parts.length ? parts.join(' ') : '__typename'} }`;
}

// ---------------------------------------------------------------------------------------------------
/** 4. Our gateway against Hive Gateway in front of the same subgraphs (policy on). */
async function againstHive(): Promise<void> {
  // Imported by a computed name: Hive Gateway's typings clash with the Node ones (router/ has its own tsconfig).
  const specifier = '../router/hive.js';
  const { createHiveRouter } = (await import(specifier)) as {
    createHiveRouter: (options: Record<string, unknown>) => unknown;
  };
  const runtime = createHiveRouter({
    supergraph: readFileSync('schema/supergraph.graphql', 'utf8'),
    subgraphUrls: Object.fromEntries(on.subgraphs.map((s) => [s.name, s.url])),
    callers: { publicKey: keys.caller.publicKey },
    signingKey: hiveKey.privateKey,
    roleSchemas: Object.fromEntries(ROLES.map((role) => [role, readFileSync(roleClientSchemaPath(role), 'utf8')])),
  });
  hiveServer = createServer(runtime as never);
  keepConnectionsAlive(hiveServer); // as our gateway's: a client busy a few seconds must not find its connection closed
  await new Promise<void>((resolve) => hiveServer!.listen(0, '127.0.0.1', resolve));
  const hiveUrl = `http://127.0.0.1:${(hiveServer.address() as AddressInfo).port}/graphql`;
  console.log(
    `\n4. Our gateway against Hive Gateway ${hivePackageVersion()} on the same subgraphs (policy on; ${ITERATIONS} interleaved runs; medians)`,
  );
  for (const work of WORK.slice(0, 3)) {
    const token = await tokenOf(work.as);
    const times = await interleaved(
      {
        ours: async () => mustAnswer(await post(`${on.gateway.url}graphql`, token, work.query), work.name),
        hive: async () => mustAnswer(await post(hiveUrl, token, work.query), `${work.name} via Hive`),
      },
      ITERATIONS,
    );
    console.log(
      `  ${work.name.padEnd(26)} ours p50 ${fixed(median(times.ours!)).padStart(7)} ms, Hive p50 ${fixed(median(times.hive!)).padStart(7)} ms → ours/Hive ${fixed(median(times.ours!) / median(times.hive!))} (goal ≤ 1)`,
    );
  }
}

function hivePackageVersion(): string {
  return (JSON.parse(readFileSync('node_modules/@graphql-hive/gateway/package.json', 'utf8')) as { version: string })
    .version;
}

// ---------------------------------------------------------------------------------------------------
interface LaunchedPlatform {
  layout: string;
  url: string;
  pids: { name: string; pid: number }[];
  stop(): Promise<void>;
}

/** `npm start`'s launcher as a child process on this database (migrated and seeded already). */
async function launch(layout: 'one' | 'per-subgraph' | 'two'): Promise<LaunchedPlatform> {
  const port = await freePort();
  // "before" is npm start as it was: one process, Node's default flags; "after" as package.json's `start` runs it now.
  const flags = layout === 'one' ? [] : START_FLAGS;
  const child: ChildProcess = spawn(process.execPath, [...flags, 'dist/platform/launcher.js'], {
    env: {
      ...process.env,
      ...Object.fromEntries(SUBGRAPH_NAMES.map((name) => [databaseUrlVariable(name), databaseUrls[name]])),
      MIGRATION_DATABASE_URL: migrationUrl,
      IPS_DEMO_DATA: 'off',
      IPS_PROCESSES: layout,
      PORT: String(port),
      IPS_DEV_KEYS: keysPath,
      IPS_LOG_LEVEL: 'warn',
      IPS_METRICS: 'on',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const deadline = Date.now() + 120_000;
  while (!stdout.includes('get a token')) {
    if (child.exitCode !== null || Date.now() > deadline)
      throw new Error(`the launcher (${layout}) did not start:\n${stdout}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  // One entry per process: subgraphs sharing a process (IPS_PROCESSES=two) are named together.
  const byPid = new Map<number, string[]>();
  for (const match of stdout.matchAll(/subgraph (\w+) .*; process (\d+)\)/g))
    byPid.set(Number(match[2]), [...(byPid.get(Number(match[2])) ?? []), match[1]!]);
  const pids = [
    { name: layout === 'one' ? 'gateway + 4 subgraphs' : 'launcher + gateway', pid: child.pid! },
    ...[...byPid].map(([pid, names]) => ({ name: names.join(' + '), pid })),
  ];
  return {
    layout,
    url: `http://127.0.0.1:${port}/graphql`,
    pids,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Peak resident memory (VmHWM) of a process, in MB. */
function peakRssMb(pid: number): number {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8')
      .split('\n')
      .find((entry) => entry.startsWith('VmHWM:'));
    return Number(line?.match(/(\d+)/)?.[1] ?? NaN) / 1024;
  } catch {
    return NaN;
  }
}

interface LoadResult {
  p50: number;
  p95: number;
  perSecond: number;
  errors: number;
  requests: number;
}

/** `clients` clients each sending one request after the other for SECONDS (at most 5 000 requests each). */
async function load(url: string, token: string, query: string, clients: number): Promise<LoadResult> {
  const times: number[] = [];
  let errors = 0;
  const started = performance.now();
  const until = started + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let i = 0; i < 5_000 && performance.now() < until; i++) {
        const t0 = performance.now();
        try {
          const body = await post(url, token, query);
          if (body.errors?.length) errors++;
        } catch {
          errors++;
        }
        times.push(performance.now() - t0);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  return {
    p50: median(times),
    p95: quantile(times, 0.95),
    perSecond: times.length / elapsed,
    errors,
    requests: times.length,
  };
}

/** 2. `npm start` as it was (one process) against its layouts now, cells interleaved. */
async function loadByProcessLayout(): Promise<void> {
  const layouts = [await launch('one'), await launch('per-subgraph'), await launch('two')];
  launched.push(...layouts);
  const [before] = layouts as [LaunchedPlatform, ...LaunchedPlatform[]];
  const label = (platform: LaunchedPlatform) => (platform === before ? 'before' : platform.layout);
  console.log(
    `\n2. Load: npm start as it was (one process, Node's default flags: "before") against npm start now (${START_FLAGS.join(' ')}), a process per subgraph ("per-subgraph", the default with 5 cores or more) and the four subgraphs in one process beside the gateway's ("two", the default below); ${SECONDS} s per cell, cells interleaved`,
  );
  console.log(
    `  ${'work'.padEnd(26)} ${'clients'.padStart(7)}  ${layouts.map((platform) => `${label(platform)}: p50/p95 ms, req/s`.padStart(36)).join('')}   req/s ÷ before   errors`,
  );
  let cell = 0;
  for (const work of WORK) {
    const token = await tokenOf(work.as);
    for (const platform of layouts)
      for (let i = 0; i < 5; i++) mustAnswer(await post(platform.url, token, work.query), work.name); // warm
    for (const clients of CONCURRENCY) {
      const order = layouts.map((_, i) => layouts[(i + cell) % layouts.length]!);
      cell++;
      const results = new Map<LaunchedPlatform, LoadResult>();
      for (const platform of order) results.set(platform, await load(platform.url, token, work.query, clients));
      const b = results.get(before)!;
      console.log(
        `  ${work.name.padEnd(26)} ${String(clients).padStart(7)}  ${layouts
          .map((platform) => {
            const r = results.get(platform)!;
            return `${fixed(r.p50, 1)}/${fixed(r.p95, 1)}, ${fixed(r.perSecond, 1)}`.padStart(36);
          })
          .join('')}   ${layouts
          .slice(1)
          .map((platform) => `${fixed(results.get(platform)!.perSecond / b.perSecond)}×`)
          .join(' ')
          .padStart(14)}   ${layouts.map((platform) => results.get(platform)!.errors).join('/')}`,
      );
    }
  }
  console.log('  peak RSS (VmHWM) after the load:');
  const totals = new Map<LaunchedPlatform, number>();
  for (const platform of layouts) {
    for (const { name, pid } of platform.pids)
      console.log(`    ${label(platform).padEnd(13)} ${name.padEnd(46)} ${fixed(peakRssMb(pid), 0).padStart(6)} MB`);
    totals.set(
      platform,
      platform.pids.reduce((sum, { pid }) => sum + peakRssMb(pid), 0),
    );
  }
  const baseline = totals.get(before)!;
  console.log(
    `    total: ${layouts.map((platform) => `${label(platform)} ${fixed(totals.get(platform)!, 0)} MB${platform === before ? '' : ` (${fixed(totals.get(platform)! / baseline)}× before)`}`).join(', ')} (goal ≤ 1.5×)`,
  );
}
