import { Migration } from '@mikro-orm/migrations';

/**
 * The transactional outbox (schema/policy.ts ON_CONSENT_WITHDRAWN): an event is written by the
 * subgraph that owns the change, in the change's own transaction, so it exists exactly when the
 * change committed; each consuming subgraph marks it applied in the transaction that applies it,
 * so it is applied once, whatever the retries, restarts or concurrent instances. Neither table
 * is ever updated or emptied: the history of consequences stays.
 */
export class Outbox extends Migration {
  override name = '005-outbox';

  override up(): void {
    this.addSql(`create table "access"."outbox" (
      "seq" bigint generated always as identity primary key,
      "id" uuid not null unique,
      "topic" varchar(100) not null,
      "producer" varchar(40) not null,
      "participant_id" uuid null,
      "payload" jsonb not null,
      "recorded_at" timestamptz not null default now()
    );`);
    this.addSql(`create index "outbox_topic_seq_index" on "access"."outbox" ("topic", "seq");`);
    this.addSql(`create table "access"."outbox_applied" (
      "consumer" varchar(40) not null,
      "event_id" uuid not null references "access"."outbox" ("id"),
      "applied_at" timestamptz not null default now(),
      primary key ("consumer", "event_id")
    );`);
  }
}
