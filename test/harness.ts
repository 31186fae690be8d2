/**
 * End-to-end harness: a fresh database on the test server, the four real subgraphs
 * and the real gateway on ephemeral loopback ports, callers with signed tokens.
 */
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import type { CryptoKey } from 'jose';
import pg from 'pg';
import { Kind, parse, print, visit, type DocumentNode } from 'graphql';
import { ON_CONSENT_WITHDRAWN, STAFF_FUNCTIONS, type StaffFunction } from '../schema/policy.js';
import { signCallerToken } from '../gateway/identity.js';
import { ephemeralDevKeys, type DevKeys } from '../gateway/keys.js';
import {
  dropDatabase,
  provisionDatabase,
  provisionFromTemplate,
  withDatabase,
  type ProvisionedUrls,
  type SubgraphDatabaseUrls,
} from '../platform/database.js';
import { prepareDatabase, startPlatform, type Platform } from '../platform/launcher.js';
import { SUBGRAPHS } from '../platform/subgraphs.js';
import { startSubgraph } from '../subgraphs/kit/subgraph.js';
import type { Identity, Role } from '../schema/identity.js';
import { SUBGRAPH_NAMES, type SubgraphName } from '../schema/subgraphs.js';
import type { GatewayTrust } from '../subgraphs/kit/identity.js';
import { DATA_CHANGE_CHANNEL, definedSnapshots } from '../subgraphs/kit/data-version.js';

export interface GraphQLResponse<TData = Record<string, unknown>> {
  status: number;
  data?: TData | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
  extensions?: Record<string, unknown>;
}

export interface TestPlatform {
  platform: Platform;
  keys: DevKeys;
  /** Each subgraph's own role's URL, which it serves with (through the relay with `databaseRelay`). */
  databaseUrls: SubgraphDatabaseUrls;
  /** The test database's name on the server of TEST_DATABASE_URL. */
  databaseName: string;
  /** With `databaseRelay`: the relay between the subgraphs and PostgreSQL, to cut and restore. */
  databaseRelay?: DatabaseRelay;
  /** The owner role's URL, which the subgraphs migrate with. */
  migrationUrl: string;
  /**
   * Queries the gateway as `identity` (a role alone gets a default subject and organisation), as a
   * client that sends a fresh idempotency key with every mutation field that does not name one.
   * Physicians and coaches are enrolled in the staff directory before their first request.
   */
  query<TData = Record<string, unknown>>(
    as: Identity | Role | null,
    query: string,
    variables?: Record<string, unknown>,
    headers?: Readonly<Record<string, string>>,
  ): Promise<GraphQLResponse<TData>>;
  /** Posts straight to a subgraph, with whatever authorization header is given. */
  querySubgraph(
    name: SubgraphName,
    query: string,
    authorization?: string,
    variables?: Record<string, unknown>,
  ): Promise<GraphQLResponse>;
  tokenFor(identity: Identity, key?: CryptoKey): Promise<string>;
  /** Enrols a physician or coach in the staff directory, as their organisation would (once per identity). */
  enrol(identity: Identity): Promise<void>;
  /** Keeps a caller out of the staff directory (to test what an unlisted physician or coach may do). */
  notInDirectory(identity: Identity): void;
  /** Runs SQL on the test database as its administrator (to count rows, inspect, try the forbidden). */
  sql<Row extends pg.QueryResultRow = Record<string, unknown>>(text: string, params?: unknown[]): Promise<Row[]>;
  /** A connection of the database's owner that the test holds (e.g. a transaction holding a lock while a request runs); release it. */
  ownerConnection(): Promise<pg.PoolClient>;
  /**
   * Waits until every outbox event has been applied by each subgraph the policy names for it
   * (ON_CONSENT_WITHDRAWN.appliedBy): what a write's consequences in other subgraphs need (≤ 10 s).
   */
  outboxSettled(): Promise<void>;
  /**
   * Waits until every published snapshot (kit/data-version.ts) reflects every write committed before
   * the call: the background computation's, never a request's (≤ `withinMs`, 120 s). It advances the
   * data version and notifies as a write does, then waits for each defined snapshot stored at that
   * version or later (the worker reads the version before its snapshot's transaction begins).
   */
  snapshotsCurrent(withinMs?: number): Promise<void>;
  /** Runs SQL as the role `subgraph` serves with (up to 20 connections at once per role): what that subgraph's credentials may do. */
  roleSql<Row extends pg.QueryResultRow = Record<string, unknown>>(
    subgraph: SubgraphName,
    text: string,
    params?: unknown[],
  ): Promise<Row[]>;
  /**
   * Puts a randomisation design live as researchers do (R6, four eyes): a proposal by one researcher,
   * approved by another, configured by the vault from the proposal (as the research role). Returns its version.
   */
  /**
   * Moves people's randomisation to `day` (YYYY-MM-DD, noon Belgian time), in the allocation and in the ledger's
   * `randomisedOn` alike: the vault stamps every allocation now() and keeps it immutable (a trigger), so a test of the
   * 30-month follow-up writes its history as the administrator, triggers off for that one transaction.
   */
  backdateRandomisation(participantIds: readonly string[], day: string): Promise<void>;
  configureTrialDesign(design: {
    procedure: 'PERMUTED_BLOCKS' | 'BIG_STICK';
    blockSizes?: number[] | null;
    maximalImbalance?: number | null;
    strata?: string[];
    rationale?: string;
  }): Promise<number>;
  stop(): Promise<void>;
}

