import { Migration } from '@mikro-orm/migrations';

export class AddPartnerAndJobCoach extends Migration {
  override name = '002-add-partner-and-job-coach';

  override up(): void {
    this.addSql(`alter table "pathways"."pathway" add column "ips_partner" varchar(40) not null default '';`);
    this.addSql(`alter table "pathways"."pathway" alter column "ips_partner" drop default;`);
    this.addSql(`alter table "pathways"."pathway" add column "job_coach" varchar(200) null;`);
  }
}
