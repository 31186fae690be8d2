import { randomUUID } from 'node:crypto';
import { Collection, OptionalProps } from '@mikro-orm/core';
import { Entity, Index, Enum, OneToMany, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Region } from '../../kit/domain.js';
import { ReferralEntity } from './referral.entity.js';

/** Recognised work incapacity (R1a, R16): primary incapacity the first year, invalidity after. */
export enum IncapacityStatus {
  PRIMARY_INCAPACITY = 'PRIMARY_INCAPACITY',
  INVALIDITY = 'INVALIDITY',
}

/** An insured person referred to the pilot (assuré social / sociaal verzekerde). */
@Entity({ tableName: 'participant' })
@Index({
  name: 'participant_region_created_keyset',
  expression: `create index "participant_region_created_keyset" on "participants"."participant" ("region", "created_at" desc, "id" desc)`,
}) // keyset pagination (kit/connection.ts)
@Index({
  name: 'participant_created_keyset',
  expression: `create index "participant_created_keyset" on "participants"."participant" ("created_at" desc, "id" desc)`,
}) // keyset pagination (kit/connection.ts)
export class ParticipantEntity {
  [OptionalProps]?: 'id' | 'createdAt' | 'incapacityEndedOn';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** National number (NISS / INSZ), digits only: a direct identifier. */
  @Property({ length: 11, unique: true })
  niss!: string;

  @Property({ length: 200 })
  givenName!: string;

  @Property({ length: 200 })
  familyName!: string;

  @Property({ type: 'date' })
  birthDate!: string;

  @Enum({ items: () => Region })
  region!: Region;

  @Property({ length: 4 })
  postcode!: string;

  /** INAMI code of the health insurer (e.g. `OA-300`). */
  @Property({ length: 20 })
  healthInsurer!: string;

  /** Which benefit the person receives for their work incapacity. */
  @Enum({ items: () => IncapacityStatus })
  incapacityStatus!: IncapacityStatus;

  /** When the physician ended the recognition of incapacity (never while a pathway is open, R16). */
  @Property({ type: 'date', nullable: true })
  incapacityEndedOn?: string;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @OneToMany(() => ReferralEntity, (referral) => referral.participant)
  referrals = new Collection<ReferralEntity>(this);
}
