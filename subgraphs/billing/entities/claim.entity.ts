import { randomUUID } from 'node:crypto';
import { OptionalProps } from '@mikro-orm/core';
import { Check, Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import { ConventionEntity } from './convention.entity.js';

export enum ClaimStatus {
  /** Submitted by the partner's supervisor: INAMI decides each line. */
  SUBMITTED = 'SUBMITTED',
  /** Every line decided, at least one approved: the claim never changes again; corrections are credit notes. */
  APPROVED = 'APPROVED',
  /** Every line rejected. */
  REJECTED = 'REJECTED',
}

export enum ClaimLineDecision {
  APPROVED = 'APPROVED',
  REJECTED = 'REJECTED',
}

/** One source record of a line (claim-lines.ts ClaimLineSource): a membership and its days, or a pathway started. */
export interface StoredLineSource {
  reference: string;
  kind: 'STAFF_MEMBERSHIP' | 'PATHWAY';
  fteHundredths: number | null;
  from: string;
  to: string;
  days: number;
  counted: boolean;
}

/** A partner's claim for one month under its convention (R17): one per convention and period. */
@Entity({ tableName: 'claim' })
@Unique({ properties: ['convention', 'period'] })
export class ClaimEntity {
  [OptionalProps]?: 'id' | 'submittedAt' | 'decidedAt' | 'idempotencyKey' | 'requestedBy' | 'requestFingerprint';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => ConventionEntity)
  convention!: ConventionEntity;

  /** The convention's code: the partner. */
  @Property({ length: 40 })
  code!: string;

  /** YYYY-MM. */
  @Property({ length: 7 })
  period!: string;

  /** The convention's version the lines were computed from. */
  @Property()
  conventionVersion!: number;

  @Enum({ items: () => ClaimStatus })
  status!: ClaimStatus;

  /** The sum of the lines as claimed, in euro cents. */
  @Property()
  claimedCents!: number;

  @Property({ length: 200 })
  submittedBy!: string;

  @Property({ type: 'timestamptz' })
  submittedAt: Date = new Date();

  @Property({ type: 'timestamptz', nullable: true })
  decidedAt?: Date | null;

  @Property({ length: 100, nullable: true })
  idempotencyKey?: string | null;

  @Property({ length: 400, nullable: true })
  requestedBy?: string | null;

  @Property({ length: 64, nullable: true })
  requestFingerprint?: string | null;
}

/** One line of a claim, with its source records and INAMI's decision. */
@Entity({ tableName: 'claim_line' })
@Unique({ properties: ['claim', 'position'] })
@Check({
  name: 'claim_line_kind_check',
  expression: "kind = ANY (ARRAY['COACH_FTE_MONTHS'::text, 'SUPERVISOR_FTE_MONTHS'::text, 'PATHWAY_STARTS'::text])",
})
@Check({
  name: 'claim_line_decision_check',
  expression: "(decision IS NULL) OR (decision = ANY (ARRAY['APPROVED'::text, 'REJECTED'::text]))",
})
@Check({
  name: 'claim_line_rejection_reason',
  expression: "(decision IS DISTINCT FROM 'REJECTED'::text) OR (decision_reason IS NOT NULL)",
})
@Check({ name: 'claim_line_amount_check', expression: '(amount_cents >= 0)' })
export class ClaimLineEntity {
  [OptionalProps]?: 'id' | 'fundedQuantity' | 'decision' | 'decisionReason' | 'decidedBy' | 'decidedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => ClaimEntity)
  claim!: ClaimEntity;

  @Property()
  position!: number;

  @Property({ type: 'text' })
  kind!: 'COACH_FTE_MONTHS' | 'SUPERVISOR_FTE_MONTHS' | 'PATHWAY_STARTS';

  @Property()
  quantity!: number;

  @Property({ type: 'integer', nullable: true })
  fundedQuantity?: number | null;

  @Property()
  paidQuantity!: number;

  @Property()
  unitCents!: number;

  @Property()
  amountCents!: number;

  @Property({ length: 1000 })
  explanation!: string;

  @Property({ type: 'json' })
  sources!: StoredLineSource[];

  @Property({ type: 'text', nullable: true })
  decision?: ClaimLineDecision | null;

  @Property({ length: 2000, nullable: true })
  decisionReason?: string | null;

  @Property({ length: 200, nullable: true })
  decidedBy?: string | null;

  @Property({ type: 'timestamptz', nullable: true })
  decidedAt?: Date | null;
}

/** A credit note correcting an approved claim (the claim itself never changes): its lines are negative amounts on the claim's lines. */
@Entity({ tableName: 'credit_note' })
@Index({ properties: ['claim'] })
export class CreditNoteEntity {
  [OptionalProps]?: 'id' | 'issuedAt' | 'idempotencyKey' | 'requestedBy' | 'requestFingerprint';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => ClaimEntity)
  claim!: ClaimEntity;

  @Property({ length: 2000 })
  reason!: string;

  /** The sum of its lines: negative. */
  @Property()
  totalCents!: number;

  @Property({ length: 200 })
  issuedBy!: string;

  @Property({ length: 100 })
  issuedByOrganisation!: string;

  @Property({ type: 'timestamptz' })
  issuedAt: Date = new Date();

  @Property({ length: 100, nullable: true })
  idempotencyKey?: string | null;

  @Property({ length: 400, nullable: true })
  requestedBy?: string | null;

  @Property({ length: 64, nullable: true })
  requestFingerprint?: string | null;
}

@Entity({ tableName: 'credit_note_line' })
@Check({ name: 'credit_note_line_amount_check', expression: '(amount_cents < 0)' })
export class CreditNoteLineEntity {
  [OptionalProps]?: 'id';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => CreditNoteEntity)
  creditNote!: CreditNoteEntity;

  /** The approved claim line it corrects. */
  @ManyToOne(() => ClaimLineEntity)
  claimLine!: ClaimLineEntity;

  @Property()
  amountCents!: number;
}

/** A payment INAMI made on an approved claim: its date, its bank reference, its amount. */
@Entity({ tableName: 'claim_payment' })
@Index({ properties: ['claim'] })
@Check({ name: 'claim_payment_amount_check', expression: '(amount_cents > 0)' })
export class ClaimPaymentEntity {
  [OptionalProps]?: 'id' | 'recordedAt' | 'idempotencyKey' | 'requestedBy' | 'requestFingerprint';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => ClaimEntity)
  claim!: ClaimEntity;

  @Property({ type: 'date' })
  paidOn!: string;

  @Property({ length: 100 })
  reference!: string;

  @Property()
  amountCents!: number;

  @Property({ length: 200 })
  recordedBy!: string;

  @Property({ type: 'timestamptz' })
  recordedAt: Date = new Date();

  @Property({ length: 100, nullable: true })
  idempotencyKey?: string | null;

  @Property({ length: 400, nullable: true })
  requestedBy?: string | null;

  @Property({ length: 64, nullable: true })
  requestFingerprint?: string | null;
}
