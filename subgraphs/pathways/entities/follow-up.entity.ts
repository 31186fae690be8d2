import { randomUUID } from 'node:crypto';
import { OptionalProps } from '@mikro-orm/core';
import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import { PathwayEntity } from './pathway.entity.js';

/** A collective welcome session the SRE organises with the region's IPS partner (R8, R11). */
@Entity({ tableName: 'welcome_session' })
@Index({
  name: 'welcome_session_sre_keyset',
  expression: `create index "welcome_session_sre_keyset" on "pathways"."welcome_session" ("employment_service", "held_on" desc, "id" desc)`,
}) // keyset pagination (kit/connection.ts)
@Index({
  name: 'welcome_session_partner_keyset',
  expression: `create index "welcome_session_partner_keyset" on "pathways"."welcome_session" ("ips_partner", "held_on" desc, "id" desc)`,
}) // keyset pagination (kit/connection.ts)
export class WelcomeSessionEntity {
  [OptionalProps]?: 'id' | 'attendanceRecordedAt' | 'attendanceRecordedBy' | 'organisedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ length: 20 })
  employmentService!: string;

  @Property({ length: 40 })
  ipsPartner!: string;

  @Property({ type: 'date' })
  heldOn!: string;

  @Property({ length: 200 })
  place!: string;

  @Property({ length: 200 })
  organisedBy!: string;

  /** When the SRE organised it (the invitations' place in the timeline). */
  @Property({ type: 'timestamptz' })
  organisedAt: Date = new Date();

  @Property({ type: 'timestamptz', nullable: true })
  attendanceRecordedAt?: Date;

  /** Who recorded who came: the partner's supervisor (the timeline names them, not the SRE). */
  @Property({ length: 200, nullable: true })
  attendanceRecordedBy?: string;
}

/**
 * One IPS-arm person invited to a welcome session; present or absent once recorded (R8, R11).
 * Someone absent is invited to a later session: once per session, never while one is pending.
 */
@Entity({ tableName: 'welcome_invitation' })
@Unique({ properties: ['sessionId', 'pathwayId'] })
export class WelcomeInvitationEntity {
  [OptionalProps]?: 'id' | 'attended' | 'attendanceMarkedAt' | 'attendanceMarkedBy';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => WelcomeSessionEntity, { mapToPk: true, fieldName: 'session_id', index: true })
  sessionId!: string;

  @ManyToOne(() => PathwayEntity, { mapToPk: true, fieldName: 'pathway_id', index: true })
  pathwayId!: string;

  @Property({ type: 'uuid', index: true })
  participantId!: string;

  @Property({ nullable: true })
  attended?: boolean;

  /** When the partner last marked this person present or absent (from the session's list, or for the whole session at once). */
  @Property({ type: 'timestamptz', nullable: true })
  attendanceMarkedAt?: Date;

  @Property({ length: 200, nullable: true })
  attendanceMarkedBy?: string;
}

export enum MeetingKind {
  FIRST = 'FIRST',
  FOLLOW_UP = 'FOLLOW_UP',
}

/**
 * An individual meeting with the referent (R9, R11): the first one, planned for everyone after the
 * welcome session, then the follow-up meetings the referent plans until the pathway ends.
 */
@Entity({ tableName: 'individual_meeting' })
export class IndividualMeetingEntity {
  [OptionalProps]?: 'id' | 'heldOn' | 'plannedAt' | 'heldBy' | 'heldRecordedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => PathwayEntity, { mapToPk: true, fieldName: 'pathway_id', index: true })
  pathwayId!: string;

  @Property({ type: 'uuid', index: true })
  participantId!: string;

  @Enum({ items: () => MeetingKind })
  kind!: MeetingKind;

  @Property({ type: 'date' })
  scheduledFor!: string;

  @Property({ type: 'date', nullable: true })
  heldOn?: string;

  @Property({ length: 200 })
  scheduledBy!: string;

  /** When it was planned (the timeline's order within its day). */
  @Property({ type: 'timestamptz' })
  plannedAt: Date = new Date();

  /** Who recorded that it took place: the referent. */
  @Property({ length: 200, nullable: true })
  heldBy?: string;

  @Property({ type: 'timestamptz', nullable: true })
  heldRecordedAt?: Date;
}
