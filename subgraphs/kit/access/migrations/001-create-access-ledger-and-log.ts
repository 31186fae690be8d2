import { Migration } from '@mikro-orm/migrations';

/** The shared `access` schema: the access ledger and the append-only access log. */
export class CreateAccessLedgerAndLog extends Migration {
  override name = '001-create-access-ledger-and-log';

  override up(): void {
    // One row per participant: the facts every access decision needs (schema/policy.ts LEDGER_FACTS).
    this.addSql(`create table "access"."ledger" (
      "participant_id" uuid primary key,
      "self_subject" varchar(200) null,
      "region" text null,
      "employment_service" varchar(20) null,
      "health_insurer" varchar(20) null,
      "physician_subject" varchar(200) null,
      "consent_grants" text[] not null default '{}',
      "research_consent" boolean not null default false,
      "trial_arm" text null,
      "ips_partner" varchar(40) null,
      "job_coach_subject" varchar(200) null,
      "updated_at" timestamptz not null default now()
    );`);
    this.addSql(`create index "ledger_self_subject_index" on "access"."ledger" ("self_subject");`);

    // Every read of a person's data by a person. Append-only: the database refuses any change.
    this.addSql(`create table "access"."access_log" (
      "id" bigint generated always as identity primary key,
      "at" timestamptz not null default now(),
      "subject" varchar(200) not null,
      "role" text not null,
      "organisation" varchar(100) not null,
      "participant_id" uuid not null,
      "categories" text[] not null,
      "operation" varchar(200) not null,
      "subgraph" varchar(40) not null
    );`);
    this.addSql(
      `create index "access_log_participant_at_index" on "access"."access_log" ("participant_id", "at" desc);`,
    );
    this.addSql(`create function "access"."refuse_change_to_access_log"() returns trigger language plpgsql as $$
      begin
        raise exception 'the access log is append-only' using errcode = 'insufficient_privilege';
      end $$;`);
    this.addSql(`create trigger "access_log_is_append_only" before update or delete on "access"."access_log"
      for each row execute function "access"."refuse_change_to_access_log"();`);
    this.addSql(`create trigger "access_log_is_never_truncated" before truncate on "access"."access_log"
      for each statement execute function "access"."refuse_change_to_access_log"();`);
    this.addSql(`revoke update, delete, truncate on "access"."access_log" from public;`);
  }
}
