import { randomUUID } from 'node:crypto';
import { OptionalProps } from '@mikro-orm/core';
import { Entity, Enum, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import { IdempotentEntity } from '../../kit/idempotency.js';
import { Region } from '../../kit/domain.js';

export enum TrialArm {
  IPS = 'IPS',
  CONTROL = 'CONTROL',
}

/**
 * A participant's trial arm (R6), written only by the allocation vault's function
 * (research/vault): immutable once made (database trigger), one per person.
 */
@Entity({ tableName: 'allocation' })
@Unique({ properties: ['requestedBy', 'idempotencyKey'] })
export class AllocationEntity extends IdempotentEntity {
  [OptionalProps]?: 'id' | 'allocatedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** At most one allocation per person, ever. */
  @Property({ type: 'uuid', unique: true })
  participantId!: string;

  @Enum({ items: () => TrialArm })
  arm!: TrialArm;

  /** The person's region at allocation. */
  @Enum({ items: () => Region })
  region!: Region;

  /** Randomisation stratum (the region, under the current design). */
  @Property({ length: 40 })
  stratum!: string;

  /** Position in the vault's draw sequence: a gap means a rolled-back draw. */
  @Property({ type: 'bigint', unique: true })
  drawNumber!: string;

  /** Version of the trial design the draw followed. */
  @Property()
  configVersion!: number;

  @Property({ type: 'timestamptz' })
  allocatedAt: Date = new Date();
}
