import { Migration } from '@mikro-orm/migrations';

/**
 * The data version (kit/data-version.ts): a sequence every write statement on the subgraphs'
 * tables advances (a statement-level trigger the kit attaches to each table after migrating its
 * schema). Published aggregates are cached per version: a version that has not moved means the
 * counts have not changed. A sequence, not a row: advancing it never waits on another writer and a
 * rollback's advance only costs a recomputation.
 */
export class DataVersion extends Migration {
  override name = '006-data-version';

  override up(): void {
    this.addSql(`create sequence "access"."data_version" as bigint;`);
    // The owner's rights: whoever writes (the application, a vault's function) advances it.
    this
      .addSql(`create function "access"."note_data_change"() returns trigger language plpgsql security definer set search_path = pg_catalog as $$
      begin
        perform nextval('access.data_version');
        return null;
      end $$;`);
    this.addSql(`revoke all on function "access"."note_data_change"() from public;`);
  }
}