export const DEFAULT_IDENTITY: Record<Role, Identity> = {
  MEDECIN_CONSEIL: { role: 'MEDECIN_CONSEIL', organisation: 'OA-300', subject: 'dr-dupont' },
  OA: { role: 'OA', organisation: 'OA-300', subject: 'oa-agent-1' },
  INAMI: { role: 'INAMI', organisation: 'INAMI', subject: 'inami-agent-1' },
  SRE: { role: 'SRE', organisation: 'FOREM', subject: 'forem-counsellor-1' },
  JOB_COACH: { role: 'JOB_COACH', organisation: 'ARTICLE-23', subject: 'coach-1' },
  SUPERVISOR: { role: 'SUPERVISOR', organisation: 'ARTICLE-23', subject: 'supervisor-1' },
  RESEARCHER: { role: 'RESEARCHER', organisation: 'ULB', subject: 'researcher-1' },
  INTEGRATOR: { role: 'INTEGRATOR', organisation: 'DASHBOARD-WAL', subject: 'integrator-1' },
  PARTICIPANT: { role: 'PARTICIPANT', organisation: 'SELF', subject: '85073003328' },
};

export interface TestPlatformOptions {
  seedDemo?: boolean;
  subgraphTimeoutMs?: number;
  /** Whom the subgraphs trust to sign identity tokens (e.g. a JWK set of our gateway and another router); our gateway's key when absent. */
  trustedGatewayKeys?: GatewayTrust;
  /** The subgraphs reach PostgreSQL (as the application role) through a TCP relay the test can cut: a database outage on demand. */
  databaseRelay?: boolean;
  /** The PostgreSQL server to create the test database on (a server the test may restart); TEST_DATABASE_URL's when absent. */
  serverUrl?: string;
  /**
   * false: no published snapshot is computed (the research subgraph's background work is off), for a
   * file that writes in bulk and reads no published aggregate — its writes would keep a computation busy.
   */
  snapshots?: boolean;
}

/** A TCP relay to PostgreSQL: `cut()` drops every connection and refuses new ones (an outage), `restore()` accepts again. */
export interface DatabaseRelay {
  cut(): Promise<void>;
  /**
   * The next command's COMMIT (on a connection that wrote `access.command_log`) reaches PostgreSQL, which
   * commits it, but its answer never comes back: the connection is dropped (an ambiguous commit).
   * Resolves once that happened.
   */
  dropNextCommandCommit(): Promise<void>;
  /** The next statement whose text matches `pattern` never reaches PostgreSQL: its connection is dropped (lost mid-request). Resolves once that happened. */
  dropNextStatement(pattern: RegExp): Promise<void>;
  restore(): Promise<void>;
  stop(): Promise<void>;
}

