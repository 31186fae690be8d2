import { Migration } from '@mikro-orm/migrations';

/**
 * Conventions as versioned agreements (R17): each convention's period, its staffing in FTE hundredths,
 * its funding lines in integer euro cents, and the history of its amendments — who proposed it, who
 * approved it, when, why, and each term's old and new value.
 *
 * The texts (seeds/002, "La facturation") say only that a convention between INAMI and each partner covers
 * the pathways' costs, with the staffing per partner; they give no amount and no formula. The amounts
 * below are illustrative (`illustrative` = true): a real convention replaces them by an amendment.
 */
export class ConventionTerms extends Migration {
  override name = '006-convention-terms';

  override up(): void {
    this.addSql(`alter table "billing"."convention"
      add column "version" int not null default 1,
      add column "valid_from" date not null default '2019-04-01',
      add column "valid_to" date null,
      add column "coach_fte_hundredths" int null,
      add column "supervisor_fte_hundredths" int null,
      add column "coach_fte_month_cents" int not null default 0,
      add column "supervisor_fte_month_cents" int not null default 0,
      add column "pathway_start_cents" int null,
      add column "illustrative" boolean not null default true;`);
    // The staffing the seeds name (17 + 2, 5 + ½, 5 + ½, 3 + ½), now exact: FTE in hundredths.
    this.addSql(
      `update "billing"."convention" set "coach_fte_hundredths" = "job_coaches" * 100, "supervisor_fte_hundredths" = round("supervisor_fte" * 100)::int;`,
    );
    // Illustrative amounts, the same for every partner: a coach's and a supervisor's FTE-month (salary and overheads).
    this.addSql(
      `update "billing"."convention" set "coach_fte_month_cents" = 550000, "supervisor_fte_month_cents" = 650000, "valid_to" = '2026-12-31';`,
    );
    this.addSql(`alter table "billing"."convention"
      alter column "coach_fte_hundredths" set not null, alter column "supervisor_fte_hundredths" set not null,
      add constraint "convention_terms_check" check ("version" >= 1 and "coach_fte_hundredths" >= 0 and "supervisor_fte_hundredths" >= 0
        and "coach_fte_month_cents" >= 0 and "supervisor_fte_month_cents" >= 0 and ("pathway_start_cents" is null or "pathway_start_cents" >= 0)
        and ("valid_to" is null or "valid_to" >= "valid_from"));`);

    // Amendments: a change of money waits for a second INAMI agent (PROPOSED), any other applies at once (APPLIED).
    this
      .addSql(`create table "billing"."convention_amendment" ("id" uuid not null, "convention_id" uuid not null, "based_on_version" int not null, "version" int null,
      "status" text not null, "reason" varchar(2000) not null, "changes" jsonb not null, "changes_money" boolean not null,
      "proposed_by" varchar(200) not null, "proposed_by_organisation" varchar(100) not null, "proposed_at" timestamptz not null,
      "approved_by" varchar(200) null, "approved_by_organisation" varchar(100) null, "approved_at" timestamptz null,
      "idempotency_key" varchar(100) null, "requested_by" varchar(400) null, "request_fingerprint" varchar(64) null, primary key ("id"));`);
    this.addSql(
      `alter table "billing"."convention_amendment" add constraint "convention_amendment_convention_id_foreign" foreign key ("convention_id") references "billing"."convention" ("id");`,
    );
    this.addSql(
      `alter table "billing"."convention_amendment" add constraint "convention_amendment_status_check" check ("status" in ('PROPOSED', 'APPLIED'));`,
    );
    // Four eyes in the data too: an approved amendment names an approver other than its proposer.
    this.addSql(
      `alter table "billing"."convention_amendment" add constraint "convention_amendment_four_eyes" check ("approved_at" is null or "approved_by" <> "proposed_by" or "approved_by_organisation" <> "proposed_by_organisation");`,
    );
    // One amendment per version: of two approvals racing for the same version, the second fails (CONFLICT).
    this.addSql(
      `alter table "billing"."convention_amendment" add constraint "convention_amendment_convention_id_version_unique" unique ("convention_id", "version");`,
    );
    this.addSql(
      `create index "convention_amendment_convention_id_proposed_at_index" on "billing"."convention_amendment" ("convention_id", "proposed_at");`,
    );
    // Version 1 of each convention: the terms as the pilot started, the first line of every history.
    this
      .addSql(`insert into "billing"."convention_amendment" ("id", "convention_id", "based_on_version", "version", "status", "reason", "changes", "changes_money", "proposed_by", "proposed_by_organisation", "proposed_at")
      select gen_random_uuid(), c."id", 0, 1, 'APPLIED', 'The convention as the pilot started (seeds/002): capacity and staffing from the texts; the amounts are illustrative, the texts give none.',
        jsonb_build_array(
          jsonb_build_object('term', 'partnerPathways', 'old', null, 'new', c."partner_pathways"),
          jsonb_build_object('term', 'coachFteHundredths', 'old', null, 'new', c."coach_fte_hundredths"),
          jsonb_build_object('term', 'supervisorFteHundredths', 'old', null, 'new', c."supervisor_fte_hundredths"),
          jsonb_build_object('term', 'coachFteMonthCents', 'old', null, 'new', c."coach_fte_month_cents"),
          jsonb_build_object('term', 'supervisorFteMonthCents', 'old', null, 'new', c."supervisor_fte_month_cents")),
        true, 'migration', 'INAMI', '2019-04-01T00:00:00Z'
      from "billing"."convention" c;`);

    // The pathways subgraph checks a registration against the partner's share (registration paused at a full convention).
    this.addSql(`create or replace view "billing"."published_convention" as
      select "id" as convention_id, "code", "region", "employment_service", "partner_pathways" from "billing"."convention";`);
  }
}
