/**
 * A database the application cannot turn against the policy: the application's own role
 * (what the subgraphs connect as) is refused, by PostgreSQL itself, everything that would
 * let it rewrite history; what an administrator can still do behind the triggers is seen
 * by the integrity checks; the allocation balance never shows the open block; and the
 * gateway gives up on a stuck subgraph in bounded time.
 */
import pg from 'pg';
import { dropDatabase, provisionDatabase } from '../platform/database.js';
import { SUBGRAPH_ROLES } from '../schema/database-roles.js';
import { LEDGER_FACTS, ON_CONSENT_WITHDRAWN } from '../schema/policy.js';
import { SUBGRAPH_NAMES } from '../schema/subgraphs.js';
import { contractOf } from '../subgraphs/kit/privileges.js';
import { startTestPlatform, type TestPlatform } from './harness.js';

/** Where the platform's relations and functions live: the contract covers every one of them. */
const PLATFORM_SCHEMAS = ['access', ...SUBGRAPH_NAMES, 'allocation_vault', 'pseudonym_vault', 'public'];

const SUBGRAPH_TIMEOUT_MS = 1500;

let graph: TestPlatform;
beforeAll(async () => {
  graph = await startTestPlatform({ seedDemo: true, subgraphTimeoutMs: SUBGRAPH_TIMEOUT_MS });
  // The demo's published snapshots first (the background worker computes them after the load, in this
  // process): a read meanwhile may miss this file's short subgraph timeout.
  await graph.snapshotsCurrent();
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

describe("each subgraph's database role", () => {
  const cases: [string, string, RegExp][] = [
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
  ];
  it.each(
    SUBGRAPH_NAMES.flatMap((subgraph) =>
      cases.map(([what, statement, refusal]) => [subgraph, what, statement, refusal] as const),
    ),
  )('is refused by PostgreSQL (%s): %s', async (subgraph, _what, statement, refusal) => {
    await expect(graph.roleSql(subgraph, statement)).rejects.toThrow(refusal);
  });

  it.each(SUBGRAPH_NAMES)(
    "%s: reads the cell key method's secret only as the research subgraph (its aggregate queries), and never changes it (R19)",
    async (subgraph) => {
      const read = graph.roleSql<{ n: number }>(subgraph, 'select length(secret) as n from research.cell_key_secret');
      if (subgraph === 'research') await expect(read).resolves.toEqual([{ n: 32 }]);
      else await expect(read).rejects.toThrow(/permission denied/);
      await expect(
        graph.roleSql(subgraph, "update research.cell_key_secret set secret = decode(repeat('00', 32), 'hex')"),
      ).rejects.toThrow(/permission denied/);
      await expect(
        graph.roleSql(
          subgraph,
          "insert into research.cell_key_secret (one, secret) values (true, decode(repeat('00', 32), 'hex'))",
        ),
      ).rejects.toThrow(/permission denied/);
    },
  );

  it.each(SUBGRAPH_NAMES)(
    '%s: owns nothing and holds no TRUNCATE, REFERENCES or TRIGGER privilege anywhere',
    async (subgraph) => {
      const role = SUBGRAPH_ROLES[subgraph];
      const [owned] = await graph.sql<{ n: string }>(
        `select count(*) as n from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where c.relowner = $1::regrole or n.nspowner = $1::regrole`,
        [role],
      );
      expect(owned!.n).toBe('0');
      const privileges = await graph.sql<{ table_schema: string; table_name: string; privilege_type: string }>(
        `select table_schema, table_name, privilege_type from information_schema.role_table_grants
       where grantee = $1 and privilege_type in ('TRUNCATE', 'REFERENCES', 'TRIGGER')`,
        [role],
      );
      expect(privileges).toEqual([]);
      const accessLog = await graph.roleSql<{ privilege: string }>(
        subgraph,
        `select p as privilege from unnest(array['SELECT', 'INSERT', 'UPDATE', 'DELETE']) p where has_table_privilege('access.access_log', p) order by 1`,
      );
      expect(accessLog.map((row) => row.privilege)).toEqual(
        subgraph === 'participants' ? ['INSERT', 'SELECT'] : ['INSERT'],
      );
      const [database] = await graph.roleSql<{ create: boolean }>(
        subgraph,
        "select has_database_privilege(current_database(), 'CREATE') as create",
      );
      expect(database!.create).toBe(false);
    },
  );

  it.each(SUBGRAPH_NAMES)(
    '%s: holds exactly what subgraphs/kit/privileges.ts gives it, as PostgreSQL tells its own session',
    async (subgraph) => {
      const [me] = await graph.roleSql<{ user: string }>(subgraph, 'select current_user as user');
      expect(me!.user).toBe(SUBGRAPH_ROLES[subgraph]);
      // Every relation and privilege of the platform's schemas, from the catalogs, as this role sees it.
      const rows = await graph.roleSql<{
        schema: string;
        name: string;
        kind: string;
        privilege: string;
        whole: boolean;
        columns: string[] | null;
      }>(
        subgraph,
        `select n.nspname as schema, c.relname as name, c.relkind::text as kind, p.privilege,
         case when c.relkind = 'S' then has_sequence_privilege(c.oid, p.privilege) else has_table_privilege(c.oid, p.privilege) end as whole,
         case when c.relkind <> 'S' and p.privilege in ('SELECT', 'INSERT', 'UPDATE', 'REFERENCES') then
           (select array_agg(a.attname::text order by a.attname) from pg_attribute a
            where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and has_column_privilege(c.oid, a.attnum, p.privilege)) end as columns
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
       cross join unnest(array['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER', 'USAGE']) as p(privilege)
       where n.nspname = any($1) and c.relkind in ('r', 'p', 'v', 'm', 'S')
         and (case when c.relkind = 'S' then p.privilege in ('USAGE', 'SELECT', 'UPDATE') else p.privilege <> 'USAGE' end)
       order by 1, 2, 4`,
        [PLATFORM_SCHEMAS],
      );
      const held: Record<string, Record<string, true | string[]>> = {};
      const relations = new Map<string, { schema: string; name: string; kind: 'table' | 'view' | 'sequence' }>();
      for (const row of rows) {
        relations.set(`${row.schema}.${row.name}`, {
          schema: row.schema,
          name: row.name,
          kind: row.kind === 'S' ? 'sequence' : row.kind === 'v' || row.kind === 'm' ? 'view' : 'table',
        });
        const value = row.whole ? true : row.columns?.length ? row.columns : undefined;
        if (value) (held[`${row.schema}.${row.name}`] ??= {})[row.privilege.toLowerCase()] = value;
      }
      const functions = await graph.roleSql<{ signature: string }>(
        subgraph,
        `select n.nspname || '.' || p.proname || '(' || oidvectortypes(p.proargtypes) || ')' as signature
       from pg_proc p join pg_namespace n on n.oid = p.pronamespace
       where n.nspname = any($1) and has_schema_privilege(n.oid, 'USAGE') and has_function_privilege(p.oid, 'EXECUTE')
         and not exists (select 1 from pg_depend d where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')
       order by 1`,
        [PLATFORM_SCHEMAS],
      );
      const contract = contractOf(subgraph, [...relations.values()]);
      const expected = Object.fromEntries(
        Object.entries(contract.relations).map(([relation, grant]) => [
          relation,
          Object.fromEntries(
            Object.entries(grant).map(([privilege, columns]) => [
              privilege,
              columns === true ? true : [...(columns as string[])].sort(),
            ]),
          ),
        ]),
      );
      expect(held).toEqual(expected);
      expect(functions.map((row) => row.signature)).toEqual(
        contract.functions.map((signature) => signature.replace(/\bint\b/g, 'integer')),
      );
    },
  );

  it('cannot wait forever: statement, idle-transaction and lock timeouts are set on every role', async () => {
    for (const subgraph of SUBGRAPH_NAMES) {
      const [settings] = await graph.roleSql<{ statement: string; idle: string; lock: string }>(
        subgraph,
        "select current_setting('statement_timeout') as statement, current_setting('idle_in_transaction_session_timeout') as idle, current_setting('lock_timeout') as lock",
      );
      expect(settings).toEqual({ statement: '10s', idle: '15s', lock: '5s' });
    }
  });

  it('cannot forge the chain fields of a row it appends: the trigger sets them', async () => {
    const [row] = await graph.roleSql<{ chain_seq: string; prev_hash: Buffer | null }>(
      'participants',
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

/** PostgreSQL's own refusal: SQLSTATE 42501 (insufficient_privilege), whether a grant, a policy or a trigger says it. */
const REFUSED = { code: '42501' };

describe("one subgraph's credentials reach nothing of another's", () => {
  it.each(['pathways', 'research', 'billing'] as const)(
    "%s cannot read a NISS, neither the person's nor the self subject of the ledger",
    async (subgraph) => {
      await expect(graph.roleSql(subgraph, 'select niss from participants.participant limit 1')).rejects.toMatchObject(
        REFUSED,
      );
      await expect(graph.roleSql(subgraph, 'select self_subject from access.ledger limit 1')).rejects.toMatchObject(
        REFUSED,
      );
      await expect(graph.roleSql(subgraph, 'select * from access.ledger limit 1')).rejects.toMatchObject(REFUSED);
    },
  );

  it.each(['participants', 'pathways', 'billing'] as const)(
    '%s cannot compute a pseudonym, draw an allocation or configure the vault',
    async (subgraph) => {
      const [person] = await graph.sql<{ id: string }>('select id from participants.participant limit 1');
      await expect(
        graph.roleSql(subgraph, "select pseudonym_vault.pseudonym('ANY-PROJECT', $1)", [person!.id]),
      ).rejects.toMatchObject(REFUSED);
      await expect(graph.roleSql(subgraph, "select pseudonym_vault.ensure_key('ANY-PROJECT')")).rejects.toMatchObject(
        REFUSED,
      );
      await expect(
        graph.roleSql(
          subgraph,
          "select * from allocation_vault.allocate(gen_random_uuid(), 'BRUSSELS', 'BRUSSELS', 'x', 'k', 'f')",
        ),
      ).rejects.toMatchObject(REFUSED);
      await expect(
        graph.roleSql(subgraph, 'select allocation_vault.configure(gen_random_uuid())'),
      ).rejects.toMatchObject(REFUSED);
      await expect(graph.roleSql(subgraph, 'select * from allocation_vault.configurations()')).rejects.toMatchObject(
        REFUSED,
      );
    },
  );

  it.each(SUBGRAPH_NAMES)(
    "%s cannot forge another subgraph's outbox event, nor read or claim topics it does not consume",
    async (subgraph) => {
      const withdrawal = (producer: string) =>
        graph.roleSql(
          subgraph,
          "insert into access.outbox (id, topic, producer, participant_id, payload) values (gen_random_uuid(), $1, $2, gen_random_uuid(), '{}')",
          [ON_CONSENT_WITHDRAWN.event, producer],
        );
      if (subgraph === ON_CONSENT_WITHDRAWN.producedBy) {
        // Its own topic only, under its own name: another producer's name or another topic is refused by the policy.
        await expect(withdrawal('pathways')).rejects.toMatchObject(REFUSED);
        await expect(
          graph.roleSql(
            subgraph,
            "insert into access.outbox (id, topic, producer, participant_id, payload) values (gen_random_uuid(), 'PATHWAY_ENDED', $1, null, '{}')",
            [subgraph],
          ),
        ).rejects.toMatchObject(REFUSED);
      } else {
        await expect(withdrawal(ON_CONSENT_WITHDRAWN.producedBy)).rejects.toMatchObject(REFUSED);
        await expect(withdrawal(subgraph)).rejects.toMatchObject(REFUSED);
      }
      const [event] = await graph.sql<{ id: string }>(
        "insert into access.outbox (id, topic, producer, participant_id, payload) values (gen_random_uuid(), 'SOME_OTHER_TOPIC', 'participants', null, '{}') returning id",
      );
      // A consumer reads only its topics (the row is invisible, not an error); the others read no event at all.
      const consumes = (ON_CONSENT_WITHDRAWN.appliedBy as readonly string[]).includes(subgraph);
      if (consumes)
        expect(await graph.roleSql(subgraph, 'select id from access.outbox where id = $1', [event!.id])).toEqual([]);
      else await expect(graph.roleSql(subgraph, 'select id from access.outbox limit 1')).rejects.toMatchObject(REFUSED);
      // Marking an event applied for another consumer (so that it never applies it) is refused.
      await expect(
        graph.roleSql(subgraph, 'insert into access.outbox_applied (consumer, event_id) values ($1, $2)', [
          subgraph === 'pathways' ? 'research' : 'pathways',
          event!.id,
        ]),
      ).rejects.toMatchObject(REFUSED);
    },
  );

  it("lets no subgraph rewrite a stored command answer, nor answer another's claim", async () => {
    const key = crypto.randomUUID();
    await graph.roleSql(
      'participants',
      "insert into access.command_log (requested_by, idempotency_key, action, fingerprint) values ('INAMI:INAMI/x', $1, 'test', repeat('0', 64))",
      [key],
    );
    await expect(
      graph.roleSql('pathways', "update access.command_log set result_id = 'forged' where idempotency_key = $1", [key]),
    ).rejects.toMatchObject(REFUSED);
    await graph.roleSql(
      'participants',
      "update access.command_log set result_id = 'first' where idempotency_key = $1",
      [key],
    );
    for (const subgraph of SUBGRAPH_NAMES) {
      await expect(
        graph.roleSql(subgraph, "update access.command_log set result_id = 'forged' where idempotency_key = $1", [key]),
      ).rejects.toMatchObject(REFUSED);
      await expect(
        graph.roleSql(
          subgraph,
          "update access.command_log set fingerprint = repeat('1', 64) where idempotency_key = $1",
          [key],
        ),
      ).rejects.toMatchObject(REFUSED);
      await expect(
        graph.roleSql(subgraph, 'delete from access.command_log where idempotency_key = $1', [key]),
      ).rejects.toMatchObject(REFUSED);
      await expect(
        graph.roleSql(
          subgraph,
          "insert into access.command_log (requested_by, idempotency_key, action, fingerprint, result_id, claimed_by) values ('x', $1, 'test', repeat('0', 64), 'pre-set', 'ips_owner')",
          [crypto.randomUUID()],
        ),
      ).rejects.toMatchObject(REFUSED);
    }
    const stored = await graph.sql<{ result_id: string; claimed_by: string }>(
      'select result_id, claimed_by from access.command_log where idempotency_key = $1',
      [key],
    );
    expect(stored).toEqual([{ result_id: 'first', claimed_by: SUBGRAPH_ROLES.participants }]);
  });

  it('lets each subgraph write only the ledger facts it owns (schema/policy.ts LEDGER_FACTS)', async () => {
    const [row] = await graph.sql<{ participant_id: string }>('select participant_id from access.ledger limit 1');
    for (const subgraph of SUBGRAPH_NAMES) {
      for (const [fact, { owner }] of Object.entries(LEDGER_FACTS)) {
        const column = fact.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
        const write = graph.roleSql(
          subgraph,
          `update access.ledger set ${column} = ${column} where participant_id = $1`,
          [row!.participant_id],
        );
        if (owner === subgraph) await expect(write).resolves.toBeDefined();
        else await expect(write).rejects.toMatchObject(REFUSED);
      }
    }
  });
});

describe('a database an earlier release provisioned, with one role for every subgraph', () => {
  it("is upgraded by provisioning: its tables handed to the owner, the subgraphs' roles created, and ips_app left with nothing", async () => {
    const server = process.env.TEST_DATABASE_URL!;
    const name = `ips_upgrade_${crypto.randomUUID().replaceAll('-', '').slice(0, 12)}`;
    const admin = new pg.Client({ connectionString: server });
    await admin.connect();
    try {
      // As an earlier release left it: ips_app connects, owns the tables it migrated, and may call the vault.
      await admin.query(`do $$ begin
          if not exists (select from pg_roles where rolname = 'ips_app') then create role ips_app login; end if;
        exception when duplicate_object or unique_violation then null;
        end $$`);
      await admin.query(`create database ${name}`);
      await admin.query(`grant connect on database ${name} to ips_app`);
    } finally {
      await admin.end();
    }
    const inDatabase = new URL(server);
    inDatabase.pathname = `/${name}`;
    const old = new pg.Client({ connectionString: inDatabase.toString() });
    await old.connect();
    try {
      await old.query('create schema participants authorization ips_app');
      await old.query('set role ips_app');
      await old.query('create table participants.participant (id uuid primary key, niss varchar(11) not null)');
      await old.query('reset role');
      await provisionDatabase(server, name);
      const [table] = (
        await old.query<{
          owner: string;
          app_reads: boolean;
          app_connects: boolean;
          app_uses: boolean;
          app_configures: boolean;
        }>(
          `select pg_get_userbyid(c.relowner) as owner, has_table_privilege('ips_app', c.oid, 'SELECT') as app_reads,
           has_database_privilege('ips_app', current_database(), 'CONNECT') as app_connects,
           has_schema_privilege('ips_app', 'participants', 'USAGE') as app_uses,
           has_function_privilege('ips_app', 'allocation_vault.configure(uuid)', 'EXECUTE') as app_configures
         from pg_class c where c.oid = 'participants.participant'::regclass`,
        )
      ).rows;
      expect(table).toEqual({
        owner: 'ips_owner',
        app_reads: false,
        app_connects: false,
        app_uses: false,
        app_configures: false,
      });
      const { rows: roles } = await old.query<{ role: string; connects: boolean }>(
        "select r.rolname::text as role, has_database_privilege(r.oid, current_database(), 'CONNECT') as connects from pg_roles r where r.rolname = any($1) order by 1",
        [Object.values(SUBGRAPH_ROLES)],
      );
      expect(roles).toEqual(
        Object.values(SUBGRAPH_ROLES)
          .sort()
          .map((role) => ({ role, connects: true })),
      );
    } finally {
      await old.end();
      await dropDatabase(server, name);
    }
  });
});

describe('allocation balance, lagged (CONSORT item 9)', () => {
  it('does not count the members of an open block by arm, only as pending, and counts them once the block closes', async () => {
    const before = (await graph.query<Balance>('INAMI', BALANCE)).data!.allocationBalance.find(
      (row) => row.region === 'FLANDERS',
    )!;
    // A new design version starts fresh blocks; a single block size makes the block's end known.
    await graph.configureTrialDesign({
      procedure: 'PERMUTED_BLOCKS',
      blockSizes: [6],
      rationale: 'lagged balance test design',
    });
    const draw = () =>
      graph.roleSql(
        'research',
        `select arm from allocation_vault.allocate(gen_random_uuid(), 'FLANDERS', 'FLANDERS', 'test', gen_random_uuid()::text, 'f')`,
      );
    for (let i = 0; i < 3; i++) await draw();
    const open = (await graph.query<Balance>('INAMI', BALANCE)).data!.allocationBalance.find(
      (row) => row.region === 'FLANDERS',
    )!;
    expect(open).toEqual({ region: 'FLANDERS', ips: before.ips, control: before.control, pending: before.pending + 3 });
    for (let i = 0; i < 3; i++) await draw();
    const closed = (await graph.query<Balance>('INAMI', BALANCE)).data!.allocationBalance.find(
      (row) => row.region === 'FLANDERS',
    )!;
    expect(closed.pending).toBe(0);
    expect(closed.ips + closed.control).toBe(before.ips + before.control + before.pending + 6);
  });

  it('big stick: counts arms up to the last draw after which the arms were level', async () => {
    await graph.configureTrialDesign({
      procedure: 'BIG_STICK',
      maximalImbalance: 3,
      rationale: 'lagged balance test design',
    });
    for (let i = 0; i < 15; i++) {
      await graph.roleSql(
        'research',
        `select arm from allocation_vault.allocate(gen_random_uuid(), 'BRUSSELS', 'BIG-STICK-TEST', 'test', gen_random_uuid()::text, 'f')`,
      );
    }
    const draws = await graph.sql<{ arm: string; imbalance_after: number }>(
      "select arm, imbalance_after from allocation_vault.draw_log where stratum = 'BIG-STICK-TEST' order by draw_number",
    );
    const level = draws.map((d) => d.imbalance_after).lastIndexOf(0) + 1; // draws up to the last level point
    const counted = draws.slice(0, level);
    const [balance] = await graph.roleSql<{ ips: string; control: string; pending: string }>(
      'research',
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
      const response = await graph.query<{ conventions: unknown; trialDesigns: unknown[] }>(
        'INAMI',
        '{ conventions { code } trialDesigns { version } }',
      );
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
    const [row] = await graph.sql<{ organisation: string }>(
      'select organisation from access.access_log where chain_seq = 2',
    );
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

  it('detects an allocation whose arm an administrator changed, then a draw log rewritten to match', async () => {
    const clean = await graph.query<RandomisationIntegrity>('INAMI', RANDOMISATION_INTEGRITY);
    expect(clean.errors).toBeUndefined();
    expect(clean.data?.randomisationIntegrity).toMatchObject({ gaps: 0, mismatches: 0, chainIntact: true });
    expect(clean.data!.randomisationIntegrity.recorded).toBeGreaterThan(0);

    const [victim] = await graph.sql<{ participant_id: string }>(
      'select participant_id from research.allocation order by draw_number limit 1',
    );
    const flip = "case arm when 'IPS' then 'CONTROL' else 'IPS' end";
    await graph.sql('alter table research.allocation disable trigger allocation_is_immutable');
    await graph.sql(`update research.allocation set arm = ${flip} where participant_id = $1`, [victim!.participant_id]);
    await graph.sql('alter table research.allocation enable trigger allocation_is_immutable');
    const tampered = await graph.query<RandomisationIntegrity>('INAMI', RANDOMISATION_INTEGRITY);
    expect(tampered.data!.randomisationIntegrity.mismatches).toBeGreaterThanOrEqual(1);

    // Rewriting the vault's own log to agree hides the mismatch, but not from the chain.
    await graph.sql(`update allocation_vault.draw_log set arm = ${flip} where participant_id = $1`, [
      victim!.participant_id,
    ]);
    const rewritten = await graph.query<RandomisationIntegrity>('INAMI', RANDOMISATION_INTEGRITY);
    expect(rewritten.data?.randomisationIntegrity).toMatchObject({ mismatches: 0, chainIntact: false });
  });
});

/** The administrator's URL of this test's database (the harness's own `sql` pool runs on it). */
function adminUrl(): string {
  const server = new URL(process.env.TEST_DATABASE_URL!);
  server.pathname = `/${graph.databaseName}`;
  return server.toString();
}
