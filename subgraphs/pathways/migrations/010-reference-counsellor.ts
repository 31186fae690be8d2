import { Migration } from '@mikro-orm/migrations';

/** R9: a control-group pathway's referent is the SRE's reference counsellor. */
export class ReferenceCounsellor extends Migration {
  override name = '010-reference-counsellor';

  override up(): void {
    this.addSql(`alter table "pathways"."pathway" add column "reference_counsellor" varchar(200) null;`);
  }
}
