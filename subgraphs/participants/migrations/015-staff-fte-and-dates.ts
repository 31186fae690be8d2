import { Migration } from '@mikro-orm/migrations';

/**
 * Staff memberships carry their working time (FTE hundredths, full time unless said) and the published
 * directory its days (Belgian time): the billing subgraph compares each month's staffing of a partner
 * with its convention's (R17) — a membership counts its FTE for the days of the month it was active.
 */
export class StaffFteAndDates extends Migration {
  override name = '015-staff-fte-and-dates';

  override up(): void {
    this.addSql(`alter table "participants"."staff_member" add column "fte_hundredths" int not null default 100;`);
    this.addSql(
      `alter table "participants"."staff_member" add constraint "staff_member_fte_hundredths_check" check ("fte_hundredths" between 1 and 100);`,
    );
    // Columns appended: the view's readers keep theirs. A membership ended on a day was active that day.
    this.addSql(`create or replace view "participants"."published_staff_member" as
      select s."organisation_code" as organisation, s."subject", s."function", s."display_name", s."ended_at" is null as active,
        (s."enrolled_at" at time zone 'Europe/Brussels')::date as enrolled_on, (s."ended_at" at time zone 'Europe/Brussels')::date as ended_on, s."fte_hundredths"
      from "participants"."staff_member" s;`);
  }
}
