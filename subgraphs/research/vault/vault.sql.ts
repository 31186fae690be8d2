/**
 * The allocation vault (R6): concealed, race-free, immutable randomisation inside
 * PostgreSQL. Applied by the privileged provisioning step (platform/database.ts),
 * never by a subgraph's role. Objects are owned by `ips_allocation_vault`
 * (NOLOGIN); the research subgraph's role may only EXECUTE the functions below — it can
 * read neither the strata's state (the open block's composition, or the imbalance)
 * nor the draw log with its block numbers. The next allocation exists nowhere until
 * `allocate` draws it from PostgreSQL's cryptographic RNG (gen_random_uuid, i.e.
 * pg_strong_random / OpenSSL), and every draw consumes a sequence number, which a
 * rolled-back transaction cannot give back: a "peek and roll back" shows up as a gap.
 * The draw log is hash-chained (each row hashes its predecessor's hash with its own
 * fields) and `integrity()` compares it with research.allocation row by row, so a changed
 * arm shows even to a reader who cannot see the vault. `balance()` gives arm counts only up
 * to each stratum's last point of balance, never the open block's composition.
 */
import { OWNER_ROLE, VAULT_OWNER } from '../../../schema/database-roles.js';

export { VAULT_OWNER };

/** Statements run as an administrator, in one transaction; `researchRole` is the only role that may use the vault. */
export function vaultSql(researchRole: string): string[] {
  return [
    `create schema if not exists allocation_vault authorization ${VAULT_OWNER}`,
    `revoke all on schema allocation_vault from public`,
    `set local role ${VAULT_OWNER}`,
    `create table if not exists allocation_vault.trial_configuration (
      version int primary key,
      procedure text not null check (procedure in ('PERMUTED_BLOCKS', 'BIG_STICK')),
      block_sizes int[] null,
      maximal_imbalance int null,
      strata text[] not null,
      allocation_ratio text not null,
      rationale text not null,
      configured_at timestamptz not null default now(),
      configured_by text not null,
      check ((procedure = 'PERMUTED_BLOCKS' and block_sizes is not null) or (procedure = 'BIG_STICK' and maximal_imbalance is not null))
    )`,
    `create table if not exists allocation_vault.stratum_state (
      stratum text primary key,
      config_version int not null,
      block_number int not null default 0,
      block_size int not null default 0,
      ips_left int not null default 0,
      control_left int not null default 0,
      imbalance int not null default 0
    )`,
    `create table if not exists allocation_vault.draw_log (
      draw_number bigint primary key,
      participant_id uuid not null unique,
      stratum text not null,
      arm text not null,
      config_version int not null,
      block_number int null,
      block_size int null,
      position_in_block int null,
      imbalance_after int not null,
      randomised_by text not null,
      randomised_at timestamptz not null default now(),
      prev_hash bytea null,
      row_hash bytea null
    )`,
    `create sequence if not exists allocation_vault.draw_seq`,
    // Vaults made before the chain: add its columns (create table if not exists left them out).
    `alter table allocation_vault.draw_log add column if not exists prev_hash bytea null, add column if not exists row_hash bytea null`,
    // The chain's head, one row: locked by every draw, so the chain never forks and follows draw numbers.
    `create table if not exists allocation_vault.chain_head (
      id boolean primary key default true check (id),
      draw_number bigint null,
      hash bytea null
    )`,
    `insert into allocation_vault.chain_head (id) values (true) on conflict (id) do nothing`,
    // One draw's link: sha256(previous hash || canonical text of its fields), independent of the session's settings.
    `create or replace function allocation_vault.draw_hash(p_prev bytea, p_participant uuid, p_stratum text, p_arm text, p_config_version int,
        p_draw_number bigint, p_by text, p_at timestamptz)
      returns bytea language sql stable set search_path = pg_catalog as $$
        select sha256(coalesce(p_prev, ''::bytea) || convert_to(json_build_array(p_participant, p_stratum, p_arm, p_config_version, p_draw_number, p_by,
          to_char(p_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))::text, 'UTF8'))
      $$`,
    // Backfill: draws logged before the chain existed are chained in draw order, once.
    `do $$
      declare
        r record;
        v_prev bytea := null;
        v_hash bytea := null;
        v_last bigint := null;
      begin
        if not exists (select 1 from allocation_vault.draw_log where row_hash is null) then return; end if;
        for r in select * from allocation_vault.draw_log order by draw_number loop
          v_prev := v_hash;
          v_hash := allocation_vault.draw_hash(v_prev, r.participant_id, r.stratum, r.arm, r.config_version, r.draw_number, r.randomised_by, r.randomised_at);
          update allocation_vault.draw_log set prev_hash = v_prev, row_hash = v_hash where draw_number = r.draw_number;
          v_last := r.draw_number;
        end loop;
        update allocation_vault.chain_head set draw_number = v_last, hash = v_hash;
      end $$`,
    // Uniform integer in [0, n) from 32 fresh random bits, rejection-sampled (no modulo bias).
    `create or replace function allocation_vault.random_below(n int) returns int language plpgsql volatile
      set search_path = pg_catalog as $$
      declare
        bits bigint;
        bound bigint := 4294967296 - (4294967296 % n);
      begin
        loop
          bits := ('x' || substr(replace(gen_random_uuid()::text, '-', ''), 1, 8))::bit(32)::bigint;
          if bits < bound then return (bits % n)::int; end if;
        end loop;
      end $$`,
    // Four eyes inside the vault (R6, CONSORT 8b/9): a design goes live only from a proposal a second
    // researcher approved, read here with the vault owner's rights; no parameters, no other way in.
    // The signature of earlier releases (raw parameters, any name) is gone.
    `drop function if exists allocation_vault.configure(text, int[], int, text[], text, text)`,
    // plpgsql: its body names research.trial_design_proposal, which a fresh database gets only at migration, after this.
    `create or replace function allocation_vault.configure(p_proposal uuid)
      returns int language plpgsql security definer set search_path = pg_catalog, allocation_vault as $$
      declare
        p record;
        next_version int;
      begin
        select * into p from research.trial_design_proposal where id = p_proposal for update;
        if not found then
          raise exception 'no trial design proposal %', p_proposal using errcode = 'insufficient_privilege';
        end if;
        if p.approved_by is null or p.approved_at is null or p.approved_by_organisation is null then
          raise exception 'trial design proposal % is not approved', p_proposal using errcode = 'insufficient_privilege';
        end if;
        if p.approved_by = p.proposed_by and p.approved_by_organisation = p.proposed_by_organisation then
          raise exception 'trial design proposal % was approved by its author', p_proposal using errcode = 'insufficient_privilege';
        end if;
        if p.version is not null then
          raise exception 'trial design proposal % is already version %', p_proposal, p.version using errcode = 'object_not_in_prerequisite_state';
        end if;
        select coalesce(max(version), 0) + 1 into next_version from trial_configuration;
        insert into trial_configuration (version, procedure, block_sizes, maximal_imbalance, strata, allocation_ratio, rationale, configured_by)
        values (next_version, p.procedure, p.block_sizes, p.maximal_imbalance, p.strata, '1:1', p.rationale, p.proposed_by);
        update research.trial_design_proposal set version = next_version where id = p_proposal;
        return next_version;
      end $$`,
    `create or replace function allocation_vault.configurations()
      returns setof allocation_vault.trial_configuration language sql stable security definer set search_path = pg_catalog, allocation_vault as $$
        select * from trial_configuration order by version desc
      $$`,
    // Draws the arm of one person in one stratum. The stratum's row is locked for the draw, so
    // concurrent randomisations queue per stratum and never share a slot; the allocation row
    // (unique per person) is written here, so a person is never allocated twice.
    // The draw itself, at a given time: no role may execute it (revoked from public below, granted to none); only
    // the vault's own functions call it, as the vault's owner — `allocate` at now(), `allocate_demo_history` at
    // the registration times of a demo's people.
    `create or replace function allocation_vault.draw(
        p_participant uuid, p_region text, p_stratum text, p_by text, p_idempotency_key text, p_fingerprint text, p_at timestamptz)
      returns table (allocation_id uuid, arm text, draw_number bigint, allocated_at timestamptz)
      language plpgsql set search_path = pg_catalog, allocation_vault as $$
      #variable_conflict use_column
      declare
        cfg allocation_vault.trial_configuration;
        st allocation_vault.stratum_state;
        head allocation_vault.chain_head;
        v_hash bytea;
        v_arm text;
        v_draw bigint;
        v_position int;
        v_id uuid := gen_random_uuid();
        v_at timestamptz := p_at;
      begin
        select * into cfg from trial_configuration order by version desc limit 1;
        if not found then
          raise exception 'no trial configuration' using errcode = 'object_not_in_prerequisite_state';
        end if;
        insert into stratum_state (stratum, config_version) values (p_stratum, cfg.version) on conflict (stratum) do nothing;
        select * into st from stratum_state where stratum = p_stratum for update;
        -- Checked under the stratum's lock, so a concurrent duplicate waits and then sees the first allocation
        -- (before drawing: a refused duplicate consumes no draw number).
        if exists (select 1 from research.allocation a where a.participant_id = p_participant) then
          raise exception 'participant % is already allocated', p_participant using errcode = 'unique_violation';
        end if;
        if st.config_version <> cfg.version then
          -- A new protocol version starts fresh blocks.
          st := row(p_stratum, cfg.version, st.block_number, 0, 0, 0, st.imbalance)::allocation_vault.stratum_state;
        end if;
        if cfg.procedure = 'PERMUTED_BLOCKS' then
          if st.ips_left + st.control_left = 0 then
            st.block_number := st.block_number + 1;
            st.block_size := cfg.block_sizes[1 + random_below(array_length(cfg.block_sizes, 1))];
            st.ips_left := st.block_size / 2;
            st.control_left := st.block_size / 2;
          end if;
          if random_below(st.ips_left + st.control_left) < st.ips_left then
            v_arm := 'IPS'; st.ips_left := st.ips_left - 1;
          else
            v_arm := 'CONTROL'; st.control_left := st.control_left - 1;
          end if;
          v_position := st.block_size - st.ips_left - st.control_left;
        else
          if st.imbalance >= cfg.maximal_imbalance then v_arm := 'CONTROL';
          elsif st.imbalance <= -cfg.maximal_imbalance then v_arm := 'IPS';
          elsif random_below(2) = 0 then v_arm := 'IPS';
          else v_arm := 'CONTROL';
          end if;
        end if;
        st.imbalance := st.imbalance + case when v_arm = 'IPS' then 1 else -1 end;
        update stratum_state set config_version = st.config_version, block_number = st.block_number, block_size = st.block_size,
          ips_left = st.ips_left, control_left = st.control_left, imbalance = st.imbalance
        where stratum = p_stratum;
        -- Vault-wide, after the stratum's lock (always in this order): numbers are taken in chain order.
        select * into head from chain_head where id for update;
        v_draw := nextval('allocation_vault.draw_seq');
        v_hash := draw_hash(head.hash, p_participant, p_stratum, v_arm, cfg.version, v_draw, p_by, v_at);
        insert into draw_log (draw_number, participant_id, stratum, arm, config_version, block_number, block_size, position_in_block, imbalance_after, randomised_by, randomised_at, prev_hash, row_hash)
        values (v_draw, p_participant, p_stratum, v_arm, cfg.version,
          case when cfg.procedure = 'PERMUTED_BLOCKS' then st.block_number end,
          case when cfg.procedure = 'PERMUTED_BLOCKS' then st.block_size end,
          v_position, st.imbalance, p_by, v_at, head.hash, v_hash);
        update chain_head set draw_number = v_draw, hash = v_hash where id;
        insert into research.allocation (id, participant_id, arm, region, stratum, draw_number, config_version, allocated_at, idempotency_key, requested_by, request_fingerprint)
        values (v_id, p_participant, v_arm, p_region, p_stratum, v_draw, cfg.version, v_at, p_idempotency_key, p_by, p_fingerprint);
        return query select v_id, v_arm, v_draw, v_at;
      end $$`,
    `create or replace function allocation_vault.allocate(
        p_participant uuid, p_region text, p_stratum text, p_by text, p_idempotency_key text, p_fingerprint text)
      returns table (allocation_id uuid, arm text, draw_number bigint, allocated_at timestamptz)
      language sql security definer set search_path = pg_catalog, allocation_vault as $$
        select * from allocation_vault.draw(p_participant, p_region, p_stratum, p_by, p_idempotency_key, p_fingerprint, now())
      $$`,
    // A demo's history (platform/database-origin.ts): its people randomised at the times they were registered, years
    // ago, by the same draw. Only while demo data load: executable by the owner role alone (never by a subgraph's
    // role), only in a database marked as created for demo data, and only forwards in time — each time no earlier
    // than the chain's last draw, none in the future — so draw numbers follow allocation times and the hash chain
    // (which hashes each time) stays verifiable by integrity(). People in the order given, one draw each.
    `create or replace function allocation_vault.allocate_demo_history(
        p_participants uuid[], p_regions text[], p_at timestamptz[], p_by text)
      returns table (participant_id uuid, arm text, draw_number bigint, allocated_at timestamptz)
      language plpgsql security definer set search_path = pg_catalog, allocation_vault as $$
      #variable_conflict use_column
      declare
        v_kind text;
        v_last timestamptz;
        v_drawn record;
      begin
        if to_regclass('platform.database_origin') is null then
          raise exception 'demo history only in a database marked for demo data' using errcode = 'insufficient_privilege';
        end if;
        execute 'select kind from platform.database_origin' into v_kind;
        if v_kind is distinct from 'demo' then
          raise exception 'demo history only in a database marked for demo data (this one: %)', v_kind using errcode = 'insufficient_privilege';
        end if;
        if cardinality(p_participants) <> cardinality(p_regions) or cardinality(p_participants) <> cardinality(p_at) then
          raise exception 'one region and one time per person' using errcode = 'invalid_parameter_value';
        end if;
        select max(d.randomised_at) into v_last from draw_log d;
        for i in 1 .. coalesce(cardinality(p_participants), 0) loop
          if p_at[i] > now() or (v_last is not null and p_at[i] < v_last) then
            raise exception 'demo history goes forwards in time, up to now: % after %', p_at[i], v_last using errcode = 'invalid_parameter_value';
          end if;
          select * into v_drawn from allocation_vault.draw(p_participants[i], p_regions[i], p_regions[i], p_by,
            'demo-allocation-' || p_participants[i]::text, 'demo', p_at[i]);
          v_last := p_at[i];
          return query select p_participants[i], v_drawn.arm, v_drawn.draw_number, v_drawn.allocated_at;
        end loop;
      end $$`,
    // Integrity: draws that were rolled back leave gaps in the sequence (a peek, or a failure); allocations
    // that disagree with the draw log (or exist in one only) are mismatches; the chain recomputed says
    // whether the log itself was altered. Its result columns changed: replace it whole.
    `drop function if exists allocation_vault.integrity()`,
    // plpgsql: its body names research.allocation, which a fresh database gets only at migration, after this.
    `create function allocation_vault.integrity()
      returns table (draws bigint, recorded bigint, gaps bigint, mismatches bigint, chain_intact boolean)
      language plpgsql stable security definer set search_path = pg_catalog, allocation_vault as $$
      begin
        return query
        with counted as (
          select coalesce(max(d.draw_number), 0) as n_draws, count(*) as n_recorded from draw_log d
        ), compared as (
          select count(*) as n from draw_log d full join research.allocation a on a.participant_id = d.participant_id
          where d.participant_id is null or a.participant_id is null
             or a.arm is distinct from d.arm or a.draw_number is distinct from d.draw_number or a.stratum is distinct from d.stratum
        ), chained as (
          select d.draw_number, d.prev_hash, d.row_hash, lag(d.row_hash) over (order by d.draw_number) as expected_prev,
            draw_hash(d.prev_hash, d.participant_id, d.stratum, d.arm, d.config_version, d.draw_number, d.randomised_by, d.randomised_at) as recomputed
          from draw_log d
        ), tail as (
          select (select h.hash from chain_head h) is not distinct from (select c.row_hash from chained c order by c.draw_number desc limit 1) as ok
        )
        select c.n_draws, c.n_recorded, c.n_draws - c.n_recorded, m.n,
          (select t.ok from tail t) and not exists (
            select 1 from chained x where x.row_hash is distinct from x.recomputed or x.prev_hash is distinct from x.expected_prev)
        from counted c, compared m;
      end $$`,
    // The balance of the arms per stratum, lagged so it reveals nothing of the open block (CONSORT 9): arms are
    // counted only up to the stratum's last closed block (permuted blocks) or its last draw after which the
    // imbalance was 0 (big stick); later draws are only counted as pending.
    `create or replace function allocation_vault.balance()
      returns table (stratum text, ips bigint, control bigint, pending bigint)
      language sql stable security definer set search_path = pg_catalog, allocation_vault as $$
        with cutoff as (
          select d.stratum as s, max(d.draw_number) filter (
            where (d.block_number is not null and d.position_in_block = d.block_size) or (d.block_number is null and d.imbalance_after = 0)) as last_balanced
          from draw_log d group by d.stratum
        )
        select c.s,
          count(*) filter (where d.draw_number <= c.last_balanced and d.arm = 'IPS'),
          count(*) filter (where d.draw_number <= c.last_balanced and d.arm = 'CONTROL'),
          count(*) filter (where c.last_balanced is null or d.draw_number > c.last_balanced)
        from draw_log d join cutoff c on c.s = d.stratum
        group by c.s order by c.s
      $$`,
    `reset role`,
    `revoke all on all tables in schema allocation_vault from public`,
    `revoke all on all functions in schema allocation_vault from public`,
    `grant usage on schema allocation_vault to ${researchRole}`,
    `grant usage on schema allocation_vault to ${OWNER_ROLE}`,
    `grant execute on function allocation_vault.configure(uuid), allocation_vault.configurations(),
       allocation_vault.allocate(uuid, text, text, text, text, text), allocation_vault.integrity(), allocation_vault.balance() to ${researchRole}`,
    `grant execute on function allocation_vault.allocate_demo_history(uuid[], text[], timestamptz[], text) to ${OWNER_ROLE}`,
  ];
}
