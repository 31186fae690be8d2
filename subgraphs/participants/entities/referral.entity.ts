import { randomUUID } from 'node:crypto';
import { OptionalProps, type Ref } from '@mikro-orm/core';
import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Region } from '../../kit/domain.js';
import { IdempotentEntity } from '../../kit/idempotency.js';
import { ParticipantEntity } from './participant.entity.js';

/** The regional referral form (R3). */
export enum RegionalForm {
  /** Flanders: aanmeldingsformulier */
  AANMELDINGSFORMULIER = 'AANMELDINGSFORMULIER',
  /** Wallonia (Charleroi, Liège): FIF */
  FIF = 'FIF',
  /** Brussels: FIA */
  FIA = 'FIA',
}

/** The form each region uses (R3). */
export const FORM_OF_REGION: Record<Region, RegionalForm> = {
  [Region.FLANDERS]: RegionalForm.AANMELDINGSFORMULIER,
  [Region.WALLONIA]: RegionalForm.FIF,
  [Region.BRUSSELS]: RegionalForm.FIA,
};

/** A form is accepted only with all six confirmations of R1 (a–f), so a stored form holds them all. */
export const ALL_R1_CONFIRMATIONS = {
  meetsIncapacityAndMentalDisorderConditions: true,
  needsVocationalRehabilitation: true,
  needsIntensiveSupport: true,
  wantsToReturnToWork: true,
  consentsToInformationSharing: true,
  consentsToResearch: true,
} as const;

/**
 * A referral form as signed by the advising physician and the person (R1, R3),
 * sent to INAMI's single intake (R4). Immutable once submitted.
 */
@Entity({ tableName: 'referral' })
@Index({
  name: 'referral_region_submitted_keyset',
  expression: `create index "referral_region_submitted_keyset" on "participants"."referral" ("region", "submitted_at" desc, "id" desc)`,
}) // keyset pagination (kit/connection.ts)
@Index({
  name: 'referral_submitted_keyset',
  expression: `create index "referral_submitted_keyset" on "participants"."referral" ("submitted_at" desc, "id" desc)`,
}) // keyset pagination (kit/connection.ts)
@Unique({ properties: ['requestedBy', 'idempotencyKey'] })
@Index({ properties: ['participant'] })
export class ReferralEntity extends IdempotentEntity {
  [OptionalProps]?: 'id' | 'submittedAt' | 'version' | 'supersedes';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => ParticipantEntity, { ref: true })
  participant!: Ref<ParticipantEntity>;

  /** 1 for the form as first signed; each amendment is a new version (R3: the signed copy never changes). */
  @Property()
  version: number = 1;

  /** The version this one corrects; a version is corrected at most once. */
  @Property({ type: 'uuid', nullable: true, unique: true })
  supersedes?: string;

  @Enum({ items: () => RegionalForm })
  form!: RegionalForm;

  /** Region at referral time; decides the form and, later, the SRE (R7). */
  @Enum({ items: () => Region })
  region!: Region;

  // The six confirmations of R1, (a) to (f); a form is accepted only with all six.
  @Property()
  meetsIncapacityAndMentalDisorderConditions!: boolean;

  @Property()
  needsVocationalRehabilitation!: boolean;

  @Property()
  needsIntensiveSupport!: boolean;

  @Property()
  wantsToReturnToWork!: boolean;

  @Property()
  consentsToInformationSharing!: boolean;

  @Property()
  consentsToResearch!: boolean;

  @Property({ type: 'date' })
  signedOn!: string;

  /** Subject of the advising physician who signed the form. */
  @Property({ length: 200 })
  referringPhysician!: string;

  /** The physician's health insurer (OA code). */
  @Property({ length: 20 })
  healthInsurer!: string;

  @Property({ type: 'timestamptz' })
  submittedAt: Date = new Date();
}
