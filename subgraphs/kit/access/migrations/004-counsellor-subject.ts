import { Migration } from '@mikro-orm/migrations';

/** R9: the control group's referent, the SRE's reference counsellor, as a fact of the ledger (written by pathways). */
export class CounsellorSubject extends Migration {
  override name = '004-counsellor-subject';

  override up(): void {
    this.addSql(`alter table "access"."ledger" add column "counsellor_subject" varchar(200) null;`);
  }
}
