import { Migration } from '@mikro-orm/migrations';

/**
 * The access log becomes tamper-evident: each row carries its place in one chain
 * (`chain_seq`), the previous row's hash and its own, sha256(prev_hash || its fields),
 * set by a trigger that runs with the owner's rights under the lock of a single-row head.
 * Even someone who can bypass the append-only trigger (an administrator) cannot change,
 * remove or insert a row without `access.verify_access_log()` naming the first broken link.
 */
export class ChainTheAccessLog extends Migration {
  override name = '002-chain-the-access-log';

  override up(): void {
    // One canonical text per row, independent of the session's time zone and date style.
    this
      .addSql(`create function "access"."access_log_row_text"(p_at timestamptz, p_subject text, p_role text, p_organisation text,
        p_participant_id uuid, p_categories text[], p_operation text, p_subgraph text, p_chain_seq bigint)
      returns text language sql stable set search_path = pg_catalog as $$
        select json_build_array(to_char(p_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), p_subject, p_role, p_organisation,
          p_participant_id, p_categories, p_operation, p_subgraph, p_chain_seq)::text
      $$;`);
    this.addSql(`create function "access"."access_log_row_hash"(p_prev_hash bytea, p_row_text text)
      returns bytea language sql immutable set search_path = pg_catalog as $$
        select sha256(coalesce(p_prev_hash, ''::bytea) || convert_to(p_row_text, 'UTF8'))
      $$;`);
    // The chain's head: the last row's number and hash. Locked per insert, so the chain never forks.
    this.addSql(`create table "access"."access_log_head" (
      "id" boolean primary key default true check ("id"),
      "seq" bigint not null,
      "hash" bytea null
    );`);
    this.addSql(
      `alter table "access"."access_log" add column "chain_seq" bigint null, add column "prev_hash" bytea null, add column "row_hash" bytea null;`,
    );

    // Rows written before this migration are chained in their order of writing.
    this.addSql(`alter table "access"."access_log" disable trigger "access_log_is_append_only";`);
    this.addSql(`do $$
      declare
        r record;
        v_hash bytea := null;
        v_seq bigint := 0;
      begin
        for r in select * from "access"."access_log" order by "at", "id" loop
          v_seq := v_seq + 1;
          update "access"."access_log" set "chain_seq" = v_seq, "prev_hash" = v_hash,
            "row_hash" = "access"."access_log_row_hash"(v_hash, "access"."access_log_row_text"(r.at, r.subject, r.role, r.organisation,
              r.participant_id, r.categories, r.operation, r.subgraph, v_seq))
          where "id" = r.id
          returning "row_hash" into v_hash;
        end loop;
        insert into "access"."access_log_head" ("id", "seq", "hash") values (true, v_seq, v_hash);
      end $$;`);
    this.addSql(`alter table "access"."access_log" enable trigger "access_log_is_append_only";`);
    this
      .addSql(`alter table "access"."access_log" alter column "chain_seq" set not null, alter column "row_hash" set not null,
      add constraint "access_log_chain_seq_unique" unique ("chain_seq");`);

    // SECURITY DEFINER: the application role cannot read or move the head itself, only append through this.
    this.addSql(`create function "access"."chain_access_log"() returns trigger language plpgsql security definer
      set search_path = pg_catalog, access as $$
      declare
        head "access"."access_log_head";
      begin
        select * into head from "access"."access_log_head" where "id" for update;
        new.chain_seq := head.seq + 1;
        new.prev_hash := head.hash;
        new.row_hash := "access"."access_log_row_hash"(head.hash, "access"."access_log_row_text"(new.at, new.subject, new.role,
          new.organisation, new.participant_id, new.categories, new.operation, new.subgraph, new.chain_seq));
        update "access"."access_log_head" set "seq" = new.chain_seq, "hash" = new.row_hash where "id";
        return new;
      end $$;`);
    this.addSql(`create trigger "access_log_chain" before insert on "access"."access_log"
      for each row execute function "access"."chain_access_log"();`);

    // Recomputes the whole chain: every row's hash from its fields and its predecessor, numbers without
    // holes, and the head pointing at the last row (a removed tail shows too).
    this.addSql(`create function "access"."verify_access_log"()
      returns table ("rows" bigint, "intact" boolean, "first_broken_seq" bigint)
      language sql stable security definer set search_path = pg_catalog, access as $$
        with ordered as (
          select l.chain_seq, l.prev_hash, l.row_hash,
            lag(l.row_hash) over w as expected_prev,
            coalesce(lag(l.chain_seq) over w, 0) + 1 as expected_seq,
            access_log_row_hash(l.prev_hash, access_log_row_text(l.at, l.subject, l.role, l.organisation, l.participant_id,
              l.categories, l.operation, l.subgraph, l.chain_seq)) as recomputed
          from access_log l
          window w as (order by l.chain_seq)
        ), broken as (
          select least(chain_seq, expected_seq) as seq from ordered
          where chain_seq <> expected_seq or row_hash is distinct from recomputed or prev_hash is distinct from expected_prev
          union all
          select coalesce((select max(chain_seq) from access_log), 0) + 1 from access_log_head h
          where h.seq <> coalesce((select max(chain_seq) from access_log), 0)
             or h.hash is distinct from (select row_hash from access_log order by chain_seq desc limit 1)
        )
        select (select count(*) from access_log), not exists (select 1 from broken), (select min(seq) from broken)
      $$;`);
  }
}