async function startDatabaseRelay(target: URL): Promise<{ relay: DatabaseRelay; port: number }> {
  const sockets = new Set<net.Socket>();
  let server: net.Server | undefined;
  let port = 0;
  let commitArmed: (() => void) | undefined;
  let statementArmed: { pattern: RegExp; dropped: () => void } | undefined;
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const created = net.createServer((client) => {
        const upstream = net.connect(Number(target.port || 5432), target.hostname);
        for (const socket of [client, upstream]) {
          sockets.add(socket);
          socket.on('close', () => sockets.delete(socket));
          socket.on('error', () => socket.destroy());
        }
        let wroteCommandLog = false;
        let severed = false;
        client.on('data', (chunk: Buffer) => {
          if (severed) return;
          const text = chunk.toString('latin1');
          if (statementArmed?.pattern.test(text)) {
            const { dropped } = statementArmed;
            statementArmed = undefined;
            severed = true;
            client.destroy();
            upstream.destroy();
            dropped();
            return;
          }
          if (commitArmed && text.includes('access.command_log')) wroteCommandLog = true;
          if (commitArmed && wroteCommandLog && /\bcommit\b/i.test(text)) {
            const dropped = commitArmed;
            commitArmed = undefined;
            severed = true; // PostgreSQL gets the COMMIT; its answer is not relayed
            upstream.write(chunk);
            setTimeout(() => {
              client.destroy();
              upstream.destroy();
              dropped();
            }, 300);
            return;
          }
          upstream.write(chunk);
        });
        upstream.on('data', (chunk: Buffer) => {
          if (!severed) client.write(chunk);
        });
        client.on('close', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
      });
      created.once('error', reject);
      created.listen(port, '127.0.0.1', () => {
        port = (created.address() as net.AddressInfo).port;
        server = created;
        resolve();
      });
    });
  const close = async () => {
    const closing = server;
    server = undefined;
    for (const socket of sockets) socket.destroy();
    if (closing) await new Promise<void>((resolve) => closing.close(() => resolve()));
  };
  await listen();
  const dropNextCommandCommit = () => new Promise<void>((resolve) => (commitArmed = resolve));
  const dropNextStatement = (pattern: RegExp) =>
    new Promise<void>((resolve) => (statementArmed = { pattern, dropped: resolve }));
  return { port, relay: { cut: close, restore: listen, stop: close, dropNextCommandCommit, dropNextStatement } };
}

/**
 * The run's template database (IPS_TEST_TEMPLATE, named by jest's globalSetup, dropped by its teardown) on the
 * server of TEST_DATABASE_URL: provisioned, migrated by the platform itself and holding the first published
 * snapshots of an empty database — what every test file's database would be after its platform's first start.
 * Built once per run, before the first test file (test/template-database.build.ts, run by jest's globalSetup:
 * no test file's hook waits for it), else by whichever file asks first (the others wait on an advisory lock);
 * then only copied: the test files' databases are clones of it. Marked a template (and closed to connections)
 * only once complete, so a build cut short is redone, not cloned.
 */
