import { Migration } from '@mikro-orm/migrations';

/**
 * The supervisor's team caseloads (teamCaseloads: open pathways per coach of the partner, R11) start
 * from an index of the partner's open, assigned pathways grouped by coach, instead of a scan of every
 * open pathway of the pilot (test/list-plans.e2e.test.ts found it).
 */
export class TeamCaseloadIndex extends Migration {
  override name = '020-team-caseload-index';

  override up(): void {
    this.addSql(
      `create index "pathway_team_caseload" on "pathways"."pathway" ("ips_partner", "job_coach") where "status" = 'OPEN' and "job_coach" is not null;`,
    );
  }
}
