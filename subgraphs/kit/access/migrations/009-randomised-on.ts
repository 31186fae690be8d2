import { Migration } from '@mikro-orm/migrations';

/**
 * The day of randomisation as a fact of the ledger (written by research with the arm, R6): month 0 of the
 * person's 30-month follow-up, which every subgraph that records an outcome decides on (schema/policy.ts
 * `inFollowUp`). People already randomised get it from their allocation; on a new database there is none yet.
 */
export class RandomisedOn extends Migration {
  override name = '009-randomised-on';

  override up(): void {
    this.addSql(`alter table "access"."ledger" add column "randomised_on" date null;`);
    this.addSql(`do $$ begin
      if to_regclass('research.allocation') is not null then
        update "access"."ledger" l set "randomised_on" = (a."allocated_at" at time zone 'Europe/Brussels')::date
        from "research"."allocation" a where a."participant_id" = l."participant_id" and l."randomised_on" is null;
      end if;
    end $$;`);
  }
}
