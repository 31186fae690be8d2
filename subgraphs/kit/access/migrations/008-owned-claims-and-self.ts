import { Migration } from '@mikro-orm/migrations';

/**
 * Each subgraph connects as its own role (subgraphs/kit/privileges.ts), and the shared schema holds
 * what one subgraph must not do to another's:
 * - an idempotency key's claim records the role that claimed it; its answer is set once, by that role
 *   (a stored answer is never rewritten, and a subgraph never answers another's claim);
 * - the person's self subject (their NISS) is read only by the subgraph that owns it: the others ask
 *   which people a caller is, here, with the owner's rights, and never read the column.
 */
export class OwnedClaimsAndSelf extends Migration {
  override name = '008-owned-claims-and-self';

  override up(): void {
    this.addSql(
      `alter table "access"."command_log" add column "claimed_by" varchar(63) not null default current_user;`,
    );
    this
      .addSql(`create function "access"."answer_once"() returns trigger language plpgsql set search_path = pg_catalog as $$
      begin
        if old.result_id is not null or old.claimed_by <> current_user then
          raise exception 'a stored answer is set once, by the role that claimed its key' using errcode = 'insufficient_privilege';
        end if;
        return new;
      end $$;`);
    this.addSql(`create trigger "command_log_answer_once" before update on "access"."command_log"
      for each row execute function "access"."answer_once"();`);
    this.addSql(`create function "access"."participants_of_self"(p_subject text) returns setof uuid
      language sql stable security definer rows 1 set search_path = pg_catalog as $$
        select l.participant_id from access.ledger l where l.self_subject = p_subject
      $$;`);
    this.addSql(`revoke all on function "access"."participants_of_self"(text), "access"."answer_once"() from public;`);
  }
}
