import { Migration } from '@mikro-orm/migrations';

/**
 * The command log: one row per idempotency key and caller, claimed first in every write's
 * transaction (a concurrent retry waits on the row, then replays the answer it names).
 */
export class CreateCommandLog extends Migration {
  override name = '003-create-command-log';

  override up(): void {
    this.addSql(`create table "access"."command_log" (
      "requested_by" varchar(400) not null,
      "idempotency_key" varchar(100) not null,
      "action" varchar(100) not null,
      "fingerprint" char(64) not null,
      "result_id" text null,
      "at" timestamptz not null default now(),
      primary key ("requested_by", "idempotency_key")
    );`);
  }
}
