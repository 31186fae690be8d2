/**
 * Published aggregates computed once per state of the data (issue 13: aggregates on 200 000 people
 * as fast as on the demo). Every write statement on a subgraph's tables advances one sequence,
 * `access.data_version` (a statement-level trigger attached here to each table after its schema
 * migrates); an aggregate is recomputed from the source tables when the version has moved — never
 * read from a copy kept apart — and otherwise served from this process's snapshot, with the moment
 * it was computed (`asOf`).
 *
 * Under a steady stream of writes the version moves all the time: a snapshot younger than
 * `refreshMs` is then still served (the publication's cadence; 0 in tests), and one computation
 * at a time runs per aggregate, whoever asks. A snapshot also ends with the Brussels day (measures
 * that depend on today: quarters, due waves) and after `maxAgeMs` whatever the version (a write
 * whose statement advanced the version before a computation began, and committed after it read
 * its rows, would otherwise wait for the next write).
 */
import type pg from 'pg';
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

  constructor(private readonly options: SnapshotOptions) {}

  async get<T>(runner: SqlRunner, key: string, compute: () => Promise<T>): Promise<Snapshot<T>> {
    const version = await readDataVersion(runner);
    const now = Date.now();
    const day = brusselsDay(new Date(now));
    const entry = this.entries.get(key) as Entry<T> | undefined;
    if (entry && entry.day === day && now - entry.computedAt < this.options.maxAgeMs && (entry.version === version || now - entry.computedAt < this.options.refreshMs)) {
      return entry.snapshot;
    }
    const snapshot = compute().then((value) => ({ value, asOf: new Date(now) }));
    const fresh: Entry<T> = { version, day, snapshot, computedAt: now };
    this.entries.set(key, fresh as Entry<unknown>);
    // A failed computation is not kept: the next request tries again.
    snapshot.catch(() => {
      if (this.entries.get(key) === (fresh as Entry<unknown>)) this.entries.delete(key);
    });
    return snapshot;
  }
}
