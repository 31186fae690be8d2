import { Migration } from '@mikro-orm/migrations';

/**
 * R19: the pseudonym vault's function (subgraphs/research/vault/pseudonym.sql.ts) hashes the NISS
 * itself, so that no research code — and no role that serves requests — ever reads one. The
 * participants subgraph, which owns the NISS, grants that column (and the id it is found by) to the
 * vault's owner alone, a role that cannot log in; the application role gets nothing new.
 */
export class NissForPseudonymVault extends Migration {
  override name = '009-niss-for-pseudonym-vault';

  override up(): void {
    this.addSql(`do $$ begin
        if exists (select from pg_roles where rolname = 'ips_pseudonym_vault') then
          grant usage on schema "participants" to ips_pseudonym_vault;
          grant select ("id", "niss") on "participants"."participant" to ips_pseudonym_vault;
        end if;
      end $$;`);
  }
}
