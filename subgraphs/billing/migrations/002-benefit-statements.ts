import { Migration } from '@mikro-orm/migrations';

/** The health insurers' monthly benefit statements (outcome measures of the trial), and their published view for research. */
export class BenefitStatements extends Migration {
  override name = '002-benefit-statements';

  override up(): void {
    this.addSql(
      `create table "billing"."benefit_statement" ("id" uuid not null, "participant_id" uuid not null, "health_insurer" varchar(20) not null, "month" date not null, "benefit_type" text not null, "amount_cents" int not null, "days" int not null, "partial_work_authorised" boolean not null, "recorded_at" timestamptz not null, "recorded_by" varchar(200) not null, primary key ("id"));`,
    );
    this.addSql(
      `create index "benefit_statement_participant_id_index" on "billing"."benefit_statement" ("participant_id");`,
    );
    this.addSql(
      `alter table "billing"."benefit_statement" add constraint "benefit_statement_participant_id_month_unique" unique ("participant_id", "month");`,
    );
    this.addSql(
      `alter table "billing"."benefit_statement" add constraint "benefit_statement_benefit_type_check" check ("benefit_type" in ('PRIMARY_INCAPACITY', 'INVALIDITY'));`,
    );
    // Published view: what the research subgraph aggregates (no health insurer, no recorder).
    this.addSql(`create view "billing"."published_benefit_statement" as
      select "participant_id", "month", "benefit_type", "amount_cents", "days", "partial_work_authorised" from "billing"."benefit_statement";`);
    this.addSql(
      `comment on view "billing"."published_benefit_statement" is 'Published contract of the billing subgraph: the monthly incapacity benefit statements, for the outcome measures.';`,
    );
  }
}
