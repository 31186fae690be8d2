/**
 * What a deep page of a connection costs: an offset list pays for every row it skips (offset 100 000
 * on 200 000 people cost 23× the first page), a keyset page should cost what the first does. Seeds 200 000 people (bulk SQL: participants and their access-ledger rows),
 * then times INAMI's `registry` connection — keyset-paginated (kit/connection.ts) — on its first
 * page and on the page after the 100 000th person, interleaved: once through the service and its
 * SQL alone, once end to end through the gateway. The old offset list (`participants(offset:)`)
 * is timed the same way for comparison. Prints medians and the deep/first ratios (target ≤ 1.5×).
 *
 *   npm run bench:connections          (PEOPLE=200000 DEPTH=100000 ITERATIONS=40 PAGE=50 by default)
 */
import pg from 'pg';
import { signCallerToken } from '../gateway/identity.js';
import { startPlatform } from '../platform/launcher.js';
import type { Identity } from '../schema/identity.js';
import { AccessLogCollector } from '../subgraphs/kit/access/access-log.js';
import { encodeCursor } from '../subgraphs/kit/connection.js';
import { LoaderRegistry, type SubgraphContext } from '../subgraphs/kit/context.js';
import { SqlStatementCounter } from '../subgraphs/kit/orm.js';
import { WorklistService } from '../subgraphs/participants/services/worklist.service.js';
import { benchDatabase, seedSyntheticParticipants } from './database.js';

const PEOPLE = Number(process.env.PEOPLE ?? 200_000);
const DEPTH = Number(process.env.DEPTH ?? 100_000);
const ITERATIONS = Number(process.env.ITERATIONS ?? 40);
const PAGE = Number(process.env.PAGE ?? 50);
const INAMI: Identity = { role: 'INAMI', organisation: 'INAMI', subject: 'inami-bench' };
const FEW: Identity = { role: 'MEDECIN_CONSEIL', organisation: 'OA-300', subject: 'dr-few' };
const GRANTS = ['INAMI', 'HEALTH_INSURER'].flatMap((recipient) =>
  ['identity', 'contact', 'administrative', 'health', 'employment', 'benefits', 'billing'].map(
    (category) => `${recipient}/${category}`,
  ),
);

const { database, databaseUrls, migrationUrl, keys } = await benchDatabase();
const platform = await startPlatform({
  databaseUrls,
  migrationUrl,
  callerPublicKey: keys.caller.publicKey,
  gateway: keys.gateway,
  gatewayPort: 0,
  exposeSqlCount: true,
  seedDemo: false,
});
const owner = new pg.Client({ connectionString: migrationUrl });
await owner.connect();

