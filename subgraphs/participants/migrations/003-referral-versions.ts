import { Migration } from '@mikro-orm/migrations';

/** R3: a corrected form is a new version; the signed one never changes. */
export class ReferralVersions extends Migration {
  override name = '003-referral-versions';

  override up(): void {
    this.addSql(
      `alter table "participants"."referral" add column "version" int not null default 1, add column "supersedes" uuid null;`,
    );
    this.addSql(
      `alter table "participants"."referral" add constraint "referral_supersedes_unique" unique ("supersedes");`,
    );
    // The published view shows whether a form has been superseded: only the latest version is registered (R5).
    this.addSql(`create or replace view "participants"."published_referral" as
      select r."id" as referral_id, r."participant_id", r."region", r."submitted_at",
             exists (select 1 from "participants"."referral" n where n."supersedes" = r."id") as superseded
      from "participants"."referral" r;`);
  }
}
