import { randomUUID } from 'node:crypto';
import { OptionalProps } from '@mikro-orm/core';
import { Entity, Index, Enum, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { PathwayEntity } from './pathway.entity.js';

/** A collective welcome session the SRE organises with the region's IPS partner (R8, R11). */
@Entity({ tableName: 'welcome_session' })
@Index({ name: 'welcome_session_sre_keyset', expression: `create index "welcome_session_sre_keyset" on "pathways"."welcome_session" ("employment_service", "held_on" desc, "id" desc)` }) // keyset pagination (kit/connection.ts)
@Index({ name: 'welcome_session_partner_keyset', expression: `create index "welcome_session_partner_keyset" on "pathways"."welcome_session" ("ips_partner", "held_on" desc, "id" desc)` }) // keyset pagination (kit/connection.ts)
export class WelcomeSessionEntity {
  [OptionalProps]?: 'id' | 'attendanceRecordedAt';

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

  @Property({ type: 'timestamptz', nullable: true })
  attendanceRecordedAt?: Date;
}

/** One IPS-arm person invited to a welcome session; present or absent once recorded (R8, R11). */
@Entity({ tableName: 'welcome_invitation' })
export class WelcomeInvitationEntity {
  [OptionalProps]?: 'id' | 'attended';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => WelcomeSessionEntity, { mapToPk: true, fieldName: 'session_id', index: true })
  sessionId!: string;

  @ManyToOne(() => PathwayEntity, { mapToPk: true, fieldName: 'pathway_id', unique: true })
  pathwayId!: string;

  @Property({ type: 'uuid', index: true })
  participantId!: string;

  @Property({ nullable: true })
  attended?: boolean;
}

export enum MeetingKind {
  FIRST = 'FIRST',
  FOLLOW_UP = 'FOLLOW_UP',
}

/** An individual meeting with the job coach (R11): from the first one, the coach is the referent. */
@Entity({ tableName: 'individual_meeting' })
export class IndividualMeetingEntity {
  [OptionalProps]?: 'id' | 'heldOn';

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
}