export async function runTemplate(serverUrl: string): Promise<string | undefined> {
  const template = process.env.IPS_TEST_TEMPLATE;
  if (!template || template === 'off' || serverUrl !== process.env.TEST_DATABASE_URL) return undefined;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query('select pg_advisory_lock(hashtext($1))', [template]);
    const { rowCount: built } = await admin.query('select 1 from pg_database where datname = $1 and datistemplate', [
      template,
    ]);
    if (built) return template;
    const startedAt = performance.now();
    await dropDatabase(serverUrl, template);
    const { subgraphUrls, ownerUrl } = await provisionDatabase(serverUrl, template);
    const keys = await ephemeralDevKeys();
    // Migrated and marked as the launcher does on a first start (platform/database-origin.ts: `empty`).
    await prepareDatabase({ databaseUrls: subgraphUrls, migrationUrl: ownerUrl, gateway: keys.gateway });
    // The first published snapshots, computed by the research subgraph's background work as on any first start.
    const research = await startSubgraph(SUBGRAPHS.research, {
      databaseUrl: subgraphUrls.research,
      migrationUrl: ownerUrl,
      gatewayKey: keys.gateway.publicKey,
      runMigrations: false,
    });
    try {
      const pool = new pg.Pool({ connectionString: withDatabase(serverUrl, template), max: 1 });
      try {
        await snapshotsStored(pool, 120_000);
      } finally {
        await pool.end();
      }
    } finally {
      await research.stop();
    }
    await admin.query(`alter database "${template}" with is_template true allow_connections false`);
    // A copy needs the template to itself: the connections the stopped subgraphs' pools leave idle are ended.
    await admin.query(
      'select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
      [template],
    );
    if (process.env.IPS_TEST_BOOT_TIMES)
      process.stderr.write(`template ${template} built in ${(performance.now() - startedAt).toFixed(0)} ms\n`);
    return template;
  } finally {
    await admin.end(); // and with it the advisory lock
  }
}

