import { Migration } from '@mikro-orm/migrations';

/**
 * The published aggregates' snapshots (kit/data-version.ts), kept in the database so that they
 * survive a restart and every replica serves the same one: one row per snapshot key, with the data
 * version and the Brussels day it was computed at, when (`as_of`), how long it took and in how many SQL statements, and its value
 * (kit/snapshot-codec.ts). Written only by the background computation, read by every request.
 *
 * A suppressed table's value holds its true counts beside the published cells (to suppress the
 * CONSORT flow together with the REFERRALS table): they are counts the research role computes from
 * rows it already reads, so keeping them here discloses nothing it could not compute; they never
 * leave the subgraph (the GraphQL types publish only the cells).
 */
export class AggregateSnapshots extends Migration {
  override name = '010-aggregate-snapshots';

  override up(): void {
    this.addSql(`create table "research"."aggregate_snapshot" (
      "key" text primary key,
      "data_version" bigint not null,
      "day" date not null,
      "as_of" timestamptz not null,
      "computed_ms" integer not null check ("computed_ms" >= 0),
      "statements" integer not null check ("statements" >= 0),
      "value" text not null
    );`);
  }
}
