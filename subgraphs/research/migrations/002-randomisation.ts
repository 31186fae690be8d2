import { Migration } from '@mikro-orm/migrations';

/** Randomisation (R6): allocations are written only by the allocation vault's function. */
export class Randomisation extends Migration {
  override name = '002-randomisation';

  override up(): void {
    this.addSql(`alter table "research"."allocation"
      add column "stratum" varchar(40) not null,
      add column "draw_number" bigint not null,
      add column "config_version" int not null,
      add column "idempotency_key" varchar(100) not null,
      add column "requested_by" varchar(200) not null,
      add column "request_fingerprint" varchar(64) not null;`);
    this.addSql(
      `alter table "research"."allocation" add constraint "allocation_draw_number_unique" unique ("draw_number");`,
    );
    this.addSql(
      `alter table "research"."allocation" add constraint "allocation_requested_by_idempotency_key_unique" unique ("requested_by", "idempotency_key");`,
    );
    // The vault's function inserts the allocation; the application role itself never does.
    this.addSql(`do $$ begin
        if exists (select from pg_roles where rolname = 'ips_allocation_vault') then
          grant usage on schema "research" to ips_allocation_vault;
          grant select, insert on "research"."allocation" to ips_allocation_vault;
        end if;
      end $$;`);
    this.addSql(`revoke insert, update, delete, truncate on "research"."allocation" from current_user;`);
    // Published view: the contract other subgraphs read (pathways routes the form by arm, R7).
    this.addSql(`create view "research"."published_allocation" as
      select "participant_id", "arm", "allocated_at" from "research"."allocation";`);
    this.addSql(
      `comment on view "research"."published_allocation" is 'Published contract of the research subgraph: the arm of each randomised person (R6, R7).';`,
    );
  }
}
