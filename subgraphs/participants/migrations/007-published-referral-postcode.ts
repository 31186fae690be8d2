import { Migration } from '@mikro-orm/migrations';

/**
 * The published referral carries the person's postcode: INAMI's registry derives and checks the
 * convention of the person's catchment from it (R3, R17; billing.published_convention_catchment).
 */
export class PublishedReferralPostcode extends Migration {
  override name = '007-published-referral-postcode';

  override up(): void {
    this.addSql(`create or replace view "participants"."published_referral" as
      select r."id" as referral_id, r."participant_id", r."region", r."submitted_at",
             exists (select 1 from "participants"."referral" n where n."supersedes" = r."id") as superseded,
             p."postcode"
      from "participants"."referral" r join "participants"."participant" p on p."id" = r."participant_id";`);
  }
}
