/**
 * Published aggregates (pilotAggregates, coachCaseloads, teamFidelity, the suppressed CONSORT flow),
 * computed in the background and kept in PostgreSQL (research.aggregate_snapshot), so that a request
 * never waits for a computation, a restart serves the snapshot it had, and every replica serves the
 * same one.
 *
 * Every write statement on a subgraph's tables advances one sequence, `access.data_version` (a
 * statement-level trigger attached here to each table after its schema migrates), and notifies
 * `ips_data_change`, delivered at commit (access migration 010). The snapshot worker
 * (`startSnapshotWorker`, run by every instance of the research subgraph) computes every defined
 * snapshot at start and after each notice, all in one read-only REPEATABLE READ transaction from
 * the source tables — never from a copy kept apart — so that they agree with each other, and stores
 * them together with the data version read just before, the Brussels day and the moment they were
 * computed (`asOf`). Only the instance holding an
 * advisory lock computes (one computation per database at a time); the others wait for the lock and
 * take over when its holder stops. Under a steady stream of writes, a snapshot younger than
 * `refreshMs` is kept (the publication's cadence; 0 in tests); a new Brussels day (measures that
 * depend on today: quarters, due waves), a data version that moved without a notice (a direct
 * nextval) and an age past `maxAgeMs` recompute too, checked every `pollMs`.
 *
 * A request reads the latest stored snapshot (one statement; the value is parsed once per process and
 * snapshot) and answers with its `asOf`. Before the very first computation of a database has stored a
 * snapshot there is none to serve: the request is answered UNAVAILABLE, retryable, with a retry hint,
 * rather than made to compute it — at national scale a computation takes longer than the gateway waits
 * for a subgraph, and every replica's requests computing side by side would take the pool from every
 * other request while the worker computes the same thing.
 */
