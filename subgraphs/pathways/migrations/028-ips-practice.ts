import { Migration } from '@mikro-orm/migrations';

/**
 * The IPS principles as recorded practice (DOMAIN.md "The eight IPS principles"): employer contacts (job development,
 * principle 8, and the first contact after the first meeting, principle 5), benefits counselling sessions (principle 7)
 * and follow-along support after a job starts (principle 6, time-unlimited: after the pathway's end too). Each row is
 * a fact of the work once recorded: the subgraph's role inserts and reads them, never changes them (kit/privileges.ts).
 */
export class IpsPractice extends Migration {
  override name = '028-ips-practice';

  override up(): void {
    this.addSql(
      `create table "pathways"."employer_contact" ("id" uuid not null, "ips_partner" varchar(40) not null, "pathway_id" uuid null, "participant_id" uuid null, "contacted_on" date not null, "employer" varchar(200) not null, "kind" text check ("kind" in ('FIRST_CONTACT', 'FOLLOW_UP', 'JOB_DEVELOPMENT_VISIT', 'PLACEMENT')) not null, "job_coach" varchar(200) not null, "recorded_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(`create index "employer_contact_pathway_id_index" on "pathways"."employer_contact" ("pathway_id");`);
    this.addSql(
      `create index "employer_contact_participant_id_index" on "pathways"."employer_contact" ("participant_id");`,
    );
    this.addSql(
      `create index "employer_contact_team_day" on "pathways"."employer_contact" ("ips_partner", "contacted_on");`,
    );
    this.addSql(
      `alter table "pathways"."employer_contact" add constraint "employer_contact_pathway_id_foreign" foreign key ("pathway_id") references "pathways"."pathway" ("id") on delete set null;`,
    );
    this.addSql(
      `create table "pathways"."benefits_counselling" ("id" uuid not null, "pathway_id" uuid not null, "participant_id" uuid not null, "held_on" date not null, "topic" text check ("topic" in ('WORK_INCENTIVES_PLAN', 'PARTIAL_WORK_AUTHORISATION', 'EARNINGS_AND_BENEFIT', 'BENEFIT_AFTER_JOB_ENDS')) not null, "counsellor" varchar(200) not null, "recorded_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `create index "benefits_counselling_pathway_id_index" on "pathways"."benefits_counselling" ("pathway_id");`,
    );
    this.addSql(
      `create index "benefits_counselling_participant_id_index" on "pathways"."benefits_counselling" ("participant_id");`,
    );
    this.addSql(
      `alter table "pathways"."benefits_counselling" add constraint "benefits_counselling_pathway_id_foreign" foreign key ("pathway_id") references "pathways"."pathway" ("id");`,
    );
    this.addSql(
      `create table "pathways"."follow_along_support" ("id" uuid not null, "pathway_id" uuid not null, "participant_id" uuid not null, "supported_on" date not null, "kind" text check ("kind" in ('CONTACT_WITH_PERSON', 'CONTACT_WITH_EMPLOYER', 'WORKPLACE_VISIT', 'CAREER_DEVELOPMENT')) not null, "after_pathway_end" boolean not null default false, "job_coach" varchar(200) not null, "recorded_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `create index "follow_along_support_pathway_id_index" on "pathways"."follow_along_support" ("pathway_id");`,
    );
    this.addSql(
      `create index "follow_along_support_participant_id_index" on "pathways"."follow_along_support" ("participant_id");`,
    );
    this.addSql(
      `alter table "pathways"."follow_along_support" add constraint "follow_along_support_pathway_id_foreign" foreign key ("pathway_id") references "pathways"."pathway" ("id");`,
    );
  }
}
