import { Migration } from '@mikro-orm/migrations';

/** R16: the end of the recognition of incapacity, refused while a pathway is open. */
export class IncapacityEnd extends Migration {
  override name = '004-incapacity-end';

  override up(): void {
    this.addSql(`alter table "participants"."participant" add column "incapacity_ended_on" date null;`);
  }
}
