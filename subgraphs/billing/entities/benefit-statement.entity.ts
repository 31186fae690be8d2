import { randomUUID } from 'node:crypto';
import { OptionalProps } from '@mikro-orm/core';
import { Entity, Enum, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';

/** The incapacity benefit paid (R1a, R16): primary incapacity (the first year) or invalidity. */
export enum BenefitType {
  PRIMARY_INCAPACITY = 'PRIMARY_INCAPACITY',
  INVALIDITY = 'INVALIDITY',
}

/**
 * The health insurer's monthly statement of the incapacity benefit it paid a person: one per
 * person and month, recorded by the person's own health insurer, never changed afterwards.
 */
@Entity({ tableName: 'benefit_statement' })
@Unique({ properties: ['participantId', 'month'] })
export class BenefitStatementEntity {
  [OptionalProps]?: 'id' | 'recordedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid', index: true })
  participantId!: string;

  /** The health insurer that paid (INAMI code), the recording OA. */
  @Property({ length: 20 })
  healthInsurer!: string;

  /** The month paid, as its first day. */
  @Property({ type: 'date' })
  month!: string;

  @Enum({ items: () => BenefitType })
  benefitType!: BenefitType;

  /** Gross benefit paid for the month, in euro cents. */
  @Property()
  amountCents!: number;

  /** Benefit days paid in the month. */
  @Property()
  days!: number;

  /** Whether the advising physician's authorisation to work (art. 100 §2, R15) covered the month. */
  @Property()
  partialWorkAuthorised!: boolean;

  @Property({ type: 'timestamptz' })
  recordedAt: Date = new Date();

  @Property({ length: 200 })
  recordedBy!: string;

  /** The health insurer's file (billing.upload_batch) and line the statement came from; null when recorded one at a time. */
  @Property({ type: 'uuid', nullable: true, index: true })
  batchId?: string | null;

  @Property({ type: 'integer', nullable: true })
  batchLine?: number | null;
}
