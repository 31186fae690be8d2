import { Migration } from '@mikro-orm/migrations';

/**
 * The health insurers' monthly files of benefits paid (POST /uploads/benefit-statements, kit/upload.ts):
 * - the batch log: one row per batch key and uploader, with the file's SHA-256, its counts and the
 *   rejected rows' report, claimed first in the upload's transaction (a second upload of the key replays it);
 * - each statement stored from a file names its batch and line (a statement recorded one at a time names none);
 * - the NISS of a file's rows mapped to people with the owner's rights, and only among the members of
 *   the health insurer named: the billing role never reads a NISS, and learns nothing of a NISS outside
 *   that insurer's members (the function answers for it exactly as for a number no one has).
 */
export class BenefitStatementUploads extends Migration {
  override name = '005-benefit-statement-uploads';

  override up(): void {
    this.addSql(
      `create table "billing"."upload_batch" ("id" uuid not null, "kind" varchar(40) not null, "idempotency_key" varchar(100) not null, "uploaded_by" varchar(400) not null, "organisation" varchar(100) not null, "fingerprint" varchar(64) not null, "bytes" int not null, "row_count" int not null, "applied_count" int not null, "rejected_count" int not null, "rejections" jsonb not null, "received_at" timestamptz not null, "completed_at" timestamptz null, primary key ("id"));`,
    );
    this.addSql(
      `alter table "billing"."upload_batch" add constraint "upload_batch_uploaded_by_idempotency_key_unique" unique ("uploaded_by", "idempotency_key");`,
    );
    this.addSql(
      `alter table "billing"."benefit_statement" add column "batch_id" uuid null, add column "batch_line" int null;`,
    );
    this.addSql(`create index "benefit_statement_batch_id_index" on "billing"."benefit_statement" ("batch_id");`);
    this
      .addSql(`create function "billing"."outcome_subjects"(p_niss text[], p_health_insurer text) returns table (niss text, participant_id uuid)
      language sql stable security definer set search_path = pg_catalog as $$
        select l.self_subject::text, l.participant_id
        from unnest(p_niss) as n(niss) join access.ledger l on l.self_subject = n.niss
        where l.health_insurer = p_health_insurer
      $$;`);
    this.addSql(`revoke all on function "billing"."outcome_subjects"(text[], text) from public;`);
  }
}
