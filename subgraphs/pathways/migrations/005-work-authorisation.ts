import { Migration } from '@mikro-orm/migrations';

/** R15: employment contracts and the physician's work authorisations. */
export class WorkAuthorisation extends Migration {
  override name = '005-work-authorisation';

  override up(): void {
    this.addSql(
      `create table "pathways"."employment_contract" ("id" uuid not null, "pathway_id" uuid not null, "participant_id" uuid not null, "employer" varchar(200) not null, "employer_number" varchar(10) not null, "job_function" varchar(200) not null, "starts_on" date not null, "ends_on" date null, "weekly_hours" double precision not null, "contract_type" text not null, "recorded_at" timestamptz not null, "recorded_by" varchar(200) not null, primary key ("id"));`,
    );
    this.addSql(
      `create index "employment_contract_pathway_id_index" on "pathways"."employment_contract" ("pathway_id");`,
    );
    this.addSql(
      `create index "employment_contract_participant_id_index" on "pathways"."employment_contract" ("participant_id");`,
    );
    this.addSql(
      `alter table "pathways"."employment_contract" add constraint "employment_contract_contract_type_check" check ("contract_type" in ('OPEN_ENDED', 'FIXED_TERM', 'CLEARLY_DEFINED_WORK', 'REPLACEMENT', 'IN_COMPANY_TRAINING'));`,
    );
    this.addSql(
      `create table "pathways"."work_authorisation" ("id" uuid not null, "contract_id" uuid not null, "pathway_id" uuid not null, "participant_id" uuid not null, "reason" text not null, "physician_subject" varchar(200) not null, "requested_at" timestamptz not null, "decision" text not null default 'PENDING', "decided_at" timestamptz null, "decided_by" varchar(200) null, primary key ("id"));`,
    );
    this.addSql(
      `alter table "pathways"."work_authorisation" add constraint "work_authorisation_contract_id_unique" unique ("contract_id");`,
    );
    this.addSql(
      `create index "work_authorisation_pathway_id_index" on "pathways"."work_authorisation" ("pathway_id");`,
    );
    this.addSql(
      `create index "work_authorisation_participant_id_index" on "pathways"."work_authorisation" ("participant_id");`,
    );
    this.addSql(
      `alter table "pathways"."work_authorisation" add constraint "work_authorisation_reason_check" check ("reason" in ('FIRST_CONTRACT', 'NEW_FUNCTION', 'NEW_EMPLOYER'));`,
    );
    this.addSql(
      `alter table "pathways"."work_authorisation" add constraint "work_authorisation_decision_check" check ("decision" in ('PENDING', 'GRANTED', 'REFUSED'));`,
    );
    this.addSql(`alter table "pathways"."physician_message" drop constraint "physician_message_kind_check";`);
    this.addSql(
      `alter table "pathways"."physician_message" add constraint "physician_message_kind_check" check ("kind" in ('PATHWAY_ENDED', 'WORK_AUTHORISATION_REQUEST'));`,
    );
  }
}
