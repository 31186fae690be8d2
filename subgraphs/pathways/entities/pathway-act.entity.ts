import { randomUUID } from 'node:crypto';
import { OptionalProps } from '@mikro-orm/core';
import { Entity, Index, Enum, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { PathwayEntity } from './pathway.entity.js';
import { DataCategoryValue } from '../../kit/domain.js';

/** The administrative acts of the pathway's actors (R8–R10, R13, R14). */
export enum PathwayActKind {
  RESOURCE_PERSON_NAMED = 'RESOURCE_PERSON_NAMED', // R8: the SRE names a resource person (IPS arm)
  REFERENCE_INTERVIEW_HELD = 'REFERENCE_INTERVIEW_HELD', // R9: interview with the reference counsellor (control arm)
  RP1_FILED = 'RP1_FILED', // R10: request to cover a vocational orientation, both arms, copied to the physician
  RP1IPS_SENT = 'RP1IPS_SENT', // R13: the job coach's form to INAMI, copied to the physician
  MESSAGE_TO_PHYSICIAN = 'MESSAGE_TO_PHYSICIAN', // R14: the referent keeps the physician informed
  MESSAGE_TO_JOB_COACH = 'MESSAGE_TO_JOB_COACH', // R14: the physician may write to the coach at any time
}

@Entity({ tableName: 'pathway_act' })
@Index({
  name: 'pathway_act_forms_keyset',
  expression: `create index "pathway_act_forms_keyset" on "pathways"."pathway_act" ("recorded_at" desc, "id" desc) where "kind" in ('RP1IPS_SENT', 'RP1_FILED')`,
}) // INAMI's act inbox of both forms (migration 021)
@Index({
  name: 'pathway_act_kind_keyset',
  expression: `create index "pathway_act_kind_keyset" on "pathways"."pathway_act" ("kind", "recorded_at" desc, "id" desc)`,
}) // keyset pagination (kit/connection.ts)
export class PathwayActEntity {
  [OptionalProps]?: 'id' | 'recordedAt' | 'person';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => PathwayEntity, { mapToPk: true, fieldName: 'pathway_id', index: true })
  pathwayId!: string;

  @Property({ type: 'uuid', index: true })
  participantId!: string;

  @Enum({ items: () => PathwayActKind })
  kind!: PathwayActKind;

  @Property({ type: 'date' })
  actOn!: string;

  /** The resource person or reference counsellor named (R8, R9). */
  @Property({ length: 200, nullable: true })
  person?: string;

  @Property({ length: 2000 })
  detail!: string;

  /** The category of the detail's content, declared by its writer (R18): who may read it follows from it. */
  @Enum({ items: () => DataCategoryValue })
  detailCategory!: DataCategoryValue;

  @Property({ length: 200 })
  actor!: string;

  @Property({ type: 'timestamptz' })
  recordedAt: Date = new Date();
}
