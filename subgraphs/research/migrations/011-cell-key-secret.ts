import { Migration } from '@mikro-orm/migrations';

/**
 * The cell key method's secret (R19; DISCLOSURE_CONTROL in schema/policy.ts): one per database, 32
 * bytes from pgcrypto's gen_random_bytes (OpenSSL's RNG), drawn once here. Each person's record key
 * is a keyed hash of their id under it (services/record-key.sql.ts), so a reader who knows the ids
 * and the method still cannot compute any cell's noise. Only the research subgraph's role may read
 * it (subgraphs/kit/privileges.ts), and only inside the aggregate queries: no query returns it.
 * One row, never changed: a new secret would give every published cell new noise, and the two
 * answers together would average the noise away.
 */
export class CellKeySecret extends Migration {
  override name = '011-cell-key-secret';

  override up(): void {
    this.addSql(`create table "research"."cell_key_secret" (
      "one" boolean not null primary key default true check ("one"),
      "secret" bytea not null check (length("secret") = 32),
      "created_at" timestamptz not null default now()
    );`);
    this.addSql(
      `comment on table "research"."cell_key_secret" is 'The cell key method''s per-database secret (R19): record keys are keyed hashes of ids under it. Read only inside the aggregate queries; never returned.';`,
    );
    // pgcrypto lives where provisioning put it (platform/database.ts: the pseudonym vault's schema).
    this.addSql(`do $$
      declare v_schema text;
      begin
        select n.nspname into v_schema from pg_extension e join pg_namespace n on n.oid = e.extnamespace where e.extname = 'pgcrypto';
        if v_schema is null then
          raise exception 'pgcrypto is not installed: provision the database first (npm run db:provision)' using errcode = 'undefined_object';
        end if;
        execute format('insert into research.cell_key_secret (secret) values (%I.gen_random_bytes(32))', v_schema);
      end $$;`);
    this.addSql(`revoke update, delete, truncate on "research"."cell_key_secret" from current_user;`);
  }
}
