import { Migration } from '@mikro-orm/migrations';

/**
 * Every write statement that advances the data version also notifies `ips_data_change`. A
 * notification is delivered when its transaction commits, never before and never for a rollback:
 * the published snapshots' background computation (kit/data-version.ts) starts its snapshot after
 * the notice, so the write is in it. The sequence alone cannot say that: it advances before commit.
 * pg_notify folds identical notices of one transaction into one.
 */
export class DataChangeNotice extends Migration {
  override name = '010-data-change-notice';

  override up(): void {
    this
      .addSql(`create or replace function "access"."note_data_change"() returns trigger language plpgsql security definer set search_path = pg_catalog as $$
      begin
        perform nextval('access.data_version');
        perform pg_notify('ips_data_change', '');
        return null;
      end $$;`);
    this.addSql(`revoke all on function "access"."note_data_change"() from public;`);
  }
}
