import { Migration } from '@mikro-orm/migrations';

export class CreateAllocations extends Migration {
  override name = '001-create-allocations';

  override up(): void {
    this.addSql(
      `create table "research"."allocation" ("id" uuid not null, "participant_id" uuid not null, "arm" text not null, "region" text not null, "allocated_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `alter table "research"."allocation" add constraint "allocation_participant_id_unique" unique ("participant_id");`,
    );
    this.addSql(
      `alter table "research"."allocation" add constraint "allocation_arm_check" check ("arm" in ('IPS', 'CONTROL'));`,
    );
    this.addSql(
      `alter table "research"."allocation" add constraint "allocation_region_check" check ("region" in ('FLANDERS', 'WALLONIA', 'BRUSSELS'));`,
    );
    // R6: an allocation is unchangeable once made.
    this.addSql(`create function "research"."refuse_change_to_allocation"() returns trigger language plpgsql as $$
      begin
        raise exception 'an allocation is immutable (R6)' using errcode = 'integrity_constraint_violation';
      end $$;`);
    this.addSql(`create trigger "allocation_is_immutable" before update or delete on "research"."allocation"
      for each row execute function "research"."refuse_change_to_allocation"();`);
  }
}
