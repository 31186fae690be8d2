import { Migration } from '@mikro-orm/migrations';

/** R11: the partner marks each invitee present or absent from the session's list: who marked, and when. */
export class WelcomeAttendanceMarks extends Migration {
  override name = '025-welcome-attendance-marks';

  override up(): void {
    this.addSql(
      `alter table "pathways"."welcome_invitation" add column "attendance_marked_at" timestamptz null, add column "attendance_marked_by" varchar(200) null;`,
    );
    // Attendance already recorded for a whole session: marked when and by whom the session's was.
    this
      .addSql(`update "pathways"."welcome_invitation" i set "attendance_marked_at" = s."attendance_recorded_at", "attendance_marked_by" = s."attendance_recorded_by"
      from "pathways"."welcome_session" s where s."id" = i."session_id" and i."attended" is not null;`);
  }
}
