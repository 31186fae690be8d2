/**
 * Published aggregates computed once per state of the data (issue 13: aggregates on 200 000 people
 * as fast as on the demo). Every write statement on a subgraph's tables advances one sequence,
 * `access.data_version` (a statement-level trigger attached here to each table after its schema
 * migrates); an aggregate is recomputed from the source tables when the version has moved — never
 * read from a copy kept apart — and otherwise served from this process's snapshot, with the moment
 * it was computed (`asOf`).
 *
 * Under a steady stream of writes the version moves all the time: a snapshot younger than
 * `refreshMs` is then still served (the publication's cadence; 0 in tests), one computation at a
 * time runs per aggregate, whoever asks, and an outdated snapshot is served while it runs. A snapshot also ends with the Brussels day (measures
 * that depend on today: quarters, due waves) and after `maxAgeMs` whatever the version (a write
 * whose statement advanced the version before a computation began, and committed after it read
 * its rows, would otherwise wait for the next write).
 */
import { IsolationLevel } from '@mikro-orm/core';
import type pg from 'pg';
import { config } from '../../runtime/config.js';
import { queryRows, type SqlRunner } from './raw-sql.js';

/** Tables whose writes never change a published count (the access log is written on reads). */
const UNVERSIONED = new Set(['mikro_orm_migrations', 'access_log', 'access_log_head', 'command_log', 'outbox', 'outbox_applied']);

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

export async function readDataVersion(runner: SqlRunner): Promise<string> {
  const [row] = await queryRows<{ version: string }>(runner, `select last_value::text || ':' || is_called::text as version from access.data_version`, []);
  return row!.version;
}

/** Today in Brussels, YYYY-MM-DD. */
const brusselsDay = (at: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Brussels' }).format(at);

export interface Snapshot<T> {
  value: T;
  /** When the value was computed (its data's moment). */
  asOf: Date;
}

interface Entry<T> {
  version: string;
  day: string;
  snapshot: Promise<Snapshot<T>>;
  computedAt: number;
}

export interface SnapshotOptions {
  /** A snapshot this young is served even though the data version moved (the publication's cadence). */
  refreshMs: number;
  /** No snapshot is served older than this, whatever the version. */
  maxAgeMs: number;
  /** A computation's statement timeout (the application role's is 10 s per statement). */
  computeTimeoutMs: number;
}

/** One set of snapshots per database (per ORM instance: every fork of a subgraph's ORM shares its metadata). */
const SNAPSHOTS = new WeakMap<object, PublishedSnapshots>();

export function publishedSnapshots(runner: SqlRunner, options: () => SnapshotOptions): PublishedSnapshots {
  const owner = runner.em.getMetadata();
  let snapshots = SNAPSHOTS.get(owner);
  if (!snapshots) SNAPSHOTS.set(owner, (snapshots = new PublishedSnapshots(options())));
  return snapshots;
}

export class PublishedSnapshots {
  private readonly entries = new Map<string, Entry<unknown>>();
  private readonly pending = new Map<string, Promise<Snapshot<unknown>>>();
  /** The computations, one after the other. */
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly options: SnapshotOptions) {}

  /**
   * The snapshot of `key`. A current one is served as it is; an outdated one (the data moved) is
   * still served while its successor is computed, once, in the background, as long as it is from
   * today and younger than maxAgeMs and refreshMs is not 0; otherwise the caller waits for the
   * computation. `compute` runs
   * in one read-only REPEATABLE READ transaction (every statement sees the same data, so a table's
   * parts agree) with a statement timeout of its own: at national scale a measure may take longer
   * than a request's statement may (10 s).
   */
  async get<T>(runner: SqlRunner, key: string, compute: (runner: SqlRunner) => Promise<T>): Promise<Snapshot<T>> {
    const version = await readDataVersion(runner);
    const now = Date.now();
    const day = brusselsDay(new Date(now));
    const entry = this.entries.get(key) as Entry<T> | undefined;
    const usable = entry !== undefined && entry.day === day && now - entry.computedAt < this.options.maxAgeMs;
    if (usable && (entry.version === version || now - entry.computedAt < this.options.refreshMs)) return entry.snapshot;
    const pending = this.pending.get(key) as Promise<Snapshot<T>> | undefined;
    const next = pending ?? this.compute(runner, key, version, day, now, compute);
    // Stale while revalidating, unless always current is asked for (refreshMs 0: tests).
    if (usable && this.options.refreshMs > 0) {
      next.catch(() => {}); // served stale meanwhile; a failure is logged by the computation and retried by the next request
      return entry.snapshot;
    }
    return next;
  }

  private compute<T>(runner: SqlRunner, key: string, version: string, day: string, now: number, compute: (runner: SqlRunner) => Promise<T>): Promise<Snapshot<T>> {
    // One computation at a time per database, each on a fork of its own: a computation holds a pooled
    // connection for its transaction, and several side by side (a dashboard asks for six) would take
    // the pool from every other request (pool of 5, 5 s to acquire: kit/orm.ts).
    const run = () =>
      runner.em.fork().transactional(
        async (em) => {
          const tx: SqlRunner = { em, sqlCounter: runner.sqlCounter };
          // The table's disclosure control runs in this process between the transaction's statements: at the
          // pilot's size longer than the role's idle-in-transaction limit (15 s), which would end the snapshot.
          await queryRows(tx, `set local statement_timeout = ${Math.round(this.options.computeTimeoutMs)}`, []);
          await queryRows(tx, `set local idle_in_transaction_session_timeout = ${Math.round(this.options.computeTimeoutMs)}`, []);
          return compute(tx);
        },
        { isolationLevel: IsolationLevel.REPEATABLE_READ, readOnly: true },
      );
    const snapshot = this.queue
      .then(run)
      .then((value) => ({ value, asOf: new Date(now) }));
    this.queue = snapshot.then(
      () => undefined,
      () => undefined,
    );
    this.pending.set(key, snapshot as Promise<Snapshot<unknown>>);
    snapshot.then(
      () => {
        this.entries.set(key, { version, day, snapshot, computedAt: now } as Entry<unknown>);
        this.pending.delete(key);
      },
      () => this.pending.delete(key), // not kept: the next request tries again
    );
    return snapshot;
  }
}

/** The published aggregates' snapshots: recomputed when the data changed, at most every IPS_AGGREGATES_REFRESH_MS under a stream of writes. */
export function aggregateSnapshots(runner: SqlRunner): PublishedSnapshots {
  return publishedSnapshots(runner, () => ({ refreshMs: config().IPS_AGGREGATES_REFRESH_MS, maxAgeMs: 15 * 60_000, computeTimeoutMs: 300_000 }));
}
