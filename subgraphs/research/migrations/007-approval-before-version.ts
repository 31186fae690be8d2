import { Migration } from '@mikro-orm/migrations';

/**
 * Four eyes inside the vault (R6, CONSORT 8b/9): the approval is recorded first, then the allocation
 * vault reads the approved proposal with its owner's rights and records the version it became
 * (allocation_vault.configure). A proposal may so be approved a moment before it has its version,
 * never have a version without an approval.
 */
export class ApprovalBeforeVersion extends Migration {
  override name = '007-approval-before-version';

  override up(): void {
    this.addSql(`alter table "research"."trial_design_proposal" drop constraint "trial_design_proposal_approval_whole";`);
    this.addSql(`alter table "research"."trial_design_proposal" add constraint "trial_design_proposal_approval_whole"
      check (("approved_at" is null) = ("approved_by" is null) and ("approved_at" is null) = ("approved_by_organisation" is null) and ("version" is null or "approved_at" is not null));`);
  }
}
