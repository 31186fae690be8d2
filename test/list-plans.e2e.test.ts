/**
 * Every list query is indexed: for each list of the graph (./lists.ts, derived from the
 * supergraph), the SELECT statements the subgraphs run for the request — as executed, parameters
 * inlined, caught in this process by kit/orm.ts's requestStatementListeners — are explained against
 * the test database with sequential scans disabled. A `Seq Scan` left in the plan is an access path
 * no index can serve; on a table that grows with people it fails the test, naming the relation and
 * the list. "Grows with people": 100 rows or more once ./lists.ts copied a person 330 times;
 * reference tables (conventions, catchments, organisations) stay below and may be scanned.
 */
import pg from 'pg';
import { requestStatementListeners, type RequestStatementListener } from '../subgraphs/kit/orm.js';
import { startTestPlatform, type TestPlatform } from './harness.js';
import { buildListData, itemsOf, LIST_MEASURES, measureQuery, SIZES } from './lists.js';
import { seed } from './seed.js';

let graph: TestPlatform;
let explainer: pg.Client;
/** Tables (schema.name) holding 100 rows or more: those that grow with people. */
let large: Set<string>;

beforeAll(async () => {
  graph = await startTestPlatform();
  await seed(graph).trial();
  await buildListData(graph);
  await graph.sql('analyze');
  const tables = await graph.sql<{ name: string }>(
    `select n.nspname || '.' || c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where c.relkind = 'r' and n.nspname in ('participants', 'pathways', 'billing', 'research', 'access', 'allocation_vault', 'pseudonym_vault') and c.reltuples >= 100`,
  );
  large = new Set(tables.map((table) => table.name));
  // Explained as the owner role, which may read what every subgraph's role reads (each statement names its tables).
  explainer = new pg.Client({ connectionString: graph.migrationUrl });
  await explainer.connect();
}, 240_000);
afterAll(async () => {
  await explainer?.end();
  await graph?.stop();
});

/**
 * Whole reads of a list's own circle: totals (and a filter) over every row the caller may see, which
 * in these data is nearly every row of the table — an index cannot make a count of all rows cheaper.
 */
const WHOLE_CIRCLE: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  registry: {
    'access.ledger':
      "the registry's total counts everyone whose consent covers INAMI (R5), from the ledger: every person",
  },
  intakeQueue: {
    'participants.referral':
      'status REGISTERED: every registered form INAMI may see (R4, R5), and whether any later version supersedes each',
  },
  actInbox: {
    'pathways.pathway_act':
      "the total of every RP1IPS and RP1 form (R10, R13) INAMI may see: every person's; the page itself reads pathway_act_forms_keyset newest first",
  },
  sreInbox: {
    'pathways.sre_inbox_item':
      "the total of FOREM's mailboxes (R7): every copied person was routed to FOREM; sre_inbox_item_keyset (employment_service first) serves an SRE holding a share",
  },
};

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  Schema?: string;
  'Index Name'?: string;
  'Index Cond'?: string;
  Plans?: PlanNode[];
}

/**
 * The tables a plan reads whole, subplans and CTEs included: a `Seq Scan`, or — what the planner picks
 * instead once sequential scans are off — an index scan with no condition that no `Limit` above stops
 * early (a walk of a whole index, e.g. the primary key's or a partial one's), bitmap scans included.
 */
function wholeTableReads(plan: PlanNode, limited = false, heap?: PlanNode): string[] {
  const type = plan['Node Type'];
  const table = (node: PlanNode | undefined) => `${node?.Schema}.${node?.['Relation Name']}`;
  let whole: string[] = [];
  if (type === 'Seq Scan') whole = [table(plan)];
  else if (/^Index (Only )?Scan$/.test(type) && !plan['Index Cond'] && !limited)
    whole = [`${table(plan)} (whole index ${plan['Index Name']})`];
  else if (type === 'Bitmap Index Scan' && !plan['Index Cond'])
    whole = [`${table(heap)} (whole index ${plan['Index Name']})`];
  const below = (plan.Plans ?? []).flatMap((child) =>
    wholeTableReads(child, limited || type === 'Limit', type === 'Bitmap Heap Scan' ? plan : heap),
  );
  return [...whole, ...below];
}

/** The statements one request runs in the subgraphs, as executed. */
async function statementsOf(run: () => Promise<unknown>): Promise<{ schema: string; sql: string }[]> {
  const statements: { schema: string; sql: string }[] = [];
  const listener: RequestStatementListener = (statement) => statements.push(statement);
  requestStatementListeners.add(listener);
  try {
    await run();
  } finally {
    requestStatementListeners.delete(listener);
  }
  return statements;
}

/** The tables a statement reads whole, with sequential scans and hash and merge joins disabled: no index serves that access path. */
async function wholeReads(sql: string): Promise<string[]> {
  await explainer.query('begin');
  try {
    // Nested loops only, as well: a hash or merge join may walk a whole index when a filter matches most
    // of these few rows; a nested loop reads each side through an index condition wherever one serves.
    await explainer.query(
      'set local enable_seqscan = off; set local enable_hashjoin = off; set local enable_mergejoin = off',
    );
    const result = await explainer.query<{ 'QUERY PLAN': { Plan: PlanNode }[] }>(
      `explain (format json, verbose) ${sql}`,
    );
    return wholeTableReads(result.rows[0]!['QUERY PLAN'][0]!.Plan);
  } finally {
    await explainer.query('rollback');
  }
}

it('the tables that grow with people are known (the copies made them large)', () => {
  for (const table of [
    'participants.participant',
    'access.ledger',
    'participants.referral',
    'participants.consent_grant',
    'pathways.pathway',
    'pathways.individual_meeting',
    'billing.benefit_statement',
    'research.allocation',
  ]) {
    expect({ table, large: large.has(table) }).toEqual({ table, large: true });
  }
  expect(large.has('billing.convention')).toBe(false); // reference data: may be scanned
});

it.each(LIST_MEASURES)(
  '$field: every SELECT it runs reads the large tables through an index condition',
  async (measure) => {
    const size = SIZES[0];
    const { query, variables } = measureQuery(measure, size);
    const statements = await statementsOf(async () => {
      const response = await graph.query(measure.as(size), query, variables);
      expect(response.errors).toBeUndefined();
      expect(itemsOf(measure, response)).toHaveLength(size);
    });
    const selects = statements.filter((statement) => /^\s*(select|with)\b/i.test(statement.sql));
    expect(selects.length).toBeGreaterThan(0);
    const scans: { table: string; statement: string }[] = [];
    for (const { schema, sql } of selects) {
      for (const read of await wholeReads(sql))
        if (large.has(read.split(' ')[0]!) && !WHOLE_CIRCLE[measure.field]?.[read.split(' ')[0]!])
          scans.push({ table: read, statement: `${schema}: ${sql.slice(0, 400)}` });
    }
    console.log(
      `List ${measure.field}: ${selects.length} SELECT statement(s) explained, large tables read whole: ${scans.length === 0 ? 'none' : scans.map((scan) => scan.table).join(', ')}`,
    );
    expect(scans).toEqual([]);
  },
);
