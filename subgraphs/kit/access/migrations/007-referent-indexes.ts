import { Migration } from '@mikro-orm/migrations';

/**
 * The referent's caseload (R9, R11) starts from the ledger: the people whose job coach (in the IPS
 * partner) or reference counsellor (in the SRE) the caller is — the policy's REFERENT relation.
 * Without these, each caseload read the whole ledger (a sequential scan: 216 ms at 200 000 people;
 * with them 57 ms for a coach of 2 665 people, `npm run demo:scale`).
 */
export class ReferentIndexes extends Migration {
  override name = '007-referent-indexes';

  override up(): void {
    this.addSql(
      `create index if not exists "ledger_job_coach_index" on "access"."ledger" ("ips_partner", "job_coach_subject") where "job_coach_subject" is not null;`,
    );
    this.addSql(
      `create index if not exists "ledger_counsellor_index" on "access"."ledger" ("employment_service", "counsellor_subject") where "counsellor_subject" is not null;`,
    );
  }
}
