/**
 * Every list of the graph at national scale answers within 1.5× of the demo's time,
 * on its first page and deep in it (keyset pagination). Starts the platform on an embedded
 * PostgreSQL with its demo data and the demo's pathway events (bench/scale-events.ts), times each
 * Query connection of the supergraph through the gateway as the person who works from it — INAMI,
 * a health insurer, the advising physician with the most patients, the job coach with the most
 * messages, a partner's supervisor, FOREM — then copies the demo up to PEOPLE people
 * (bench/scale-data.ts: new physicians, coaches and counsellors with realistic caseloads) and times
 * them again, as that role's busiest person among the copies' staff. Two pages per list: the first
 * (`first: PAGE`) and the deep one, the PAGE items after the middle item, reached by its real cursor
 * (walked through the list 500 at a time). Requests interleaved, medians of ITERATIONS. A connection
 * of the supergraph with no query here is printed "not measured".
 *
 *   npm run bench:lists                 (PEOPLE=200000 ITERATIONS=15 PAGE=50 by default)
 */
import { readFileSync } from 'node:fs';
import { buildASTSchema, getNamedType, parse } from 'graphql';
import pg from 'pg';
import { signCallerToken } from '../gateway/identity.js';
import { startPlatform } from '../platform/launcher.js';
import type { Identity } from '../schema/identity.js';
import { benchDatabase } from './database.js';
import { scaleDemoData } from './scale-data.js';
import { addDemoEvents, EVENT_TABLES } from './scale-events.js';

const PEOPLE = Number(process.env.PEOPLE ?? 200_000);
const ITERATIONS = Number(process.env.ITERATIONS ?? 15);
const PAGE = Number(process.env.PAGE ?? 50);
const WALK = 500; // the largest page a connection serves (kit/connection.ts MAX_PAGE)
const GOAL = 1.5;
/** totalCount of each list, on its own (`first: 1`), at scale: at most this many milliseconds. */
const COUNT_GOAL_MS = 50;

/** Who asks: found in the data (the busiest of a role), never one of `demoStaff` once scaled. */
type Caller = (db: pg.Client, demoStaff: string[]) => Promise<Identity>;

/** What the bench reads of a list's answer (each query asks for its part only). */
interface ListAnswer {
  totalCount: number;
  pageInfo: { endCursor: string | null };
  edges: unknown[];
}

const INAMI: Caller = () => Promise.resolve({ role: 'INAMI', organisation: 'INAMI', subject: 'inami-bench' });
const FOREM: Caller = () => Promise.resolve({ role: 'SRE', organisation: 'FOREM', subject: 'counsellor-forem-1' });
/** The staff member with the most rows of a query returning (organisation, subject, n). */
const busiest =
  (role: Identity['role'], sql: string, orElse?: string): Caller =>
  async (db, demoStaff) => {
    const { rows } = await db.query<{ organisation: string; subject: string }>(
      `select organisation, subject from (${sql}) x where subject <> all($1::text[]) order by n desc, subject limit 1`,
      [demoStaff],
    );
    // A list the draws left empty (e.g. no authorisation pending) is measured empty, as someone of the role sees it.
    if (!rows[0] && orElse)
      rows.push(
        ...(
          await db.query<{ organisation: string; subject: string }>(
            `select organisation, subject from (${orElse}) x where subject <> all($1::text[]) order by subject limit 1`,
            [demoStaff],
          )
        ).rows,
      );
    if (!rows[0]) throw new Error(`no ${role} found for the list`);
    return { role, organisation: rows[0].organisation, subject: rows[0].subject };
  };

interface ListBench {
  caller: Caller;
  /** What a page's edges carry: the node's fields as the worklist shows them. */
  node: string;
  /** Which of the caller's lists (arguments beside first/after). */
  args?: string;
}

