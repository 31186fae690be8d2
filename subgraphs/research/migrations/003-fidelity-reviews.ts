import { Migration } from '@mikro-orm/migrations';

/**
 * IPS-25 fidelity reviews of the IPS teams (DOMAIN.md): one review per team and date, the
 * consensus score of the two reviewers per item, and the action plan (free text, with the
 * category its writer declared, FREE_TEXT_CATEGORIES). No participant in it.
 */
export class FidelityReviews extends Migration {
  override name = '003-fidelity-reviews';

  override up(): void {
    this.addSql(`create table "research"."fidelity_review" (
      "id" uuid primary key,
      "team" varchar(40) not null,
      "reviewed_on" date not null,
      "first_reviewer" varchar(200) not null,
      "second_reviewer" varchar(200) not null,
      "scores" jsonb not null,
      "total" int not null,
      "action_plan" text not null,
      "action_plan_category" varchar(20) not null,
      "recorded_by" varchar(200) not null,
      "recorded_at" timestamptz not null,
      "idempotency_key" varchar(100) not null,
      "requested_by" varchar(200) not null,
      "request_fingerprint" varchar(64) not null,
      constraint "fidelity_review_total_check" check ("total" between 25 and 125),
      constraint "fidelity_review_two_reviewers" check ("first_reviewer" <> "second_reviewer"),
      constraint "fidelity_review_team_reviewed_on_unique" unique ("team", "reviewed_on"),
      constraint "fidelity_review_requested_by_idempotency_key_unique" unique ("requested_by", "idempotency_key")
    );`);
    this.addSql(
      `comment on table "research"."fidelity_review" is 'IPS-25 fidelity reviews: consensus scores of two reviewers per IPS team and date.';`,
    );
  }
}
