import { Migration } from '@mikro-orm/migrations';

/**
 * R6, CONSORT 8b/9: a randomisation design is proposed by one researcher and goes live (becomes a
 * version of the allocation vault's design) only when a second researcher approves it. The proposal
 * keeps who proposed and who approved, when and why: the design history the CONSORT flow reports.
 * The database holds the four-eyes rule too: an approver is never the proposer.
 */
export class TrialDesignApproval extends Migration {
  override name = '006-trial-design-approval';

  override up(): void {
    this.addSql(`create table "research"."trial_design_proposal" (
      "id" uuid not null primary key,
      "procedure" text not null,
      "block_sizes" int[] null,
      "maximal_imbalance" int null,
      "strata" text[] not null,
      "rationale" text not null,
      "proposed_by" varchar(200) not null,
      "proposed_by_organisation" varchar(100) not null,
      "proposed_at" timestamptz not null default now(),
      "approved_by" varchar(200) null,
      "approved_by_organisation" varchar(100) null,
      "approved_at" timestamptz null,
      "version" int null,
      "idempotency_key" varchar(100) not null,
      "requested_by" varchar(200) not null,
      "request_fingerprint" varchar(64) not null,
      constraint "trial_design_proposal_procedure_check" check ("procedure" in ('PERMUTED_BLOCKS', 'BIG_STICK')),
      constraint "trial_design_proposal_approval_whole" check (("approved_at" is null) = ("approved_by" is null) and ("approved_at" is null) = ("version" is null) and ("approved_at" is null) = ("approved_by_organisation" is null)),
      constraint "trial_design_proposal_four_eyes" check ("approved_by" is null or "approved_by" <> "proposed_by" or "approved_by_organisation" <> "proposed_by_organisation"),
      constraint "trial_design_proposal_version_unique" unique ("version"),
      constraint "trial_design_proposal_requested_by_idempotency_key_unique" unique ("requested_by", "idempotency_key")
    );`);
    this.addSql(
      `comment on table "research"."trial_design_proposal" is 'R6, CONSORT 8b/9: randomisation designs proposed by a researcher, live once a second researcher approves them (version of the allocation vault).';`,
    );
  }
}
