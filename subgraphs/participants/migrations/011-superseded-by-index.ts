import { Migration } from '@mikro-orm/migrations';

/**
 * The published referral tells whether a later version supersedes it by one look-up of the
 * `supersedes` index per row, as a list reads its rows: `exists (…)` in the view's columns became a
 * hashed subplan reading every referral's `supersedes` (the view is flattened after sublinks are
 * pulled up, so it never became an anti-join). INAMI's intake (intakeQueue) at 200 000 people: its
 * first page 54–87 ms, 5.5 ms with this (EXPLAIN ANALYZE, bench/lists-scale.ts). Same columns, same values.
 */
export class SupersededByIndex extends Migration {
  override name = '011-superseded-by-index';

  override up(): void {
    this.addSql(`create or replace view "participants"."published_referral" as
      select r."id" as referral_id, r."participant_id", r."region", r."submitted_at",
             coalesce((select true from "participants"."referral" n where n."supersedes" = r."id" limit 1), false) as superseded,
             p."postcode"
      from "participants"."referral" r join "participants"."participant" p on p."id" = r."participant_id";`);
  }
}
