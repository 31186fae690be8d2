/**
 * A database the application cannot turn against the policy: the application's own role
 * (what the subgraphs connect as) is refused, by PostgreSQL itself, everything that would
 * let it rewrite history; what an administrator can still do behind the triggers is seen
 * by the integrity checks; the allocation balance never shows the open block; and the
 * gateway gives up on a stuck subgraph in bounded time.
 */
import pg from 'pg';
import { startTestPlatform, type TestPlatform } from './harness.js';

const SUBGRAPH_TIMEOUT_MS = 1500;

let graph: TestPlatform;
beforeAll(async () => {
  graph = await startTestPlatform({ seedDemo: true, subgraphTimeoutMs: SUBGRAPH_TIMEOUT_MS });
  // Some reads of people's data, so the access log has rows to chain.
  for (let i = 0; i < 3; i++) {
    const response = await graph.query('INAMI', '{ participants(first: 5) { niss givenName } }');
    expect(response.errors).toBeUndefined();
  }
}, 120_000);
afterAll(async () => {
  await graph?.stop();
});

interface AccessLogIntegrity {
  accessLogIntegrity: { rows: number; intact: boolean; firstBrokenSeq: number | null };
}
const ACCESS_LOG_INTEGRITY = '{ accessLogIntegrity { rows intact firstBrokenSeq } }';

interface RandomisationIntegrity {
  randomisationIntegrity: { draws: number; recorded: number; gaps: number; mismatches: number; chainIntact: boolean };
}
const RANDOMISATION_INTEGRITY = '{ randomisationIntegrity { draws recorded gaps mismatches chainIntact } }';

interface Balance {
  allocationBalance: { region: string; ips: number; control: number; pending: number }[];
}
const BALANCE = '{ allocationBalance { region ips control pending } }';

describe("the application's database role", () => {
  it.each([
    ['disable the access log triggers', 'alter table access.access_log disable trigger all', /must be owner/],
    ['delete an access-log row', 'delete from access.access_log', /permission denied/],
    ['update an access-log row', "update access.access_log set organisation = 'FORGED'", /permission denied/],
    ['move the access-log chain head', 'update access.access_log_head set seq = 0', /permission denied/],
    ['truncate the access log', 'truncate access.access_log', /permission denied/],
    ['delete a ledger row', 'delete from access.ledger', /permission denied/],
    ["change an allocation's arm", "update research.allocation set arm = 'IPS'", /permission denied/],
    ['read the vault stratum state', 'select * from allocation_vault.stratum_state', /permission denied/],
    ['read the vault draw log', 'select * from allocation_vault.draw_log', /permission denied/],
    ['truncate a subgraph table', 'truncate participants.participant cascade', /permission denied/],
    ['create a table in a subgraph schema', 'create table participants.shadow (id int)', /permission denied/],
    ['create a table in public', 'create table public.shadow (id int)', /permission denied/],
    ['create a schema', 'create schema shadow', /permission denied/],
    ['alter a subgraph table', 'alter table pathways.pathway add column shadow int', /must be owner/],
    ['write through a published view', "update research.published_allocation set arm = 'IPS'", /permission denied/],
  ])('is refused by PostgreSQL: %s', async (_what, statement, refusal) => {
    await expect(graph.appSql(statement)).rejects.toThrow(refusal);
  });

  it('owns nothing and holds no TRUNCATE, REFERENCES or TRIGGER privilege anywhere', async () => {
    const [owned] = await graph.sql<{ n: string }>(
      `select count(*) as n from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where c.relowner = 'ips_app'::regrole or n.nspowner = 'ips_app'::regrole`,
    );
    expect(owned!.n).toBe('0');
    const privileges = await graph.sql<{ table_schema: string; table_name: string; privilege_type: string }>(
      `select table_schema, table_name, privilege_type from information_schema.role_table_grants
       where grantee = 'ips_app' and privilege_type in ('TRUNCATE', 'REFERENCES', 'TRIGGER')`,
    );
    expect(privileges).toEqual([]);
    const accessLog = await graph.sql<{ privilege_type: string }>(
      `select privilege_type from information_schema.role_table_grants where grantee = 'ips_app' and table_schema = 'access' and table_name = 'access_log' order by 1`,
    );
    expect(accessLog.map((row) => row.privilege_type)).toEqual(['INSERT', 'SELECT']);
    const [database] = await graph.appSql<{ create: boolean }>("select has_database_privilege(current_database(), 'CREATE') as create");
    expect(database!.create).toBe(false);
  });

  it('cannot wait forever: statement, idle-transaction and lock timeouts are set on the role', async () => {
    const [settings] = await graph.appSql<{ statement: string; idle: string; lock: string }>(
      "select current_setting('statement_timeout') as statement, current_setting('idle_in_transaction_session_timeout') as idle, current_setting('lock_timeout') as lock",
    );
    expect(settings).toEqual({ statement: '10s', idle: '15s', lock: '5s' });
  });

  it('cannot forge the chain fields of a row it appends: the trigger sets them', async () => {
    const [row] = await graph.appSql<{ chain_seq: string; prev_hash: Buffer | null }>(
      `insert into access.access_log (subject, role, organisation, participant_id, categories, operation, subgraph, chain_seq, prev_hash, row_hash)
       values ('forger', 'INAMI', 'INAMI', gen_random_uuid(), '{identity}', 'forge', 'participants', 1, '\\x00', '\\x00')
       returning chain_seq, prev_hash`,
    );
    expect(Number(row!.chain_seq)).toBeGreaterThan(1);
    expect(row!.prev_hash).not.toEqual(Buffer.from([0]));
    const response = await graph.query<AccessLogIntegrity>('INAMI', ACCESS_LOG_INTEGRITY);
    expect(response.data?.accessLogIntegrity).toMatchObject({ intact: true, firstBrokenSeq: null });
  });
});

