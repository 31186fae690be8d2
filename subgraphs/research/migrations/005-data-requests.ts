import { Migration } from '@mikro-orm/migrations';

/**
 * R19: researchers' data requests (project, purpose, variables of the codebook), INAMI's decision,
 * and the log of every download of an approved request's extract (who, format, rows, bytes and the
 * SHA-256 of the bytes sent), which INAMI reads. No participant in either table.
 */
export class DataRequests extends Migration {
  override name = '005-data-requests';

  override up(): void {
    this.addSql(`create table "research"."data_request" (
      "id" uuid primary key,
      "project" varchar(40) not null,
      "purpose" text not null,
      "purpose_category" varchar(20) not null,
      "variables" text[] not null,
      "status" text not null,
      "requester_organisation" varchar(100) not null,
      "requester_subject" varchar(200) not null,
      "filed_at" timestamptz not null,
      "decided_by" varchar(200) null,
      "decided_at" timestamptz null,
      "decision_reason" text null,
      "idempotency_key" varchar(100) not null,
      "requested_by" varchar(200) not null,
      "request_fingerprint" varchar(64) not null,
      constraint "data_request_status_check" check ("status" in ('PENDING', 'APPROVED', 'REFUSED')),
      constraint "data_request_requested_by_idempotency_key_unique" unique ("requested_by", "idempotency_key")
    );`);
    this.addSql(
      `create index "data_request_requester_index" on "research"."data_request" ("requester_organisation", "requester_subject");`,
    );
    this.addSql(
      `comment on table "research"."data_request" is 'R19: a researcher''s request for a pseudonymised extract, and INAMI''s decision.';`,
    );
    this.addSql(`create table "research"."dataset_download" (
      "id" uuid primary key,
      "request_id" uuid not null,
      "downloaded_by" varchar(300) not null,
      "format" text not null,
      "rows" bigint not null,
      "bytes" bigint not null,
      "sha256" varchar(64) not null,
      "complete" boolean not null,
      "started_at" timestamptz not null,
      "finished_at" timestamptz not null,
      constraint "dataset_download_format_check" check ("format" in ('CSV', 'PARQUET', 'CODEBOOK'))
    );`);
    this.addSql(`create index "dataset_download_request_id_index" on "research"."dataset_download" ("request_id");`);
    this.addSql(
      `comment on table "research"."dataset_download" is 'R19: every download of an extract: who, which request, format, rows, and the SHA-256 of the bytes sent.';`,
    );
  }
}
