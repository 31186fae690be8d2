import { Migration } from '@mikro-orm/migrations';

/**
 * Outcomes for both arms: a contract becomes an employment episode (its actual end and why, and the
 * three criteria of competitive employment), published for the research subgraph's aggregates with
 * each pathway's period.
 */
export class EmploymentEpisodes extends Migration {
  override name = '013-employment-episodes';

  override up(): void {
    this.addSql(
      `alter table "pathways"."employment_contract" add column "open_labour_market" boolean null, add column "paid_at_least_minimum_wage" boolean null, add column "reserved_for_disabled_people" boolean null, add column "ended_on" date null, add column "end_reason" text null, add column "ended_by" varchar(200) null;`,
    );
    this.addSql(
      `alter table "pathways"."employment_contract" add constraint "employment_contract_end_reason_check" check ("end_reason" in ('END_OF_TERM', 'RESIGNATION', 'DISMISSAL', 'MUTUAL_AGREEMENT', 'HEALTH', 'EMPLOYER_CLOSED', 'OTHER'));`,
    );
    // Published views: the contracts the research subgraph reads (outcome measures per arm). No employer, no function: dates, hours and the competitive flag only.
    this.addSql(`create view "pathways"."published_employment_episode" as
      select "id" as episode_id, "pathway_id", "participant_id", "starts_on", coalesce("ended_on", "ends_on") as ends_on, "weekly_hours", "contract_type",
        case when "contract_type" = 'IN_COMPANY_TRAINING' or "open_labour_market" = false or "paid_at_least_minimum_wage" = false or "reserved_for_disabled_people" = true then false
             when "open_labour_market" and "paid_at_least_minimum_wage" and not "reserved_for_disabled_people" then true end as competitive
      from "pathways"."employment_contract";`);
    this.addSql(
      `comment on view "pathways"."published_employment_episode" is 'Published contract of the pathways subgraph: employment episodes (start, actual or contractual end, hours, competitive or not; null when unknown) for the outcome measures.';`,
    );
    this.addSql(`create view "pathways"."published_pathway_period" as
      select "id" as pathway_id, "participant_id", ("registered_at" at time zone 'Europe/Brussels')::date as started_on, "ended_on" from "pathways"."pathway";`);
    this.addSql(
      `comment on view "pathways"."published_pathway_period" is 'Published contract of the pathways subgraph: each pathway''s period, from its registration day (Belgian time) to its end.';`,
    );
  }
}
