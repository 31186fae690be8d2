import { randomUUID } from 'node:crypto';
import { OptionalProps } from '@mikro-orm/core';
import { Entity, Index, Enum, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { PathwayEntity } from './pathway.entity.js';

/** The two mailboxes each SRE reserves for the pilot (R7). */
export enum Mailbox {
  IPS = 'IPS',
  IPS_CONTROL_GROUP = 'IPS_CONTROL_GROUP',
}

/** A referral form INAMI forwarded to the SRE of the person's region, in the mailbox of their arm (R7). */
@Entity({ tableName: 'sre_inbox_item' })
@Index({
  name: 'sre_inbox_item_keyset',
  expression: `create index "sre_inbox_item_keyset" on "pathways"."sre_inbox_item" ("employment_service", "arrived_at" desc, "id" desc)`,
}) // keyset pagination (kit/connection.ts)
export class SreInboxItemEntity {
  [OptionalProps]?: 'id' | 'arrivedAt' | 'acknowledgedAt' | 'acknowledgedBy';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** One forwarding per pathway. */
  @ManyToOne(() => PathwayEntity, { mapToPk: true, fieldName: 'pathway_id', unique: true })
  pathwayId!: string;

  @Property({ type: 'uuid', index: true })
  participantId!: string;

  @Property({ type: 'uuid' })
  referralId!: string;

  /** VDAB, FOREM or ACTIRIS. */
  @Property({ length: 20 })
  employmentService!: string;

  @Enum({ items: () => Mailbox })
  mailbox!: Mailbox;

  @Property({ type: 'timestamptz' })
  arrivedAt: Date = new Date();

  @Property({ length: 200 })
  routedBy!: string;

  @Property({ type: 'timestamptz', nullable: true })
  acknowledgedAt?: Date;

  @Property({ length: 200, nullable: true })
  acknowledgedBy?: string;
}

/** The person's registration as a free job seeker at the SRE, under the convention's code (R3). */
@Entity({ tableName: 'job_seeker_registration' })
export class JobSeekerRegistrationEntity {
  [OptionalProps]?: 'id' | 'recordedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => PathwayEntity, { mapToPk: true, fieldName: 'pathway_id', unique: true })
  pathwayId!: string;

  @Property({ type: 'uuid', index: true })
  participantId!: string;

  @Property({ length: 20 })
  employmentService!: string;

  /** The code the regional convention reserves for the pilot's free job seekers. */
  @Property({ length: 40 })
  conventionCode!: string;

  @Property({ type: 'date' })
  registeredOn!: string;

  @Property({ type: 'timestamptz' })
  recordedAt: Date = new Date();

  @Property({ length: 200 })
  recordedBy!: string;
}

/**
 * The job seeker registration codes each convention reserves at its SRE (R3: the person registers
 * "under the code reserved for the regional convention"). Reference data, changed by migrations only.
 */
@Entity({ tableName: 'reserved_registration_code' })
export class ReservedRegistrationCodeEntity {
  /** The convention's code (billing.published_convention.code), as the pathway keeps it (`ips_partner`). */
  @PrimaryKey({ length: 40 })
  conventionCode!: string;

  @PrimaryKey({ length: 40 })
  code!: string;

  /** The SRE whose register holds the code: VDAB, FOREM or ACTIRIS. */
  @Property({ length: 20 })
  employmentService!: string;
}

/** A correction of a job seeker registration by the SRE (R3): who, when, the old and the new values; kept, never changed. */
@Entity({ tableName: 'job_seeker_registration_correction' })
export class JobSeekerRegistrationCorrectionEntity {
  [OptionalProps]?: 'id' | 'correctedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => JobSeekerRegistrationEntity, { mapToPk: true, fieldName: 'registration_id', index: true })
  registrationId!: string;

  @Property({ type: 'uuid', index: true })
  participantId!: string;

  @Property({ length: 40 })
  previousConventionCode!: string;

  @Property({ length: 40 })
  conventionCode!: string;

  @Property({ type: 'date' })
  previousRegisteredOn!: string;

  @Property({ type: 'date' })
  registeredOn!: string;

  @Property({ length: 200 })
  correctedBy!: string;

  /** The SRE that corrected it. */
  @Property({ length: 20 })
  correctedByOrganisation!: string;

  @Property({ type: 'timestamptz' })
  correctedAt: Date = new Date();
}
