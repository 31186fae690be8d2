import { randomUUID } from 'node:crypto';
import { OptionalProps } from '@mikro-orm/core';
import { Check, Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import { ConventionEntity } from './convention.entity.js';

export enum AmendmentStatus {
  /** A change of money waiting for a second INAMI agent (four eyes). */
  PROPOSED = 'PROPOSED',
  /** In force: it made the convention's version `version`. */
  APPLIED = 'APPLIED',
}

/** One term changed by an amendment, with its value before and after (null: not set). */
export interface TermChange {
  term: string;
  old: number | string | null;
  new: number | string | null;
}

/** An amendment of a convention (R17): who proposed it and why, who approved it, and what it changed. */
@Entity({ tableName: 'convention_amendment' })
@Index({ properties: ['convention', 'proposedAt'] })
@Unique({ properties: ['convention', 'version'] })
@Check({
  name: 'convention_amendment_four_eyes',
  expression:
    '(approved_at IS NULL) OR ((approved_by)::text <> (proposed_by)::text) OR ((approved_by_organisation)::text <> (proposed_by_organisation)::text)',
})
export class ConventionAmendmentEntity {
  [OptionalProps]?:
    | 'id'
    | 'proposedAt'
    | 'version'
    | 'approvedBy'
    | 'approvedByOrganisation'
    | 'approvedAt'
    | 'idempotencyKey'
    | 'requestedBy'
    | 'requestFingerprint';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => ConventionEntity)
  convention!: ConventionEntity;

  /** The convention's version this amendment changes: approved only while it is still the one in force. */
  @Property()
  basedOnVersion!: number;

  /** The version it made, once applied. */
  @Property({ type: 'integer', nullable: true })
  version?: number | null;

  @Enum({ items: () => AmendmentStatus })
  status!: AmendmentStatus;

  @Property({ length: 2000 })
  reason!: string;

  @Property({ type: 'json' })
  changes!: TermChange[];

  /** Whether it changes an amount or a staffing the amounts multiply (CONVENTION_MONEY_TERMS): two persons. */
  @Property()
  changesMoney!: boolean;

  @Property({ length: 200 })
  proposedBy!: string;

  @Property({ length: 100 })
  proposedByOrganisation!: string;

  @Property({ type: 'timestamptz' })
  proposedAt: Date = new Date();

  @Property({ length: 200, nullable: true })
  approvedBy?: string | null;

  @Property({ length: 100, nullable: true })
  approvedByOrganisation?: string | null;

  @Property({ type: 'timestamptz', nullable: true })
  approvedAt?: Date | null;

  @Property({ length: 100, nullable: true })
  idempotencyKey?: string | null;

  @Property({ length: 400, nullable: true })
  requestedBy?: string | null;

  @Property({ length: 64, nullable: true })
  requestFingerprint?: string | null;
}
