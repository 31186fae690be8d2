import { randomUUID } from 'node:crypto';
import { OptionalProps } from '@mikro-orm/core';
import { Check, Entity, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import { IdempotentEntity } from '../../kit/idempotency.js';

/**
 * A randomisation design as one researcher proposed it, and — once a second researcher approved it
 * (R6, CONSORT 8b/9: four eyes) — the version of the allocation vault's design it became: the vault
 * reads the approved proposal and records the version itself (allocation_vault.configure). The table
 * holds the four-eyes rule too (an approver is never the proposer). Written by RandomisationService.
 */
@Entity({
  tableName: 'trial_design_proposal',
  comment:
    'R6, CONSORT 8b/9: randomisation designs proposed by a researcher, live once a second researcher approves them (version of the allocation vault).',
})
@Unique({ properties: ['requestedBy', 'idempotencyKey'] })
@Unique({ name: 'trial_design_proposal_version_unique', properties: ['version'] })
@Check({
  name: 'trial_design_proposal_procedure_check',
  expression: "(procedure = ANY (ARRAY['PERMUTED_BLOCKS'::text, 'BIG_STICK'::text]))",
})
@Check({
  name: 'trial_design_proposal_approval_whole',
  expression:
    '((((approved_at IS NULL) = (approved_by IS NULL)) AND ((approved_at IS NULL) = (approved_by_organisation IS NULL))) AND ((version IS NULL) OR (approved_at IS NOT NULL)))',
})
@Check({
  name: 'trial_design_proposal_four_eyes',
  expression:
    '((approved_by IS NULL) OR ((approved_by)::text <> (proposed_by)::text) OR ((approved_by_organisation)::text <> (proposed_by_organisation)::text))',
})
export class TrialDesignProposalEntity extends IdempotentEntity {
  [OptionalProps]?: 'id' | 'proposedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'text' })
  procedure!: string;

  @Property({ type: 'int[]', nullable: true })
  blockSizes?: number[] | null;

  @Property({ type: 'int', nullable: true })
  maximalImbalance?: number | null;

  @Property({ type: 'text[]' })
  strata!: string[];

  @Property({ type: 'text' })
  rationale!: string;

  @Property({ length: 200 })
  proposedBy!: string;

  @Property({ length: 100 })
  proposedByOrganisation!: string;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  proposedAt: Date = new Date();

  @Property({ length: 200, nullable: true })
  approvedBy?: string | null;

  @Property({ length: 100, nullable: true })
  approvedByOrganisation?: string | null;

  @Property({ type: 'timestamptz', nullable: true })
  approvedAt?: Date | null;

  @Property({ type: 'int', nullable: true })
  version?: number | null;
}
