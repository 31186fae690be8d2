import { Migration } from '@mikro-orm/migrations';

/**
 * Ended memberships by organisation and function: who left a team, so that the people a coach who
 * left was following show as unassigned (pathways' unassignedPathways, teamCaseloads) by an index
 * look-up rather than a walk of the whole directory.
 */
export class FormerStaffIndex extends Migration {
  override name = '012-former-staff-index';

  override up(): void {
    this.addSql(
      `create index "staff_member_ended" on "participants"."staff_member" ("organisation_code", "function", "subject") where "ended_at" is not null;`,
    );
  }
}
