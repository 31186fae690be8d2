import { randomUUID } from 'node:crypto';
import { OptionalProps } from '@mikro-orm/core';
import { Check, Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import { PathwayActEntity } from './pathway-act.entity.js';
import { PathwayEntity } from './pathway.entity.js';
import { DataCategoryValue } from '../../kit/domain.js';

/** The two forms to INAMI (seeds/002): the SRE's RP1 (R10) and the job coach's RP1IPS (R13). */
export enum RpFormKind {
  RP1 = 'RP1',
  RP1IPS = 'RP1IPS',
}

/**
 * What the form asks INAMI. The RP1's kind is in the texts (« un RP1 pour la prise en charge d'une orientation
 * professionnelle »); the RP1IPS's are an assumption: the texts call it the coach's means of communication with
 * INAMI during the pilot, so it opens, reports on and ends the IPS pathway.
 */
export enum RpRequestKind {
  VOCATIONAL_ORIENTATION = 'VOCATIONAL_ORIENTATION',
  IPS_PATHWAY_START = 'IPS_PATHWAY_START',
  IPS_PROGRESS_REPORT = 'IPS_PROGRESS_REPORT',
  IPS_PATHWAY_END = 'IPS_PATHWAY_END',
}

/**
 * One version of an RP1 or RP1IPS form. A version is never changed (the table refuses updates); a correction is
 * the next version of the same form (`formId`), naming the one it supersedes, and every version stays readable.
 */
@Entity({ tableName: 'rp_form' })
@Unique({ name: 'rp_form_version_unique', properties: ['formId', 'version'] })
@Index({ name: 'rp_form_pathway_order', properties: ['pathwayId', 'sentAt'] })
@Check({ name: 'rp_form_version_check', expression: '(version >= 1)' })
@Check({ name: 'rp_form_period_check', expression: '((period_to IS NULL) OR (period_to >= period_from))' })
@Check({
  name: 'rp_form_first_version_check',
  expression: '(((version = 1) = (supersedes_id IS NULL)) AND ((version > 1) OR (form_id = id)))',
})
@Check({
  name: 'rp_form_plan_category_free_text_check',
  expression:
    "((plan_category)::text = ANY ((ARRAY['administrative'::character varying, 'health'::character varying, 'employment'::character varying, 'benefits'::character varying])::text[]))",
})
export class RpFormEntity {
  [OptionalProps]?: 'id' | 'sentAt' | 'supersedesId' | 'objectives' | 'plannedSteps' | 'periodTo';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** The form every version of which shares this id: its first version's id. */
  @Property({ type: 'uuid' })
  formId!: string;

  @Property({ type: 'integer' })
  version!: number;

  /** The version this one corrects, none for a first version. */
  @ManyToOne(() => RpFormEntity, { mapToPk: true, fieldName: 'supersedes_id', nullable: true, unique: true })
  supersedesId?: string;

  @ManyToOne(() => PathwayEntity, { mapToPk: true, fieldName: 'pathway_id' })
  pathwayId!: string;

  @Property({ type: 'uuid', index: true })
  participantId!: string;

  @Enum({ items: () => RpFormKind })
  form!: RpFormKind;

  @Enum({ items: () => RpRequestKind })
  requestKind!: RpRequestKind;

  /** The person's referent for this form: the SRE counsellor who files the RP1, the pathway's job coach for an RP1IPS. */
  @Property({ length: 200 })
  referent!: string;

  @Property({ length: 20 })
  referentRole!: string;

  @Property({ length: 4000, nullable: true })
  objectives?: string;

  @Property({ length: 4000, nullable: true })
  plannedSteps?: string;

  /** The category of the plan's text (objectives and planned steps), declared by its writer (R18). */
  @Enum({ items: () => DataCategoryValue })
  planCategory!: DataCategoryValue;

  @Property({ type: 'date' })
  periodFrom!: string;

  @Property({ type: 'date', nullable: true })
  periodTo?: string;

  @Property({ type: 'date' })
  signedOn!: string;

  @Property({ length: 200 })
  signedBy!: string;

  @Property({ length: 20 })
  signerRole!: string;

  @Property({ length: 20 })
  signerOrganisation!: string;

  /** INAMI's mailbox the form goes to (seeds/002). */
  @Property({ length: 100 })
  sentTo!: string;

  /** The physician of record the copy went to (R10, R13, R14). */
  @Property({ length: 200 })
  copiedTo!: string;

  /** The act that puts it in INAMI's inbox and the pathway's timeline. */
  @ManyToOne(() => PathwayActEntity, { mapToPk: true, fieldName: 'act_id', unique: true })
  actId!: string;

  @Property({ type: 'timestamptz' })
  sentAt: Date = new Date();
}
