import { Migration } from '@mikro-orm/migrations';

/**
 * R10, R13: the RP1 and RP1IPS as forms with content, each version kept. A version is immutable (a trigger refuses
 * updates and deletes): a correction is a new row, the next version of the same form, naming the one it supersedes
 * (unique: a version is corrected once, so two concurrent corrections of it cannot both win). The physician's copy
 * of a form (physician_message) points to the version it carries; its act (pathway_act) puts it in INAMI's inbox and the timeline.
 */
export class RpForms extends Migration {
  override name = '027-rp-forms';

  override up(): void {
    this.addSql(`create table "pathways"."rp_form" (
      "id" uuid not null, "form_id" uuid not null, "version" int not null, "supersedes_id" uuid null,
      "pathway_id" uuid not null, "participant_id" uuid not null,
      "form" text check ("form" in ('RP1', 'RP1IPS')) not null,
      "request_kind" text check ("request_kind" in ('VOCATIONAL_ORIENTATION', 'IPS_PATHWAY_START', 'IPS_PROGRESS_REPORT', 'IPS_PATHWAY_END')) not null,
      "referent" varchar(200) not null, "referent_role" varchar(20) not null,
      "objectives" varchar(4000) null, "planned_steps" varchar(4000) null,
      "plan_category" text check ("plan_category" in ('identity', 'contact', 'administrative', 'health', 'employment', 'benefits', 'research', 'billing')) not null,
      "period_from" date not null, "period_to" date null, "signed_on" date not null,
      "signed_by" varchar(200) not null, "signer_role" varchar(20) not null, "signer_organisation" varchar(20) not null,
      "sent_to" varchar(100) not null, "copied_to" varchar(200) not null, "act_id" uuid not null, "sent_at" timestamptz not null,
      primary key ("id"),
      constraint "rp_form_version_unique" unique ("form_id", "version"),
      constraint "rp_form_supersedes_id_unique" unique ("supersedes_id"),
      constraint "rp_form_act_id_unique" unique ("act_id"),
      constraint "rp_form_version_check" check ("version" >= 1),
      constraint "rp_form_period_check" check ("period_to" is null or "period_to" >= "period_from"),
      constraint "rp_form_first_version_check" check (("version" = 1) = ("supersedes_id" is null) and ("version" > 1 or "form_id" = "id")),
      -- A plan is free text: only the categories a message may carry (FREE_TEXT_CATEGORIES).
      constraint "rp_form_plan_category_free_text_check" check ("plan_category" in ('administrative', 'health', 'employment', 'benefits'))
    );`);
    this.addSql(`create index "rp_form_pathway_order" on "pathways"."rp_form" ("pathway_id", "sent_at");`);
    this.addSql(`create index "rp_form_participant_id_index" on "pathways"."rp_form" ("participant_id");`);
    this.addSql(
      `alter table "pathways"."rp_form" add constraint "rp_form_pathway_id_foreign" foreign key ("pathway_id") references "pathways"."pathway" ("id");`,
    );
    this.addSql(
      `alter table "pathways"."rp_form" add constraint "rp_form_act_id_foreign" foreign key ("act_id") references "pathways"."pathway_act" ("id");`,
    );
    this.addSql(
      `alter table "pathways"."rp_form" add constraint "rp_form_supersedes_id_foreign" foreign key ("supersedes_id") references "pathways"."rp_form" ("id") on delete set null;`,
    );
    this.addSql(
      `create function "pathways"."rp_form_immutable"() returns trigger language plpgsql as $$ begin raise exception 'an RP form version is never changed: send a correction'; end $$;`,
    );
    this.addSql(
      `create trigger "rp_form_immutable" before update or delete on "pathways"."rp_form" for each row execute function "pathways"."rp_form_immutable"();`,
    );
    this.addSql(`alter table "pathways"."physician_message" add column "rp_form_id" uuid null;`);
    this.addSql(
      `alter table "pathways"."physician_message" add constraint "physician_message_rp_form_id_foreign" foreign key ("rp_form_id") references "pathways"."rp_form" ("id") on delete set null;`,
    );
  }
}
