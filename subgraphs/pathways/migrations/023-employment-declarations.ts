import { Migration } from '@mikro-orm/migrations';

/**
 * Employment declared to social security, from INAMI's monthly files (POST /uploads/employment-declarations,
 * kit/upload.ts): the declared months, the batch log, the NISS → person mapping (with the owner's rights:
 * the pathways role never reads a NISS; INAMI's registry holds every referred person, so it maps any NISS
 * of the ledger and no other), and the published episodes, which now also hold each declared month as an
 * episode spanning the month — the view's columns unchanged, so every outcome measure that reads it
 * counts declared employment as it counts a recorded contract:
 * - `pathway_id` null (a declaration belongs to the person, not to a pathway: intention to treat);
 * - `contract_type` `DECLARED` (a job declared to social security is a contract, never an in-company training);
 * - `weekly_hours` from the hours worked (hours ÷ days of the month × 7), null when declared in days only;
 * - `competitive` as declared.
 * The view is extended from its definition in force (pg_get_viewdef), whatever an earlier migration made of it.
 */
export class EmploymentDeclarations extends Migration {
  override name = '023-employment-declarations';

  override up(): void {
    this.addSql(
      `create table "pathways"."upload_batch" ("id" uuid not null, "kind" varchar(40) not null, "idempotency_key" varchar(100) not null, "uploaded_by" varchar(400) not null, "organisation" varchar(100) not null, "fingerprint" varchar(64) not null, "bytes" int not null, "row_count" int not null, "applied_count" int not null, "rejected_count" int not null, "rejections" jsonb not null, "received_at" timestamptz not null, "completed_at" timestamptz null, primary key ("id"));`,
    );
    this.addSql(
      `alter table "pathways"."upload_batch" add constraint "upload_batch_uploaded_by_idempotency_key_unique" unique ("uploaded_by", "idempotency_key");`,
    );
    this.addSql(
      `create table "pathways"."employment_declaration" ("id" uuid not null, "participant_id" uuid not null, "month" date not null, "employer_number" varchar(10) not null, "days" int null, "hours" double precision null, "wage_band" text not null, "competitive" boolean not null, "batch_id" uuid not null, "batch_line" int not null, "recorded_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `create index "employment_declaration_participant_id_index" on "pathways"."employment_declaration" ("participant_id");`,
    );
    this.addSql(
      `create index "employment_declaration_batch_id_index" on "pathways"."employment_declaration" ("batch_id");`,
    );
    this.addSql(
      `alter table "pathways"."employment_declaration" add constraint "employment_declaration_participant_id_month_emplo_e328e_unique" unique ("participant_id", "month", "employer_number");`,
    );
    this.addSql(
      `alter table "pathways"."employment_declaration" add constraint "employment_declaration_wage_band_check" check ("wage_band" in ('BELOW_MINIMUM', 'MINIMUM_TO_MEDIAN', 'ABOVE_MEDIAN'));`,
    );
    this
      .addSql(`create function "pathways"."outcome_subjects"(p_niss text[]) returns table (niss text, participant_id uuid)
      language sql stable security definer set search_path = pg_catalog as $$
        select l.self_subject::text, l.participant_id
        from unnest(p_niss) as n(niss) join access.ledger l on l.self_subject = n.niss
      $$;`);
    this.addSql(`revoke all on function "pathways"."outcome_subjects"(text[]) from public;`);
    this.addSql(`do $$
      declare
        base text := rtrim(pg_get_viewdef('pathways.published_employment_episode'::regclass, true), E'; \\n');
      begin
        execute 'create or replace view pathways.published_employment_episode as select * from (' || base || ') as recorded
          union all
          select d.id, null::uuid, d.participant_id, d.month, (d.month + interval ''1 month'' - interval ''1 day'')::date,
            (d.hours * 7 / extract(day from d.month + interval ''1 month'' - interval ''1 day''))::double precision,
            ''DECLARED''::text, d.competitive
          from pathways.employment_declaration d';
      end $$;`);
    this.addSql(
      `comment on view "pathways"."published_employment_episode" is 'Published contract of the pathways subgraph: employment episodes (start, actual or contractual end, hours, competitive or not; null when unknown) for the outcome measures — each contract recorded by a referent, and each month of employment declared to social security (contract type DECLARED, spanning the month).';`,
    );
  }
}