/** Waits until every defined published snapshot is stored (or `withinMs` passed). */
async function snapshotsStored(pool: pg.Pool, withinMs: number): Promise<void> {
  for (const deadline = Date.now() + withinMs; ;) {
    const [row] = (
      await pool.query<{ n: number }>(
        'select count(*)::int as n from research.aggregate_snapshot where key = any($1::text[])',
        [definedSnapshots()],
      )
    ).rows;
    if (row!.n === definedSnapshots().length || Date.now() > deadline) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * The test file's own database: a clone of the run's template when there is one (a file copy, no migration),
 * made what a fresh database's first start would leave for these options; else provisioned and migrated afresh.
 */
async function testDatabase(
  serverUrl: string,
  databaseName: string,
  options: TestPlatformOptions,
): Promise<ProvisionedUrls & { cloned: boolean }> {
  const template = await runTemplate(serverUrl);
  if (!template) return { ...(await provisionDatabase(serverUrl, databaseName)), cloned: false };
  const urls = await provisionFromTemplate(serverUrl, template, databaseName);
  const seedDemo = options.seedDemo ?? false;
  if (seedDemo || options.snapshots === false) {
    const client = new pg.Client({ connectionString: withDatabase(serverUrl, databaseName) });
    await client.connect();
    try {
      // A platform without background work stores no snapshot; one loading demo data computes its first after the load.
      await client.query('delete from research.aggregate_snapshot');
      // The mark a fresh database gets when demo data are asked for on its first start (platform/database-origin.ts).
      if (seedDemo) await client.query(`update platform.database_origin set kind = 'demo'`);
    } finally {
      await client.end();
    }
  }
  return { ...urls, cloned: true };
}

export async function startTestPlatform(options: TestPlatformOptions = {}): Promise<TestPlatform> {
  const serverUrl = options.serverUrl ?? process.env.TEST_DATABASE_URL;
  if (!serverUrl) throw new Error('TEST_DATABASE_URL is not set (jest globalSetup sets it)');
  const bootStartedAt = performance.now();
  const bootCpu = process.cpuUsage();
  const databaseName = `ips_test_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  // Each subgraph connects as its own unprivileged role, as in production; the tests' own SQL
  // (`sql`) runs as the administrator, to inspect and to try what the subgraphs' roles cannot.
  const { subgraphUrls, ownerUrl: migrationUrl, cloned } = await testDatabase(serverUrl, databaseName, options);
  const databaseReadyAt = performance.now();
  let databaseUrls = subgraphUrls;
  let relay: DatabaseRelay | undefined;
  if (options.databaseRelay) {
    // Every role's URL names the same server: one relay carries them all.
    const started = await startDatabaseRelay(new URL(Object.values(subgraphUrls)[0]!));
    relay = started.relay;
    const relayed = (url: string) => {
      const through = new URL(url);
      through.hostname = '127.0.0.1';
      through.port = String(started.port);
      return through.toString();
    };
    databaseUrls = Object.fromEntries(
      Object.entries(subgraphUrls).map(([name, url]) => [name, relayed(url)]),
    ) as SubgraphDatabaseUrls;
  }
  const adminDatabaseUrl = withDatabase(serverUrl, databaseName);
  const keys = await ephemeralDevKeys();
  const platform = await startPlatform({
    databaseUrls,
    migrationUrl,
    subgraphTimeoutMs: options.subgraphTimeoutMs,
    callerPublicKey: keys.caller.publicKey,
    gateway: keys.gateway,
    trustedGatewayKeys: options.trustedGatewayKeys,
    gatewayPort: 0,
    seedDemo: options.seedDemo ?? false,
    migrate: !cloned, // a copy of the migrated template
    // A file asks as a few roles: the others' gateways (a second of CPU each) are never built.
    gatewayRolesOnFirstRequest: true,
    exposeSqlCount: true,
    background: options.snapshots ?? true,
  });
  const pool = new pg.Pool({ connectionString: adminDatabaseUrl, max: 2 });
  // An empty database's first snapshots (kit/data-version.ts) take a moment: stored before the first test asks,
  // as on any platform that has run once (a demo's are computed after its load: those tests wait for them).
  if (!(options.seedDemo ?? false) && (options.snapshots ?? true)) await snapshotsStored(pool, 60_000);
  // IPS_TEST_BOOT_TIMES=1: what each file's platform took to be ready, on stderr (the figure the harness is tuned by).
  if (process.env.IPS_TEST_BOOT_TIMES)
    process.stderr.write(
      `boot ${databaseName}: database ${(databaseReadyAt - bootStartedAt).toFixed(0)} ms, platform ${(performance.now() - databaseReadyAt).toFixed(0)} ms, this process's CPU ${(process.cpuUsage(bootCpu).user / 1000).toFixed(0)} ms\n`,
    );
  const rolePools = Object.fromEntries(
    SUBGRAPH_NAMES.map((name) => [name, new pg.Pool({ connectionString: databaseUrls[name], max: 20 })]),
  ) as Record<SubgraphName, pg.Pool>;
  // An idle connection the server drops (a restart, an outage) is an 'error' event: without a listener, it ends the test process.
  for (const each of [pool, ...Object.values(rolePools)]) each.on('error', () => undefined);
  const tokenFor = (identity: Identity, key: CryptoKey = keys.caller.privateKey) =>
    signCallerToken(identity, key, '5m');
  // Physicians and coaches act only as active members of the staff directory: the test callers are
  // enrolled by their organisation's own role, through the real mutation, before their first request.
  const enrolled = new Set<string>();
  const staffKey = (identity: Identity) => `${identity.organisation}/${identity.subject}/${identity.role}`;
  const enrol = async (identity: Identity) => {
    const staff = STAFF_OF_ROLE[identity.role];
    if (!staff || enrolled.has(staffKey(identity))) return;
    enrolled.add(staffKey(identity));
    const maintainer: Identity = {
      role: STAFF_FUNCTIONS[staff].maintainedBy,
      organisation: identity.organisation,
      subject: 'test-directory-admin',
    };
    await post(
      `${platform.gateway.url}graphql`,
      ENROL,
      { input: { subject: identity.subject, function: staff, displayName: identity.subject }, key: randomUUID() },
      `Bearer ${await tokenFor(maintainer)}`,
    );
  };

  return {
    platform,
    keys,
    databaseUrls,
    databaseName,
    databaseRelay: relay,
    migrationUrl,
    tokenFor,
    async query<TData>(
      as: Identity | Role | null,
      query: string,
      variables?: Record<string, unknown>,
      headers?: Readonly<Record<string, string>>,
    ) {
      const identity = typeof as === 'string' ? DEFAULT_IDENTITY[as] : as;
      if (identity) await enrol(identity);
      const authorization = identity ? `Bearer ${await tokenFor(identity)}` : undefined;
      const keyed = withIdempotencyKeys(query, variables);
      return (await post(
        `${platform.gateway.url}graphql`,
        keyed.query,
        keyed.variables,
        authorization,
        headers,
      )) as GraphQLResponse<TData>;
    },
    enrol,
    notInDirectory(identity: Identity) {
      enrolled.add(staffKey(identity));
    },
    async querySubgraph(name, query, authorization, variables) {
      const subgraph = platform.subgraphs.find((s) => s.name === name);
      if (!subgraph) throw new Error(`no subgraph ${name}`);
      return post(subgraph.url, query, variables, authorization);
    },
    async sql(text, params) {
      return (await pool.query(text, params)).rows;
    },
    async snapshotsCurrent(withinMs = 120_000) {
      if (options.snapshots === false)
        throw new Error('snapshotsCurrent: this platform was started with { snapshots: false }');
      const keys = definedSnapshots();
      const [advanced] = (
        await pool.query<{ version: string }>(
          `select nextval('access.data_version')::text as version, pg_notify($1, '')`,
          [DATA_CHANGE_CHANNEL],
        )
      ).rows;
      const deadline = Date.now() + withinMs;
      for (;;) {
        const [row] = (
          await pool.query<{ current: number }>(
            `select count(*)::int as current from research.aggregate_snapshot where key = any($1::text[]) and data_version >= $2::bigint`,
            [keys, advanced!.version],
          )
        ).rows;
        if (row!.current === keys.length) return;
        if (Date.now() > deadline)
          throw new Error(
            `snapshots: ${keys.length - row!.current} of ${keys.length} not current after ${withinMs} ms`,
          );
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    ownerConnection: () => pool.connect(),
    async outboxSettled() {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const [row] = (
          await pool.query<{ pending: number }>(
            `select count(*)::int as pending from access.outbox o cross join unnest($2::text[]) as c(consumer)
           where o.topic = $1 and not exists (select 1 from access.outbox_applied a where a.event_id = o.id and a.consumer = c.consumer)`,
            [ON_CONSENT_WITHDRAWN.event, [...ON_CONSENT_WITHDRAWN.appliedBy]],
          )
        ).rows;
        if (row!.pending === 0) return;
        if (Date.now() > deadline) throw new Error(`outbox: ${row!.pending} event(s) still unapplied after 10 s`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    async backdateRandomisation(participantIds, day) {
      const client = await pool.connect();
      try {
        await client.query('begin');
        await client.query('set local session_replication_role = replica');
        await client.query(
          "update research.allocation set allocated_at = ($2::date + time '12:00') at time zone 'Europe/Brussels' where participant_id = any($1::uuid[])",
          [participantIds, day],
        );
        await client.query('update access.ledger set randomised_on = $2::date where participant_id = any($1::uuid[])', [
          participantIds,
          day,
        ]);
        await client.query('commit');
      } catch (error) {
        await client.query('rollback');
        throw error;
      } finally {
        client.release();
      }
    },
    async roleSql(subgraph, text, params) {
      return (await rolePools[subgraph].query(text, params)).rows;
    },
    async configureTrialDesign(design) {
      const [proposal] = (
        await pool.query<{ id: string }>(
          `insert into research.trial_design_proposal (id, procedure, block_sizes, maximal_imbalance, strata, rationale, proposed_by, proposed_by_organisation,
           approved_by, approved_by_organisation, approved_at, idempotency_key, requested_by, request_fingerprint)
         values (gen_random_uuid(), $1, $2::int[], $3, $4::text[], $5, 'test-proposer', 'ULB', 'test-approver', 'ULB', now(), gen_random_uuid()::text, 'test', 'test') returning id`,
          [
            design.procedure,
            design.blockSizes ?? null,
            design.maximalImbalance ?? null,
            design.strata ?? ['region'],
            design.rationale ?? 'test design',
          ],
        )
      ).rows;
      const [configured] = (
        await rolePools.research.query<{ version: number }>('select allocation_vault.configure($1) as version', [
          proposal!.id,
        ])
      ).rows;
      return configured!.version;
    },
    async stop() {
      await pool.end();
      await Promise.all(Object.values(rolePools).map((rolePool) => rolePool.end()));
      await platform.stop();
      await relay?.stop();
      await dropDatabase(serverUrl, databaseName);
    },
  };
}

const ENROL =
  'mutation($input: EnrolStaffMemberInput!, $key: String!) { enrolStaffMember(input: $input, idempotencyKey: $key) { id } }';

/** The staff function each acting role holds in the directory (schema/policy.ts STAFF_FUNCTIONS). */
const STAFF_OF_ROLE: Partial<Record<Role, StaffFunction>> = Object.fromEntries(
  (Object.entries(STAFF_FUNCTIONS) as [StaffFunction, (typeof STAFF_FUNCTIONS)[StaffFunction]][])
    .filter(
      ([name]) =>
        name === 'ADVISING_PHYSICIAN' || name === 'JOB_COACH' || name === 'RESEARCHER' || name === 'SRE_COUNSELLOR',
    )
    .map(([name, f]) => [f.role, name]),
);

/** Adds `idempotencyKey: $__keyN` (a fresh UUID) to every mutation field sent without one. */
export function withIdempotencyKeys(
  query: string,
  variables: Record<string, unknown> = {},
): { query: string; variables: Record<string, unknown> } {
  const document = parse(query);
  const added: Record<string, string> = {};
  const edited = visit(document, {
    OperationDefinition(operation) {
      if (operation.operation !== 'mutation') return false;
      const selections = operation.selectionSet.selections.map((selection) => {
        if (
          selection.kind !== Kind.FIELD ||
          selection.name.value.startsWith('__') ||
          selection.arguments?.some((a) => a.name.value === 'idempotencyKey')
        )
          return selection;
        const name = `__key${Object.keys(added).length}`;
        added[name] = randomUUID();
        return {
          ...selection,
          arguments: [
            ...(selection.arguments ?? []),
            {
              kind: Kind.ARGUMENT,
              name: { kind: Kind.NAME, value: 'idempotencyKey' },
              value: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: name } },
            },
          ],
        };
      });
      const definitions = Object.keys(added).map((name) => ({
        kind: Kind.VARIABLE_DEFINITION,
        variable: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: name } },
        type: { kind: Kind.NON_NULL_TYPE, type: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: 'String' } } },
      }));
      return {
        ...operation,
        variableDefinitions: [...(operation.variableDefinitions ?? []), ...definitions],
        selectionSet: { ...operation.selectionSet, selections },
      };
    },
  });
  return Object.keys(added).length === 0
    ? { query, variables }
    : { query: print(edited), variables: { ...variables, ...added } };
}