const LISTS: Record<string, ListBench> = {
  registry: { caller: INAMI, node: 'id niss familyName pathway { registryNumber convention { partner } }' },
  members: {
    caller: async (db) => ({
      role: 'OA',
      organisation: (
        await db.query<{ h: string }>(
          'select health_insurer as h from access.ledger group by 1 order by count(*) desc, 1 limit 1',
        )
      ).rows[0]!.h,
      subject: 'oa-bench',
    }),
    node: 'id familyName pathway { status } benefitStatements { month }',
  },
  patients: {
    caller: busiest(
      'MEDECIN_CONSEIL',
      'select health_insurer as organisation, physician_subject as subject, count(*) as n from access.ledger where physician_subject is not null group by 1, 2',
    ),
    node: 'id niss referrals { id form } consentGrants { recipient category } questionnaireWaves { wave state } pathway { registryNumber jobCoach timeline { kind } meetings { kind } contracts { employer } }',
  },
  pendingAuthorisations: {
    caller: busiest(
      'MEDECIN_CONSEIL',
      `select l.health_insurer as organisation, w.physician_subject as subject, count(*) as n from pathways.work_authorisation w join access.ledger l on l.participant_id = w.participant_id where w.decision = 'PENDING' group by 1, 2`,
      'select distinct health_insurer as organisation, physician_subject as subject from access.ledger where physician_subject is not null',
    ),
    node: 'id reason contract { employer } pathway { registryNumber participant { familyName } }',
  },
  physicianInbox: {
    caller: busiest(
      'MEDECIN_CONSEIL',
      'select l.health_insurer as organisation, m.physician_subject as subject, count(*) as n from pathways.physician_message m join access.ledger l on l.participant_id = m.participant_id group by 1, 2',
    ),
    node: 'id kind body pathway { registryNumber } participant { familyName }',
  },
  coachInbox: {
    caller: busiest(
      'JOB_COACH',
      `select l.ips_partner as organisation, l.job_coach_subject as subject, count(*) as n from pathways.pathway_act a join access.ledger l on l.participant_id = a.participant_id where a.kind = 'MESSAGE_TO_JOB_COACH' and l.job_coach_subject is not null group by 1, 2`,
    ),
    node: 'id detail pathway { registryNumber participant { givenName } }',
  },
  actInbox: { caller: INAMI, node: 'id kind pathway { registryNumber participant { familyName } }' },
  unassignedPathways: {
    caller: async (db) => {
      const partner = (
        await db.query<{ p: string }>(
          `select l.ips_partner as p from pathways.pathway p join access.ledger l on l.participant_id = p.participant_id where p.job_coach is null and p.status = 'OPEN' and l.trial_arm = 'IPS' group by 1 order by count(*) desc, 1 limit 1`,
        )
      ).rows[0]!.p;
      return { role: 'SUPERVISOR', organisation: partner, subject: `supervisor-${partner.toLowerCase()}-1` };
    },
    node: 'id registryNumber participant { familyName }',
  },
  intakeQueue: { caller: INAMI, node: 'referralId referral { form } participant { familyName }' },
  welcomeSessions: { caller: FOREM, node: 'id heldOn place' },
  sreInbox: {
    caller: FOREM,
    node: 'id mailbox pathway { registryNumber } participant { familyName } referral { form signedOn }',
  },
};

