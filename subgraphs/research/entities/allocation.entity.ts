import { randomUUID } from 'node:crypto';
import { OptionalProps } from '@mikro-orm/core';
import { Entity, Enum, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Region } from '../../kit/domain.js';

export enum TrialArm {
  IPS = 'IPS',
  CONTROL = 'CONTROL',
}

/**
 * A participant's trial arm (R6). Placeholder for the randomisation module: no row
 * is created until the real, concealed allocation exists (no fake random here).
 */
@Entity({ tableName: 'allocation' })
export class AllocationEntity {
  [OptionalProps]?: 'id' | 'allocatedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** At most one allocation per person, ever. */
  @Property({ type: 'uuid', unique: true })
  participantId!: string;

  @Enum({ items: () => TrialArm })
  arm!: TrialArm;

  /** Stratum: the person's region at allocation. */
  @Enum({ items: () => Region })
  region!: Region;

  @Property({ type: 'timestamptz' })
  allocatedAt: Date = new Date();
}