try {
  let started = performance.now();
  await seedSyntheticParticipants(owner, PEOPLE);
  await owner.query(
    `insert into access.ledger (participant_id, self_subject, region, employment_service, health_insurer, physician_subject, consent_grants, research_consent)
     select p.id, p.niss, p.region, case p.region when 'FLANDERS' then 'VDAB' when 'WALLONIA' then 'FOREM' else 'ACTIRIS' end, p.health_insurer, 'dr-bench', $1::text[], true
     from participants.participant p`,
    [`{${GRANTS.join(',')}}`],
  );
  // One physician of record with 20 patients among them all: their list starts from the ledger's index.
  await owner.query(
    `update access.ledger set physician_subject = 'dr-few' where participant_id in (select id from participants.participant order by id limit 20)`,
  );
  await owner.query('analyze participants.participant; analyze access.ledger;');
  console.log(
    `Seeded ${PEOPLE} people and their ledger rows in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );

  // The cursor of the DEPTH-th person in the registry's order (newest first).
  const [deep] = (
    await owner.query<{ key: string; id: string }>(
      'select created_at::text as key, id from participants.participant order by created_at desc, id desc offset $1 limit 1',
      [DEPTH - 1],
    )
  ).rows;
  const after = encodeCursor(deep!);

  // Through the service and its SQL alone: the participants subgraph's ORM, a request's context.
  const orm = platform.subgraphs.find((subgraph) => subgraph.name === 'participants')!.orm;
  const service = () => {
    const context = {
      identity: INAMI,
      operation: 'bench',
      em: orm.em.fork(),
      sqlCounter: new SqlStatementCounter(),
      owners: {},
    } as unknown as SubgraphContext;
    Object.assign(context, { loaders: new LoaderRegistry(() => context), accessLog: new AccessLogCollector() });
    return new WorklistService(context);
  };

  const patients = () => {
    const context = {
      identity: FEW,
      operation: 'bench',
      em: orm.em.fork(),
      sqlCounter: new SqlStatementCounter(),
      owners: {},
    } as unknown as SubgraphContext;
    Object.assign(context, { loaders: new LoaderRegistry(() => context), accessLog: new AccessLogCollector() });
    return new WorklistService(context);
  };

  // End to end through the gateway.
  const url = `${platform.gateway.url}graphql`;
  const token = await signCallerToken(INAMI, keys.caller.privateKey, '1h');
  const gateway = async (query: string, variables: Record<string, unknown>) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { errors?: unknown[]; data?: Record<string, unknown> };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data!;
  };
  const REGISTRY =
    'query($first: Int!, $after: String) { registry(first: $first, after: $after) { edges { cursor node { id familyName } } pageInfo { hasNextPage endCursor } } }';
  const OFFSET =
    'query($first: Int!, $offset: Int!) { participants(first: $first, offset: $offset) { id familyName } }';

  const runs = {
    'service: first page': () => service().people({ first: PAGE }, {}),
    [`service: page after ${DEPTH}`]: () => service().people({ first: PAGE, after }, {}),
    'gateway: first page': () => gateway(REGISTRY, { first: PAGE }),
    [`gateway: page after ${DEPTH}`]: () => gateway(REGISTRY, { first: PAGE, after }),
    'service: patients (20 of all)': () => patients().people({ first: PAGE }, {}),
    'gateway: first page + totalCount': () =>
      gateway(REGISTRY.replace('pageInfo {', 'totalCount pageInfo {'), { first: PAGE }),
    'gateway offset list: first page': () => gateway(OFFSET, { first: PAGE, offset: 0 }),
    [`gateway offset list: offset ${DEPTH}`]: () => gateway(OFFSET, { first: PAGE, offset: DEPTH }),
  } as Record<string, () => Promise<unknown>>;
  const names = Object.keys(runs);

  // Both pages hold PAGE people, and the deep one starts right after the DEPTH-th.
  const check = (await service().people({ first: PAGE, after }, {})).edges;
  if (check.length !== PAGE) throw new Error(`the deep page holds ${check.length} people, not ${PAGE}`);
  const few = (await patients().people({ first: PAGE }, {})).edges;
  if (few.length !== 20) throw new Error(`dr-few has ${few.length} patients listed, not 20`);

  started = performance.now();
  for (let i = 0; i < 5; i++) for (const name of names) await runs[name]!(); // warm up
  const times = Object.fromEntries(names.map((name) => [name, [] as number[]]));
  for (let i = 0; i < ITERATIONS; i++) {
    for (const name of names.map((_, j) => names[(i + j) % names.length]!)) {
      const t0 = performance.now();
      await runs[name]!();
      times[name]!.push(performance.now() - t0);
    }
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  console.log(`Registry of ${PEOPLE} people, pages of ${PAGE}, ${ITERATIONS} interleaved runs each (medians):`);
  for (const name of names) console.log(`  ${name.padEnd(36)} ${median(times[name]!).toFixed(2).padStart(8)} ms`);
  const ratio = (deepName: string, firstName: string) => median(times[deepName]!) / median(times[firstName]!);
  const serviceRatio = ratio(`service: page after ${DEPTH}`, 'service: first page');
  const gatewayRatio = ratio(`gateway: page after ${DEPTH}`, 'gateway: first page');
  console.log(
    `Keyset connection, deep page / first page: service ${serviceRatio.toFixed(2)}×, gateway ${gatewayRatio.toFixed(2)}× (target ≤ 1.5×)`,
  );
  console.log(
    `Offset list, offset ${DEPTH} / first page: gateway ${ratio(`gateway offset list: offset ${DEPTH}`, 'gateway offset list: first page').toFixed(2)}×`,
  );
  if (serviceRatio > 1.5 || gatewayRatio > 1.5) process.exitCode = 1;
} finally {
  await owner.end();
  await platform.stop();
  await database.stop();
}
