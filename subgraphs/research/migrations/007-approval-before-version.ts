import { Migration } from '@mikro-orm/migrations';

/**
 * Four eyes inside the vault (R6, CONSORT 8b/9): the approval is recorded first, then the allocation
 * vault reads the approved proposal with its owner's rights and records the version it became
 * (allocation_vault.configure). A proposal may so be approved a moment before it has its version,
 * never have a version without an approval. An approval once recorded is never re-signed, and a
 * proposal's design never changes after it was proposed (whoever asks: the trigger runs for every role; no role that serves requests may delete one).
 */
export class ApprovalBeforeVersion extends Migration {
  override name = '007-approval-before-version';

  override up(): void {
    this.addSql(
      `alter table "research"."trial_design_proposal" drop constraint "trial_design_proposal_approval_whole";`,
    );
    this.addSql(`alter table "research"."trial_design_proposal" add constraint "trial_design_proposal_approval_whole"
      check (("approved_at" is null) = ("approved_by" is null) and ("approved_at" is null) = ("approved_by_organisation" is null) and ("version" is null or "approved_at" is not null));`);
    this
      .addSql(`create function "research"."keep_trial_design_proposal"() returns trigger language plpgsql set search_path = pg_catalog as $$
      begin
        if (new.id, new.procedure, new.block_sizes, new.maximal_imbalance, new.strata, new.rationale, new.proposed_by, new.proposed_by_organisation, new.proposed_at)
             is distinct from (old.id, old.procedure, old.block_sizes, old.maximal_imbalance, old.strata, old.rationale, old.proposed_by, old.proposed_by_organisation, old.proposed_at)
           or (old.approved_at is not null and (new.approved_by, new.approved_by_organisation, new.approved_at) is distinct from (old.approved_by, old.approved_by_organisation, old.approved_at))
           or (old.version is not null and new.version is distinct from old.version) then
          raise exception 'a trial design proposal is proposed once and approved once' using errcode = 'insufficient_privilege';
        end if;
        return new;
      end $$;`);
    this.addSql(`create trigger "trial_design_proposal_kept" before update on "research"."trial_design_proposal"
      for each row execute function "research"."keep_trial_design_proposal"();`);
  }
}
