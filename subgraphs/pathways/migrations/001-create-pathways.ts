import { Migration } from '@mikro-orm/migrations';

export class CreatePathways extends Migration {
  override name = '001-create-pathways';

  override up(): void {
    this.addSql(
      `create table "pathways"."pathway" ("id" uuid not null, "registry_number" varchar(20) not null, "referral_id" uuid not null, "participant_id" uuid not null, "convention_id" uuid not null, "status" text not null default 'OPEN', "registered_at" timestamptz not null, "idempotency_key" varchar(100) not null, "requested_by" varchar(200) not null, "request_fingerprint" varchar(64) not null, primary key ("id"));`,
    );
    this.addSql(
      `alter table "pathways"."pathway" add constraint "pathway_registry_number_unique" unique ("registry_number");`,
    );
    this.addSql(`alter table "pathways"."pathway" add constraint "pathway_referral_id_unique" unique ("referral_id");`);
    this.addSql(`create index "pathway_participant_id_index" on "pathways"."pathway" ("participant_id");`);
    this.addSql(
      `alter table "pathways"."pathway" add constraint "pathway_requested_by_idempotency_key_unique" unique ("requested_by", "idempotency_key");`,
    );
    this.addSql(
      `alter table "pathways"."pathway" add constraint "pathway_status_check" check ("status" in ('OPEN', 'ENDED'));`,
    );
    // INAMI's registry numbers: never reused, even when a registration rolls back.
    this.addSql(`create sequence "pathways"."registry_number_seq" start 1;`);
  }
}