import { IsolationLevel } from '@mikro-orm/core';
import type { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import { config } from '../../runtime/config.js';
import { logger } from '../../runtime/logger.js';
import { UnavailableError } from '../../schema/errors.js';
import { openOrm, SqlStatementCounter } from './orm.js';
import { queryRows, type SqlRunner } from './raw-sql.js';
import { decodeSnapshot, encodeSnapshot } from './snapshot-codec.js';

/** Tables whose writes never change a published count (the access log is written on reads). */
// The snapshots' own table too: storing a snapshot changes no count (and would otherwise start the next computation).
const UNVERSIONED = new Set([
  'mikro_orm_migrations',
  'access_log',
  'access_log_head',
  'command_log',
  'outbox',
  'outbox_applied',
  'aggregate_snapshot',
]);

/** The notice of a committed write (access migration 010). */
export const DATA_CHANGE_CHANNEL = 'ips_data_change';

const quote = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`;

/** After a schema migrates (as the owner): every table of it advances the data version on each write statement. */
export async function attachDataVersionTriggers(client: pg.Client, schema: string): Promise<void> {
  const { rows } = await client.query<{ name: string }>(
    `select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = $1 and c.relkind in ('r', 'p') and pg_has_role(current_user, c.relowner, 'USAGE') order by c.relname`,
    [schema],
  );
  for (const { name } of rows) {
    if (UNVERSIONED.has(name)) continue;
    await client.query(
      `create or replace trigger ips_data_version after insert or update or delete or truncate on ${quote(schema)}.${quote(name)}
       for each statement execute function access.note_data_change()`,
    );
  }
}

/** The data version as a number (0 before the first write): what a stored snapshot records. */
const VERSION_SQL = `select case when is_called then last_value else 0 end::text as version from access.data_version`;

export interface Snapshot<T> {
  value: T;
  /** When the value was computed (its data's moment). */
  asOf: Date;
}

export type SnapshotCompute<T> = (runner: SqlRunner) => Promise<T>;

/**
 * The snapshots the worker keeps, by key: defined once per process (the research subgraph defines
 * its own when its module loads), whatever database they are computed on. A key first met in `get`
 * is defined there and computed by the worker from then on.
 */
const DEFINITIONS = new Map<string, SnapshotCompute<unknown>>();
/** The running workers of this process, woken when a snapshot is defined. */
const WORKERS = new Set<() => void>();

export function defineSnapshot<T>(key: string, compute: SnapshotCompute<T>): void {
  if (DEFINITIONS.has(key)) return;
  DEFINITIONS.set(key, compute);
  for (const wake of WORKERS) wake();
}

/** The keys of the defined snapshots (tests wait for each to be stored). */
export const definedSnapshots = (): string[] => [...DEFINITIONS.keys()];

export interface SnapshotOptions {
  /** `schema.table` the snapshots are kept in. */
  table: string;
  /** A snapshot this young is kept even though the data changed (the publication's cadence). */
  refreshMs: number;
  /** No snapshot is kept older than this, whatever the version. */
  maxAgeMs: number;
  /** A computation's statement timeout (the application role's is 10 s per statement). */
  computeTimeoutMs: number;
  /** How often the worker looks at the version, the day and the lock, besides the notices. */
  pollMs: number;
  /** How long a request told there is no snapshot yet is asked to wait before asking again (seconds). */
  retryAfterS: number;
  /** A burst of writes is computed once: a pass starts when no notice came for this long… */
  settleMs: number;
  /** …or when the first notice of the burst is this old. */
  settleMaxMs: number;
}

/** One reader of stored snapshots per database (per ORM instance: every fork of a subgraph's ORM shares its metadata). */
const SNAPSHOTS = new WeakMap<object, PublishedSnapshots>();

export function publishedSnapshots(runner: SqlRunner, options: () => SnapshotOptions): PublishedSnapshots {
  const owner = runner.em.getMetadata();
  let snapshots = SNAPSHOTS.get(owner);
  if (!snapshots) SNAPSHOTS.set(owner, (snapshots = new PublishedSnapshots(options())));
  return snapshots;
}

/** Reads the stored snapshots for requests; never computes one (the worker does). */
export class PublishedSnapshots {
  /** The last snapshot read of each key, parsed: served again while the stored one is the same. */
  private readonly parsed = new Map<string, Snapshot<unknown>>();

  constructor(private readonly options: SnapshotOptions) {}

  /**
   * The latest stored snapshot of `key`, in one statement (its value is sent only when it is not the
   * one this process already parsed). `compute` defines the snapshot for the worker if it was not yet.
   */
  async get<T>(runner: SqlRunner, key: string, compute: SnapshotCompute<T>): Promise<Snapshot<T>> {
    defineSnapshot(key, compute);
    const known = this.parsed.get(key) as Snapshot<T> | undefined;
    const [row] = await queryRows<{ as_of: Date | string; value: string | null }>(
      runner,
      `select as_of, case when as_of = ?::timestamptz then null else value end as value from ${this.options.table} where key = ?`,
      [known?.asOf.toISOString() ?? null, key],
    );
    // The very first computation of this database has not stored it yet (see the module's comment).
    if (!row) throw new UnavailableError({ id: 'unavailable.snapshot' }, this.options.retryAfterS);
    if (row.value === null && known) return known;
    const snapshot: Snapshot<T> = { value: decodeSnapshot<T>(row.value!), asOf: new Date(row.as_of) };
    this.parsed.set(key, snapshot);
    return snapshot;
  }
}

const snapshotOptions = (): SnapshotOptions => ({
  table: 'research.aggregate_snapshot',
  refreshMs: config().IPS_AGGREGATES_REFRESH_MS,
  maxAgeMs: 15 * 60_000,
  computeTimeoutMs: 300_000,
  pollMs: 1_000,
  retryAfterS: 2,
  settleMs: 300,
  settleMaxMs: 5_000,
});

/** The published aggregates' snapshots, as the worker last stored them (research.aggregate_snapshot). */
export function aggregateSnapshots(runner: SqlRunner): PublishedSnapshots {
  return publishedSnapshots(runner, snapshotOptions);
}

export interface RunningSnapshotWorker {
  /** Whether this instance holds the lock and computes. */
  readonly computing: boolean;
  /** Runs a pass now and resolves when it ends (a pass already running goes round once more). */
  pass(): Promise<void>;
  stop(): Promise<void>;
}

interface StoredState {
  key: string;
  data_version: string;
  day: string;
  as_of: Date;
}

/** The advisory lock (pg_try_advisory_lock) the computing instance holds on its listening session, per table. */
const lockName = (table: string) => `ips-graph-snapshots:${table}`;

/**
 * Computes the defined snapshots in the background and stores them (see the module's comment): at
 * start, on each notice of a committed write, and on every poll when the day changed, the version
 * moved or a snapshot outgrew `maxAgeMs`. One pass at a time per instance, one instance per database
 * (the lock held on the listening session, released when it ends); a pass the cadence holds back is
 * scheduled for when the snapshot is `refreshMs` old.
 */
export async function startSnapshotWorker(
  orm: MikroORM,
  databaseUrl: string,
  overrides: Partial<SnapshotOptions> = {},
): Promise<RunningSnapshotWorker> {
  const options = { ...snapshotOptions(), ...overrides };
  const log = logger().child({ component: 'snapshots', table: options.table });
  // A connection of its own for the computations (raw SQL only): a computation holds its connection for a
  // whole transaction, and never takes one of the requests' pool (kit/orm.ts: 5, 5 s to acquire).
  const computing = await openOrm({
    schema: orm.config.get('schema') as string,
    databaseUrl,
    entities: [],
    migrations: [],
    poolMax: 1,
  });
  let listener: pg.Client | undefined;
  let holder = false;
  /**
   * A notice arrived (or a computation failed) since the last pass began: every snapshot is due. Not at
   * start: what is stored is checked against the version, the day and its age, so a restart with
   * current snapshots computes nothing (and its first requests share the process with no computation).
   */
  let noticed = false;
  /** When the first notice of a burst still settling came (a pass waits for the burst to end). */
  let settlingSince: number | undefined;
  let settle: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;
  let later: NodeJS.Timeout | undefined;
  /** The backend running a computation's transaction, while one runs: cancelled on stop rather than waited for. */
  let computingPid: number | undefined;

  const connect = async (): Promise<pg.Client> => {
    if (listener) return listener;
    const client = new pg.Client({ connectionString: databaseUrl });
    client.on('error', (error) => {
      log.warn({ err: error }, 'snapshot listener connection lost; the next poll connects again');
      if (listener === client) [listener, holder] = [undefined, false];
    });
    client.on('notification', () => {
      noticed = true;
      settlingSince ??= Date.now();
      clearTimeout(settle);
      const settled = () => {
        settlingSince = undefined;
        wake();
      };
      if (Date.now() - settlingSince >= options.settleMaxMs) settled();
      else (settle = setTimeout(settled, options.settleMs)).unref();
    });
    await client.connect();
    await client.query(`listen ${DATA_CHANGE_CHANNEL}`);
    listener = client;
    return client;
  };

  /**
   * Every defined snapshot, computed in ONE read-only REPEATABLE READ transaction (so that the
   * publications agree with each other, as their joint disclosure control assumes: the CONSORT flows
   * with the REFERRALS table, a reader's answers with each other) and stored in one transaction, so
   * that a reader never meets some snapshots of one state of the data and some of another.
   */
  const computeAll = async (client: pg.Client): Promise<void> => {
    const {
      rows: [state],
    } = await client.query<{ version: string; day: string }>(
      `select (${VERSION_SQL}) as version, to_char(now() at time zone 'Europe/Brussels', 'YYYY-MM-DD') as day`,
    );
    const asOf = new Date();
    const computed: { key: string; text: string; ms: number; statements: number }[] = [];
    let failedKey: string | undefined;
    await computing.em
      .fork({ clear: true })
      .transactional(
        async (em) => {
          const setup: SqlRunner = { em, sqlCounter: new SqlStatementCounter(true) };
          computingPid = (await queryRows<{ pid: number }>(setup, `select pg_backend_pid() as pid`, []))[0]!.pid;
          // The tables' disclosure control runs in this process between the transaction's statements: at the
          // pilot's size longer than the role's idle-in-transaction limit (15 s), which would end the snapshot.
          await queryRows(setup, `set local statement_timeout = ${Math.round(options.computeTimeoutMs)}`, []);
          await queryRows(
            setup,
            `set local idle_in_transaction_session_timeout = ${Math.round(options.computeTimeoutMs)}`,
            [],
          );
          for (const [key, compute] of DEFINITIONS) {
            if (stopped) throw new Error('the snapshot worker stopped');
            const started = performance.now();
            const sqlCounter = new SqlStatementCounter(true);
            try {
              const value = await compute({ em, sqlCounter });
              computed.push({
                key,
                text: encodeSnapshot(value),
                ms: Math.round(performance.now() - started),
                statements: sqlCounter.count,
              });
            } catch (error) {
              if (stopped) throw error; // cancelled by stop(): nothing of the pass is stored
              // This one keeps its last stored snapshot; the others of the pass are stored (a later poll tries it again).
              log.error({ key, err: error }, 'snapshot computation failed; its last stored snapshot is served');
              failedKey = key;
            }
          }
        },
        { isolationLevel: IsolationLevel.REPEATABLE_READ, readOnly: true },
      )
      .finally(() => {
        computingPid = undefined;
      });
    await client.query('begin');
    try {
      for (const row of computed) {
        await client.query(
          `insert into ${options.table} (key, data_version, day, as_of, computed_ms, statements, value) values ($1, $2, $3, $4, $5, $6, $7)
           on conflict (key) do update set data_version = excluded.data_version, day = excluded.day, as_of = excluded.as_of,
             computed_ms = excluded.computed_ms, statements = excluded.statements, value = excluded.value`,
          [row.key, state!.version, state!.day, asOf, row.ms, row.statements, row.text],
        );
      }
      await client.query('commit');
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      throw error;
    }
    log.info(
      {
        snapshots: computed.length,
        computedMs: computed.reduce((sum, row) => sum + row.ms, 0),
        dataVersion: state!.version,
      },
      'snapshots stored',
    );
    if (failedKey) throw new Error(`snapshot ${failedKey} could not be computed`);
  };

  /** When the last pass's computation failed: tried again after `retryAfterS`, not on every poll. */
  let failedAt: number | undefined;

  const passOnce = async (): Promise<void> => {
    const client = await connect();
    if (!holder) {
      const {
        rows: [lock],
      } = await client.query<{ held: boolean }>('select pg_try_advisory_lock(hashtext($1)) as held', [
        lockName(options.table),
      ]);
      if (!lock!.held) return; // another instance computes; this one takes over when its session ends
      holder = true; // what the previous holder left is checked against the version, the day and its age
    }
    if (settlingSince !== undefined) return; // a burst of writes is still coming: computed once it ends
    if (failedAt !== undefined && Date.now() - failedAt < options.retryAfterS * 1000) return; // the next poll after the pause
    const wasNoticed = noticed;
    noticed = false;
    const [
      {
        rows: [now],
      },
      { rows: stored },
    ] = await Promise.all([
      client.query<{ version: string; day: string }>(
        `select (${VERSION_SQL}) as version, to_char(now() at time zone 'Europe/Brussels', 'YYYY-MM-DD') as day`,
      ),
      client.query<StoredState>(
        `select key, data_version::text as data_version, to_char(day, 'YYYY-MM-DD') as day, as_of from ${options.table}`,
      ),
    ]);
    const byKey = new Map(stored.map((row) => [row.key, row]));
    const rows = [...DEFINITIONS.keys()].map((key) => byKey.get(key));
    const complete = rows.every((row) => row !== undefined && row.day === now!.day);
    const oldest = Math.min(...rows.map((row) => row?.as_of.getTime() ?? 0));
    const due =
      !complete ||
      Date.now() - oldest >= options.maxAgeMs ||
      wasNoticed ||
      failedAt !== undefined ||
      rows.some((row) => row!.data_version !== now!.version);
    if (!due) return;
    if (complete && Date.now() - oldest < options.refreshMs) {
      // The cadence holds it back: computed when it is refreshMs old, and the notice is kept until then.
      if (wasNoticed) noticed = true;
      clearTimeout(later);
      later = setTimeout(wake, Math.max(0, oldest + options.refreshMs - Date.now()));
      later.unref();
      return;
    }
    try {
      await computeAll(client);
      failedAt = undefined;
    } catch (error) {
      if (stopped) return;
      // Served as they were meanwhile; a poll after the pause tries again.
      log.error({ err: error }, 'snapshot computation failed; the last stored snapshots are served');
      failedAt = Date.now();
    }
  };

  const pass = (): Promise<void> => {
    if (running) {
      again = true; // the running pass goes round once more
      return running;
    }
    running = (async () => {
      do {
        again = false;
        try {
          await passOnce();
        } catch (error) {
          log.warn({ err: error }, 'snapshot pass failed; the next poll tries again');
          break;
        }
      } while (again && !stopped);
    })().finally(() => {
      running = undefined;
    });
    return running;
  };
  function wake(): void {
    if (!stopped) void pass();
  }

  WORKERS.add(wake);
  const timer = setInterval(wake, options.pollMs);
  timer.unref();
  void pass(); // at start, in the background: a subgraph serves its stored snapshots meanwhile
  return {
    get computing() {
      return holder;
    },
    pass,
    async stop() {
      stopped = true;
      WORKERS.delete(wake);
      clearInterval(timer);
      clearTimeout(later);
      clearTimeout(settle);
      // A computation can take minutes at national scale (and wait on a lock): its statement is cancelled,
      // so a stopping process (a deploy, SIGTERM) ends now and another instance takes over at its next poll.
      if (running && computingPid !== undefined && listener)
        await listener.query('select pg_cancel_backend($1)', [computingPid]).catch(() => undefined);
      await running?.catch(() => undefined);
      // Ending the session releases the lock: another instance takes over at its next poll.
      const client = listener;
      listener = undefined;
      // pg's end() of a connection the server already dropped (a restart) may never settle: bounded.
      await Promise.race([
        client?.end().catch(() => undefined),
        new Promise((resolve) => setTimeout(resolve, 1_000).unref()),
      ]);
      await computing.close();
    },
  };
}
