import { Migration } from '@mikro-orm/migrations';

/**
 * The anonymous screening log (CONSORT 2010 enrolment): each person an advising physician assessed
 * for the pilot and did not refer, with no identity at all — the month, the region, the physician's
 * health insurer, and why: the person declined, or one R1 condition (R1a–R1f) was not met. The
 * outcome's values hold no R2 ground (zero exclusion: no refusal on a disorder, behaviour,
 * appearance or past can be recorded), in the database as in the graph.
 */
export class ScreeningLog extends Migration {
  override name = '010-screening-log';

  override up(): void {
    this.addSql(`create table "participants"."screening_entry" (
      "id" uuid not null primary key,
      "screened_in" date not null,
      "region" text not null,
      "health_insurer" varchar(40) not null,
      "physician_subject" varchar(200) not null,
      "outcome" text not null,
      "unmet_condition" text null,
      "recorded_at" timestamptz not null default now(),
      "idempotency_key" varchar(100) not null,
      "requested_by" varchar(200) not null,
      "request_fingerprint" varchar(64) not null,
      constraint "screening_entry_month_check" check (extract(day from "screened_in") = 1),
      constraint "screening_entry_region_check" check ("region" in ('FLANDERS', 'WALLONIA', 'BRUSSELS')),
      constraint "screening_entry_outcome_check" check ("outcome" in ('DECLINED', 'R1_NOT_MET')),
      constraint "screening_entry_condition_check" check ("unmet_condition" in ('R1A', 'R1B', 'R1C', 'R1D', 'R1E', 'R1F')),
      constraint "screening_entry_condition_when_not_met" check (("outcome" = 'R1_NOT_MET') = ("unmet_condition" is not null)),
      constraint "screening_entry_requested_by_idempotency_key_unique" unique ("requested_by", "idempotency_key")
    );`);
    this.addSql(
      `create index "screening_entry_physician_index" on "participants"."screening_entry" ("health_insurer", "physician_subject");`,
    );
    this.addSql(
      `comment on table "participants"."screening_entry" is 'CONSORT enrolment: a person assessed by an advising physician and not referred (declined, or an R1 condition not met), with no identity; never an R2 ground.';`,
    );
    // Published view: what the research subgraph counts for the CONSORT flow. Not the physician: counts by month, region and reason only.
    this.addSql(`create view "participants"."published_screening_entry" as
      select "screened_in", "region", "health_insurer", "outcome", "unmet_condition" from "participants"."screening_entry";`);
    this.addSql(
      `comment on view "participants"."published_screening_entry" is 'Published contract of the participants subgraph: the anonymous screening log (CONSORT enrolment), without the physician.';`,
    );
  }
}
