import { randomUUID } from 'node:crypto';
import { OptionalProps } from '@mikro-orm/core';
import { Check, Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { PathwayEntity } from './pathway.entity.js';
import { RpFormEntity } from './rp-form.entity.js';
import { DataCategoryValue } from '../../kit/domain.js';

export enum PhysicianMessageKind {
  PATHWAY_ENDED = 'PATHWAY_ENDED',
  WORK_AUTHORISATION_REQUEST = 'WORK_AUTHORISATION_REQUEST',
  RP1 = 'RP1',
  RP1IPS = 'RP1IPS',
  COACH_MESSAGE = 'COACH_MESSAGE',
}

/** The advising physician's follow-up file (R14): what the pathway's actors send them. */
@Entity({ tableName: 'physician_message' })
@Index({
  name: 'physician_message_keyset',
  expression: `create index "physician_message_keyset" on "pathways"."physician_message" ("physician_subject", "sent_at" desc, "id" desc)`,
}) // keyset pagination (kit/connection.ts)
@Check({ name: 'physician_message_params_check', expression: '(message_id IS NULL) = (message_params IS NULL)' })
export class PhysicianMessageEntity {
  [OptionalProps]?: 'id' | 'sentAt' | 'readAt' | 'notice' | 'messageId' | 'messageParams' | 'rpFormId';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid', index: true })
  participantId!: string;

  @ManyToOne(() => PathwayEntity, { mapToPk: true, fieldName: 'pathway_id' })
  pathwayId!: string;

  /** The physician of record, from the access ledger when the message was sent. */
  @Property({ length: 200, index: true })
  physicianSubject!: string;

  @Enum({ items: () => PhysicianMessageKind })
  kind!: PhysicianMessageKind;

  @Property({ length: 4000 })
  body!: string;

  /** When the platform wrote the body: its catalogue message (schema/i18n), told in the reader's language. */
  @Property({ length: 100, nullable: true })
  messageId?: string;

  /** The catalogue message's parameters (the body's own facts: act, day, registry number, the writer's text). */
  @Property({ type: 'json', nullable: true })
  messageParams?: Record<string, string>;

  /** The category of the body's content: the writer's declared one, or its source's (a contract: employment). */
  @Enum({ items: () => DataCategoryValue })
  bodyCategory!: DataCategoryValue;

  @Property({ type: 'timestamptz' })
  sentAt: Date = new Date();

  @Property({ length: 200 })
  sentBy!: string;

  @Property({ type: 'timestamptz', nullable: true })
  readAt?: Date;

  /** A notice (schema/policy.ts NOTICES): says only what its addressee needs; read by relation alone (R16). */
  @Property({ default: false })
  notice: boolean = false;

  /** The copy of an RP1 or RP1IPS carries the form itself (R10, R13): the version sent. */
  @ManyToOne(() => RpFormEntity, { mapToPk: true, fieldName: 'rp_form_id', nullable: true })
  rpFormId?: string;
}
