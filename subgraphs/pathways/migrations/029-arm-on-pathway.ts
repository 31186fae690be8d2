import { Migration } from '@mikro-orm/migrations';

/**
 * The arm drawn for the person (R6) on their pathway, so that the supervisor's list of IPS-arm
 * pathways waiting for a coach (R11, unassignedPathways) is one range of one index: the control arm's
 * pathways never get a coach and pile up in the partner's unassigned rows, and with the arm on the
 * ledger only, a page had to check every one of them against the ledger to keep the few of the IPS arm.
 *
 * The ledger stays the one source of the arm (research writes it when it randomises, LEDGER_FACTS):
 * the column is its projection, kept in the same transaction by two triggers with the owner's
 * rights — the ledger's change of arm is copied to the person's pathways, and a pathway written
 * (inserted, or its arm or person changed by anyone) takes the arm from the ledger, so no role can
 * set it to anything else.
 */
export class ArmOnPathway extends Migration {
  override name = '029-arm-on-pathway';

  override up(): void {
    this.addSql(`alter table "pathways"."pathway" add column "trial_arm" text null;`);
    this
      .addSql(`create function "pathways"."pathway_arm_from_ledger"() returns trigger language plpgsql security definer
      set search_path = pg_catalog as $$
      begin
        new.trial_arm := (select l.trial_arm from access.ledger l where l.participant_id = new.participant_id);
        return new;
      end $$;`);
    this.addSql(`revoke all on function "pathways"."pathway_arm_from_ledger"() from public;`);
    this
      .addSql(`create trigger "pathway_arm_from_ledger" before insert or update of "trial_arm", "participant_id" on "pathways"."pathway"
      for each row execute function "pathways"."pathway_arm_from_ledger"();`);
    this.addSql(`create function "pathways"."ledger_arm_to_pathway"() returns trigger language plpgsql security definer
      set search_path = pg_catalog as $$
      begin
        update pathways.pathway set trial_arm = new.trial_arm where participant_id = new.participant_id;
        return null;
      end $$;`);
    this.addSql(`revoke all on function "pathways"."ledger_arm_to_pathway"() from public;`);
    this.addSql(`create trigger "ledger_arm_to_pathway" after update of "trial_arm" on "access"."ledger"
      for each row when (new.trial_arm is distinct from old.trial_arm) execute function "pathways"."ledger_arm_to_pathway"();`);
    // The pathways registered before: their arm as the ledger holds it.
    this.addSql(`update "pathways"."pathway" p set "trial_arm" = l."trial_arm" from "access"."ledger" l
      where l."participant_id" = p."participant_id" and l."trial_arm" is not null;`);
    // The IPS arm's open pathways without a coach, per partner, newest first (kit/connection.ts keyset).
    this.addSql(`drop index "pathways"."pathway_unassigned_keyset";`);
    this.addSql(
      `create index "pathway_unassigned_keyset" on "pathways"."pathway" ("ips_partner", "registered_at" desc, "id" desc) where "job_coach" is null and "status" = 'OPEN' and "trial_arm" = 'IPS';`,
    );
  }
}
