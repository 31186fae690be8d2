import { Migration } from '@mikro-orm/migrations';

/**
 * The course of each pathway as the pilot's aggregates need it: its IPS partner
 * (the convention's code), period, end reason and whether a job coach holds it. Read by the
 * research subgraph's disclosure-controlled aggregates; no person's name or number in it.
 */
export class PublishedPathwayCourse extends Migration {
  override name = '019-published-pathway-course';

  override up(): void {
    this.addSql(`create view "pathways"."published_pathway_course" as
      select "id" as pathway_id, "participant_id", "referral_id", "ips_partner",
             ("registered_at" at time zone 'Europe/Brussels')::date as started_on, "ended_on", "end_reason", "job_coach"
      from "pathways"."pathway";`);
    this.addSql(
      `comment on view "pathways"."published_pathway_course" is 'Published contract of the pathways subgraph: each pathway''s partner, period, end reason and coach, for the pilot''s aggregates.';`,
    );
  }
}