async function post(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  authorization?: string,
  headers: Readonly<Record<string, string>> = {},
): Promise<GraphQLResponse> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers, ...(authorization ? { authorization } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as Omit<GraphQLResponse, 'status'>;
  return { status: response.status, ...body };
}

/** The error codes of a response, with the field each names (for BAD_USER_INPUT). */
/**
 * Asks as a client does with a retryable answer (TIMEOUT, UNAVAILABLE with `retryable`): again after its
 * hint, for at most `withinMs`. A published table's snapshot at the pilot's size can take longer to compute
 * than the gateway waits; the computation goes on and the next request gets it.
 */
export async function patiently<T>(
  ask: () => Promise<GraphQLResponse<T>>,
  withinMs = 120_000,
): Promise<GraphQLResponse<T>> {
  const until = Date.now() + withinMs;
  for (;;) {
    const response = await ask();
    const retryable = response.errors?.every((error) => error.extensions?.retryable === true) ?? false;
    if (!retryable || Date.now() > until) return response;
    await new Promise((resolve) =>
      setTimeout(resolve, 1000 * Number(response.errors![0]!.extensions!.retryAfter ?? 1)),
    );
  }
}

export function errorCodes(response: GraphQLResponse): string[] {
  return (response.errors ?? []).map((error) => String(error.extensions?.code));
}