describe('allocation balance, lagged (CONSORT item 9)', () => {
  it('does not count the members of an open block by arm, only as pending, and counts them once the block closes', async () => {
    const before = (await graph.query<Balance>('INAMI', BALANCE)).data!.allocationBalance.find((row) => row.region === 'FLANDERS')!;
    // A new design version starts fresh blocks; a single block size makes the block's end known.
    await graph.appSql("select allocation_vault.configure('PERMUTED_BLOCKS', '{6}'::int[], null, '{region}'::text[], 'lagged balance test design', 'test')");
    const draw = () => graph.appSql(`select arm from allocation_vault.allocate(gen_random_uuid(), 'FLANDERS', 'FLANDERS', 'test', gen_random_uuid()::text, 'f')`);
    for (let i = 0; i < 3; i++) await draw();
    const open = (await graph.query<Balance>('INAMI', BALANCE)).data!.allocationBalance.find((row) => row.region === 'FLANDERS')!;
    expect(open).toEqual({ region: 'FLANDERS', ips: before.ips, control: before.control, pending: before.pending + 3 });
    for (let i = 0; i < 3; i++) await draw();
    const closed = (await graph.query<Balance>('INAMI', BALANCE)).data!.allocationBalance.find((row) => row.region === 'FLANDERS')!;
    expect(closed.pending).toBe(0);
    expect(closed.ips + closed.control).toBe(before.ips + before.control + before.pending + 6);
  });

  it('big stick: counts arms up to the last draw after which the arms were level', async () => {
    await graph.appSql("select allocation_vault.configure('BIG_STICK', null, 3, '{region}'::text[], 'lagged balance test design', 'test')");
    for (let i = 0; i < 15; i++) {
      await graph.appSql(`select arm from allocation_vault.allocate(gen_random_uuid(), 'BRUSSELS', 'BIG-STICK-TEST', 'test', gen_random_uuid()::text, 'f')`);
    }
    const draws = await graph.sql<{ arm: string; imbalance_after: number }>(
      "select arm, imbalance_after from allocation_vault.draw_log where stratum = 'BIG-STICK-TEST' order by draw_number",
    );
    const level = draws.map((d) => d.imbalance_after).lastIndexOf(0) + 1; // draws up to the last level point
    const counted = draws.slice(0, level);
    const [balance] = await graph.appSql<{ ips: string; control: string; pending: string }>(
      "select ips, control, pending from allocation_vault.balance() where stratum = 'BIG-STICK-TEST'",
    );
    expect(balance).toEqual({
      ips: String(counted.filter((d) => d.arm === 'IPS').length),
      control: String(counted.filter((d) => d.arm === 'CONTROL').length),
      pending: String(draws.length - level),
    });
    expect(Number(balance!.ips)).toBe(Number(balance!.control)); // at a level point the arms are equal
  });
});

