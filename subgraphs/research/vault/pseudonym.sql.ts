/**
 * The pseudonym vault (R19): pseudonyms stable within a research project, different across
 * projects, that no researcher — nor the application serving them — can reverse. The allocation
 * vault's pattern (vault.sql.ts): applied by the privileged provisioning step (platform/database.ts),
 * every object owned by `ips_pseudonym_vault` (NOLOGIN), the research subgraph's role alone may EXECUTE.
 *
 * - `project_key`: one key per project, 32 bytes from pgcrypto's gen_random_bytes (OpenSSL's RNG);
 *   no subgraph role holds a privilege on it (a SELECT is PostgreSQL's permission error, 42501).
 * - `ensure_key(project)`: makes the project's key once (INAMI's approval of a data request calls it).
 * - `pseudonym(project, participant_id)` = hex(HMAC-SHA-256(NISS, project key)). The function reads the
 *   NISS itself, from `participants.participant`, on a column grant the participants subgraph gives
 *   this vault's owner alone (participants migration 009): the research code never handles a NISS,
 *   and the research role can read neither the NISS (only the participants subgraph's role can) nor the key.
 *   (A published view with the NISS would have put it within the reach of every subgraph that reads it.)
 */
import { PSEUDONYM_VAULT_OWNER } from '../../../schema/database-roles.js';

export { PSEUDONYM_VAULT_OWNER };

/** Statements run as an administrator, in one transaction; `cryptoSchema` is where pgcrypto lives. */
export function pseudonymVaultSql(researchRole: string, cryptoSchema: string): string[] {
  const path = `pg_catalog, pseudonym_vault, ${cryptoSchema}`;
  return [
    `grant usage on schema ${cryptoSchema} to ${PSEUDONYM_VAULT_OWNER}`,
    `set local role ${PSEUDONYM_VAULT_OWNER}`,
    `create table if not exists pseudonym_vault.project_key (
      project text primary key,
      key bytea not null check (length(key) = 32),
      created_at timestamptz not null default now()
    )`,
    `create or replace function pseudonym_vault.ensure_key(p_project text) returns void
      language plpgsql volatile security definer set search_path = ${path} as $$
      begin
        insert into project_key (project, key) values (p_project, gen_random_bytes(32)) on conflict (project) do nothing;
      end $$`,
    // plpgsql: its body names participants.participant, which a fresh database gets only at migration, after this.
    `create or replace function pseudonym_vault.pseudonym(p_project text, p_participant uuid) returns text
      language plpgsql stable security definer set search_path = ${path} as $$
      declare
        v_key bytea;
        v_niss text;
      begin
        select k.key into v_key from project_key k where k.project = p_project;
        if v_key is null then
          raise exception 'no key for project %', p_project using errcode = 'object_not_in_prerequisite_state';
        end if;
        select p.niss into v_niss from participants.participant p where p.id = p_participant;
        if v_niss is null then return null; end if;
        return encode(hmac(convert_to(v_niss, 'UTF8'), v_key, 'sha256'), 'hex');
      end $$`,
    `reset role`,
    `revoke all on all tables in schema pseudonym_vault from public`,
    `revoke all on function pseudonym_vault.ensure_key(text), pseudonym_vault.pseudonym(text, uuid) from public`,
    `grant usage on schema pseudonym_vault to ${researchRole}`,
    `grant execute on function pseudonym_vault.ensure_key(text), pseudonym_vault.pseudonym(text, uuid) to ${researchRole}`,
    // The NISS column alone, to the vault's owner (participants migration 009 grants it too, once the table exists).
    `do $$ begin
        if to_regclass('participants.participant') is not null then
          grant usage on schema participants to ${PSEUDONYM_VAULT_OWNER};
          grant select (id, niss) on participants.participant to ${PSEUDONYM_VAULT_OWNER};
        end if;
      end $$`,
  ];
}
