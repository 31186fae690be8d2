/**
 * The supervisor's list of IPS-arm pathways waiting for a coach (R11) reads what it shows, not the
 * other arm: the control arm's pathways never get a coach (R9), so they pile up among a partner's
 * unassigned pathways. With the arm on the ledger only, each page walked every one of them and
 * checked it against the ledger; the pathway carries the arm drawn (R6) as the ledger holds it
 * (pathways migration 029, kept by the database), so a page is one range of one index.
 */
import pg from 'pg';
import { requestStatementListeners, type RequestStatementListener } from '../subgraphs/kit/orm.js';
import { startTestPlatform, type TestPlatform } from './harness.js';
import { copyPerson, SUPERVISOR } from './lists.js';
import { seed, type RandomisedPerson } from './seed.js';

let graph: TestPlatform;
let owner: pg.Client;
let ips: RandomisedPerson;
let control: RandomisedPerson;
/** Control-arm pathways of the partner without a coach: many more than a page. */
const CONTROL_COPIES = 300;

beforeAll(async () => {
  graph = await startTestPlatform();
  await seed(graph).trial();
  ips = await seed(graph).person().registered({ convention: 'ARTICLE-23' }).randomised({ arm: 'IPS' }).build();
  control = await seed(graph).person().registered({ convention: 'ARTICLE-23' }).randomised({ arm: 'CONTROL' }).build();
  // Newer than every IPS pathway: newest first, a page reaches the IPS arm's only past them unless the index leaves them out.
  await copyPerson(graph, control, CONTROL_COPIES, 'ctl', {}, [
    'participants.participant',
    'access.ledger',
    'pathways.pathway',
  ]);
  await copyPerson(graph, ips, 5, 'ips', {}, ['participants.participant', 'access.ledger', 'pathways.pathway']);
  await graph.sql('analyze');
  owner = new pg.Client({ connectionString: graph.migrationUrl });
  await owner.connect();
}, 240_000);
afterAll(async () => {
  await owner?.end();
  await graph?.stop();
});

const armsOf = async (participantId: string) =>
  (
    await graph.sql<{ pathway: string | null; ledger: string | null }>(
      `select p.trial_arm as pathway, l.trial_arm as ledger from pathways.pathway p join access.ledger l on l.participant_id = p.participant_id
       where p.participant_id = $1`,
      [participantId],
    )
  )[0];

it('holds on every pathway the arm the ledger holds: set when research randomises, taken from the ledger when a pathway is written (R6)', async () => {
  expect(await armsOf(ips.participantId)).toEqual({ pathway: 'IPS', ledger: 'IPS' });
  expect(await armsOf(control.participantId)).toEqual({ pathway: 'CONTROL', ledger: 'CONTROL' });
  const [differ] = await graph.sql<{ n: string }>(
    `select count(*) as n from pathways.pathway p join access.ledger l on l.participant_id = p.participant_id
     where p.trial_arm is distinct from l.trial_arm`,
  );
  expect(Number(differ!.n)).toBe(0);
  // The pathways subgraph's own credentials cannot make a pathway say another arm than the one drawn.
  await graph.roleSql('pathways', `update pathways.pathway set trial_arm = 'IPS' where participant_id = $1`, [
    control.participantId,
  ]);
  expect(await armsOf(control.participantId)).toEqual({ pathway: 'CONTROL', ledger: 'CONTROL' });
});

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Rows Removed by Filter'?: number;
  'Rows Removed by Index Recheck'?: number;
  Plans?: PlanNode[];
}

/** Rows of pathways.pathway a plan read: each scan's rows out, and those its filter threw away. */
function pathwayRowsRead(plan: PlanNode): number {
  const own =
    plan['Relation Name'] === 'pathway'
      ? ((plan['Actual Rows'] ?? 0) +
          (plan['Rows Removed by Filter'] ?? 0) +
          (plan['Rows Removed by Index Recheck'] ?? 0)) *
        (plan['Actual Loops'] ?? 1)
      : 0;
  return own + (plan.Plans ?? []).reduce((sum, child) => sum + pathwayRowsRead(child), 0);
}

it("reads a page of the unassigned list without walking the other arm's pathways", async () => {
  const statements: string[] = [];
  const listener: RequestStatementListener = (statement) => statements.push(statement.sql);
  requestStatementListeners.add(listener);
  let response;
  try {
    response = await graph.query<{ unassignedPathways: { edges: { node: { id: string } }[] } }>(
      SUPERVISOR,
      '{ unassignedPathways(first: 2) { edges { node { id } } } }',
    );
  } finally {
    requestStatementListeners.delete(listener);
  }
  expect(response.errors).toBeUndefined();
  const ids = response.data!.unassignedPathways.edges.map((edge) => edge.node.id);
  expect(ids).toHaveLength(2);
  // Only IPS-arm pathways, never one of the control arm's.
  const [controlShown] = await graph.sql<{ n: string }>(
    `select count(*) as n from pathways.pathway p join access.ledger l on l.participant_id = p.participant_id
     where p.id = any($1::uuid[]) and l.trial_arm is distinct from 'IPS'`,
    [ids],
  );
  expect(Number(controlShown!.n)).toBe(0);

  const page = statements.find((sql) => /union all/i.test(sql) && /pathways\.pathway/.test(sql));
  expect(page).toBeDefined();
  await owner.query('begin');
  try {
    // As at national scale, where no plan reads the table whole: its indexes only.
    await owner.query('set local enable_seqscan = off');
    const result = await owner.query<{ 'QUERY PLAN': { Plan: PlanNode }[] }>(`explain (analyze, format json) ${page!}`);
    const read = pathwayRowsRead(result.rows[0]!['QUERY PLAN'][0]!.Plan);
    // The page (2) and the one row that says more follow, from each of the two index reads; nothing of the 300 control-arm pathways.
    expect({ read, bound: read <= 12 }).toEqual({ read, bound: true });
  } finally {
    await owner.query('rollback');
  }
});