/** Every connection of the supergraph's Query (a field whose type's name ends with Connection). */
function connectionsOfGraph(): string[] {
  const schema = buildASTSchema(parse(readFileSync('schema/supergraph.graphql', 'utf8')), { assumeValidSDL: true });
  return Object.values(schema.getQueryType()!.getFields())
    .filter((field) => getNamedType(field.type).name.endsWith('Connection'))
    .map((field) => field.name);
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

interface Measured {
  caller: string;
  items: number;
  first: number;
  /** null: a list of fewer than two items has no page after its middle one. */
  deep: number | null;
  /** The list's totalCount alone. */
  count: number;
}

const connections = connectionsOfGraph();
const measured = connections.filter((name) => LISTS[name]);
const { database, databaseUrls, migrationUrl, keys } = await benchDatabase();
const platform = await startPlatform({
  databaseUrls,
  migrationUrl,
  callerPublicKey: keys.caller.publicKey,
  gateway: keys.gateway,
  gatewayPort: 0,
  seedDemo: true,
  subgraphTimeoutMs: 60_000,
});
const admin = new pg.Client({ connectionString: database.url });
await admin.connect();
try {
  const url = `${platform.gateway.url}graphql`;
  const ask = async (
    token: string,
    query: string,
    variables: Record<string, unknown>,
  ): Promise<{ ms: number; data: Record<string, ListAnswer> }> => {
    const started = performance.now();
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { errors?: unknown[]; data?: Record<string, ListAnswer> };
    const ms = performance.now() - started;
    if (body.errors) throw new Error(`${query.slice(0, 80)}: ${JSON.stringify(body.errors).slice(0, 500)}`);
    return { ms, data: body.data! };
  };
  const pageQuery = (name: string) => {
    const args = LISTS[name]!.args ? `${LISTS[name]!.args}, ` : '';
    return `query List($first: Int!, $after: String) { ${name}(${args}first: $first, after: $after) { edges { cursor node { ${LISTS[name]!.node} } } pageInfo { hasNextPage endCursor } } }`;
  };

  const measure = async (demoStaff: string[]): Promise<Record<string, Measured>> => {
    const plans: {
      name: string;
      token: string;
      caller: string;
      items: number;
      after: string | null;
      query: string;
      countQuery: string;
    }[] = [];
    for (const name of measured) {
      const identity = await LISTS[name]!.caller(admin, demoStaff);
      const token = await signCallerToken(identity, keys.caller.privateKey, '2h');
      const args = LISTS[name]!.args ? `${LISTS[name]!.args}, ` : '';
      const items = (await ask(token, `{ ${name}(${args}first: 1) { totalCount } }`, {})).data[name]!.totalCount;
      // The cursor of the middle item, walked to through the list (pages of WALK, then the rest).
      const middle = Math.floor(items / 2);
      let after: string | null = null;
      for (let walked = 0; walked < middle;) {
        const size = Math.min(WALK, middle - walked);
        const page: ListAnswer = (
          await ask(
            token,
            `query Walk($first: Int!, $after: String) { ${name}(${args}first: $first, after: $after) { pageInfo { endCursor } } }`,
            { first: size, after },
          )
        ).data[name]!;
        after = page.pageInfo.endCursor;
        walked += size;
      }
      plans.push({
        name,
        token,
        caller: `${identity.role} ${identity.organisation}/${identity.subject}`,
        items,
        after: middle > 0 ? after : null,
        query: pageQuery(name),
        countQuery: `{ ${name}(${args}first: 1) { totalCount } }`,
      });
    }
    const first: Record<string, number[]> = {};
    const deep: Record<string, number[]> = {};
    const count: Record<string, number[]> = {};
    const run = async (round: number, keep: boolean) => {
      for (let j = 0; j < plans.length; j += 1) {
        const plan = plans[(round + j) % plans.length]!; // each round starts from another list
        const a = await ask(plan.token, plan.query, { first: PAGE });
        if (keep) (first[plan.name] ??= []).push(a.ms);
        const c = await ask(plan.token, plan.countQuery, {});
        if (keep) (count[plan.name] ??= []).push(c.ms);
        if (plan.after === null) continue;
        const b = await ask(plan.token, plan.query, { first: PAGE, after: plan.after });
        if (b.data[plan.name]!.edges.length === 0)
          throw new Error(`${plan.name}: the page after the middle item is empty`);
        if (keep) (deep[plan.name] ??= []).push(b.ms);
      }
    };
    for (let round = 0; round < 2; round += 1) await run(round, false); // warm-up: plans, caches, JIT
    for (let round = 0; round < ITERATIONS; round += 1) await run(round, true);
    return Object.fromEntries(
      plans.map((plan) => [
        plan.name,
        {
          caller: plan.caller,
          items: plan.items,
          first: median(first[plan.name]!),
          deep: deep[plan.name] ? median(deep[plan.name]!) : null,
          count: median(count[plan.name]!),
        },
      ]),
    );
  };

  // The demo's pathway events first (the demo seed leaves them empty): the demo is measured with them.
  await admin.query('begin');
  const events = await addDemoEvents(admin);
  await admin.query('commit');
  for (const table of [...EVENT_TABLES, 'access.access_log']) await admin.query(`vacuum (analyze) ${table}`);
  console.log(
    `Demo events: ${Object.entries(events)
      .map(([table, n]) => `${table.split('.')[1]} ${n}`)
      .join(', ')}`,
  );
  const demoStaff = (
    await admin.query<{ subject: string }>('select distinct subject from participants.staff_member')
  ).rows.map((row) => row.subject);
  const demo = await measure([]);

  const started = performance.now();
  console.log(`Copying the demo up to ${PEOPLE} people…`);
  await scaleDemoData(database.url, PEOPLE, (line) => console.log(line));
  console.log(`Scaled in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  const scaled = await measure(demoStaff);

  const k = `${PEOPLE / 1000}k`;
  const ratio = (a: number | null | undefined, b: number | null | undefined) => (a && b ? b / a : null);
  const cell = (value: number | null | undefined, digits = 1) => (value == null ? '—' : value.toFixed(digits));
  console.log(
    `\nEvery Query connection through the gateway, pages of ${PAGE} (medians of ${ITERATIONS} interleaved requests); goal: ratio ${k}/demo ≤ ${GOAL} for the first and the deep page, totalCount alone ≤ ${COUNT_GOAL_MS} ms`,
  );
  console.log(
    `${'list'.padEnd(22)} ${'items demo'.padStart(10)} ${`items ${k}`.padStart(11)} │ ${'first demo'.padStart(10)} ${`${k} ms`.padStart(9)} ${'ratio'.padStart(6)} │ ${'deep demo'.padStart(9)} ${`${k} ms`.padStart(9)} ${'ratio'.padStart(6)} │ ${'count demo'.padStart(10)} ${`${k} ms`.padStart(9)}`,
  );
  const over: string[] = [];
  for (const name of connections) {
    const [a, b] = [demo[name], scaled[name]];
    if (!a || !b) {
      console.log(`${name.padEnd(22)} not measured (no query in bench/lists-scale.ts)`);
      continue;
    }
    const [rf, rd] = [ratio(a.first, b.first), ratio(a.deep, b.deep)];
    if ((rf ?? 0) > GOAL) over.push(`${name} first`);
    if ((rd ?? 0) > GOAL) over.push(`${name} deep`);
    if (b.count > COUNT_GOAL_MS) over.push(`${name} totalCount`);
    const flag = (r: number | null) => (r !== null && r > GOAL ? '!' : ' ');
    console.log(
      `${name.padEnd(22)} ${String(a.items).padStart(10)} ${String(b.items).padStart(11)} │ ${cell(a.first).padStart(10)} ${cell(b.first).padStart(9)} ${cell(rf, 2).padStart(6)}${flag(rf)}│ ${cell(a.deep).padStart(9)} ${cell(b.deep).padStart(9)} ${cell(rd, 2).padStart(6)}${flag(rd)}│ ${cell(a.count).padStart(10)} ${cell(b.count).padStart(9)}${b.count > COUNT_GOAL_MS ? '!' : ' '}`,
    );
  }
  console.log('\nCallers (demo → scale):');
  for (const name of measured) console.log(`  ${name.padEnd(22)} ${demo[name]!.caller} → ${scaled[name]!.caller}`);
  console.log(
    over.length
      ? `\nOver the goal: ${over.join(', ')}`
      : `\nEvery measured list within ${GOAL}× and its total within ${COUNT_GOAL_MS} ms`,
  );
} finally {
  await admin.end();
  await platform.stop();
  await database.stop();
}