describe('the gateway gives up on a stuck subgraph', () => {
  it('answers within its timeout, with an error at the stuck path and the rest of the data', async () => {
    const admin = new pg.Client({ connectionString: adminUrl() });
    await admin.connect();
    try {
      await admin.query('begin');
      await admin.query('lock table billing.convention in access exclusive mode');
      const started = Date.now();
      const response = await graph.query<{ conventions: unknown; trialDesigns: unknown[] }>('INAMI', '{ conventions { code } trialDesigns { version } }');
      const elapsed = Date.now() - started;
      expect(elapsed).toBeLessThan(SUBGRAPH_TIMEOUT_MS + 2000); // well before the role's 5 s lock timeout
      expect(response.data?.conventions).toBeNull();
      expect(response.data?.trialDesigns?.length).toBeGreaterThan(0);
      expect(response.errors?.map((error) => error.path)).toEqual([['conventions']]);
      expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'TIMEOUT', retryable: true });
      expect(JSON.stringify(response.errors)).not.toMatch(/abort|fetch|127\.0\.0\.1|INTERNAL_SERVER_ERROR/i);
    } finally {
      await admin.query('rollback');
      await admin.end();
    }
  });
});

describe('tampering behind the triggers is seen', () => {
  let originalOrganisation = '';

  it('detects a changed access-log row: the chain breaks at its number', async () => {
    const before = await graph.query<AccessLogIntegrity>('INAMI', ACCESS_LOG_INTEGRITY);
    expect(before.data?.accessLogIntegrity).toMatchObject({ intact: true, firstBrokenSeq: null });
    expect(before.data!.accessLogIntegrity.rows).toBeGreaterThan(3);
    const [row] = await graph.sql<{ organisation: string }>('select organisation from access.access_log where chain_seq = 2');
    originalOrganisation = row!.organisation;
    await graph.sql('alter table access.access_log disable trigger access_log_is_append_only');
    await graph.sql("update access.access_log set organisation = 'FORGED' where chain_seq = 2");
    await graph.sql('alter table access.access_log enable trigger access_log_is_append_only');
    const after = await graph.query<AccessLogIntegrity>('INAMI', ACCESS_LOG_INTEGRITY);
    expect(after.data?.accessLogIntegrity).toMatchObject({ intact: false, firstBrokenSeq: 2 });
  });

  it('detects a removed access-log row', async () => {
    await graph.sql('alter table access.access_log disable trigger access_log_is_append_only');
    await graph.sql('update access.access_log set organisation = $1 where chain_seq = 2', [originalOrganisation]); // undo the previous forgery
    await graph.sql('delete from access.access_log where chain_seq = 3');
    await graph.sql('alter table access.access_log enable trigger access_log_is_append_only');
    const after = await graph.query<AccessLogIntegrity>('INAMI', ACCESS_LOG_INTEGRITY);
    expect(after.data?.accessLogIntegrity).toMatchObject({ intact: false, firstBrokenSeq: 3 });
  });

  it('shows the access log integrity to INAMI only', async () => {
    const response = await graph.query('RESEARCHER', ACCESS_LOG_INTEGRITY);
    expect(response.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it("detects an allocation whose arm an administrator changed, then a draw log rewritten to match", async () => {
    const clean = await graph.query<RandomisationIntegrity>('INAMI', RANDOMISATION_INTEGRITY);
    expect(clean.errors).toBeUndefined();
    expect(clean.data?.randomisationIntegrity).toMatchObject({ gaps: 0, mismatches: 0, chainIntact: true });
    expect(clean.data!.randomisationIntegrity.recorded).toBeGreaterThan(0);

    const [victim] = await graph.sql<{ participant_id: string }>('select participant_id from research.allocation order by draw_number limit 1');
    const flip = "case arm when 'IPS' then 'CONTROL' else 'IPS' end";
    await graph.sql('alter table research.allocation disable trigger allocation_is_immutable');
    await graph.sql(`update research.allocation set arm = ${flip} where participant_id = $1`, [victim!.participant_id]);
    await graph.sql('alter table research.allocation enable trigger allocation_is_immutable');
    const tampered = await graph.query<RandomisationIntegrity>('INAMI', RANDOMISATION_INTEGRITY);
    expect(tampered.data!.randomisationIntegrity.mismatches).toBeGreaterThanOrEqual(1);

    // Rewriting the vault's own log to agree hides the mismatch, but not from the chain.
    await graph.sql(`update allocation_vault.draw_log set arm = ${flip} where participant_id = $1`, [victim!.participant_id]);
    const rewritten = await graph.query<RandomisationIntegrity>('INAMI', RANDOMISATION_INTEGRITY);
    expect(rewritten.data?.randomisationIntegrity).toMatchObject({ mismatches: 0, chainIntact: false });
  });
});

/** The administrator's URL of this test's database (the harness's own `sql` pool runs on it). */
function adminUrl(): string {
  const server = new URL(process.env.TEST_DATABASE_URL!);
  server.pathname = new URL(graph.databaseUrl).pathname;
  return server.toString();
}
