import { OptionalProps } from '@mikro-orm/core';
import { Check, Entity, Enum, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/** Where a wave was opened (R12): by the participant at home, or at the partner's computer. */
/** A wave's state (R12), derived by research.questionnaire_wave_status from the schedule and the answers. */
export enum QuestionnaireWaveState {
  SCHEDULED = 'SCHEDULED',
  DUE = 'DUE',
  OPEN = 'OPEN',
  COMPLETED = 'COMPLETED',
  MISSED = 'MISSED',
}

export enum QuestionnaireWhere {
  HOME = 'HOME',
  PARTNER = 'PARTNER',
}

/** A coded answer as stored: the FHIR answer value of the item's type (no free text in the instrument). */
export type StoredAnswer = string | number | boolean;

/**
 * One questionnaire wave of one participant (R12), once opened: the instrument version it is
 * answered on, where it was (last) opened, the answers saved so far by linkId (category research),
 * and its completion, once. Waves not yet opened exist only in the status view (migration 004).
 */
@Entity({
  tableName: 'questionnaire_wave',
  comment: 'R12: a questionnaire wave opened by or for a participant, and its answers (category research).',
})
@Check({ name: 'questionnaire_wave_wave_check', expression: '(wave >= 0) AND (wave <= 5)' })
export class QuestionnaireWaveEntity {
  [OptionalProps]?: 'answers' | 'answeredAt' | 'completedAt';

  @PrimaryKey({ type: 'uuid' })
  participantId!: string;

  /** 0 = baseline at allocation, then one every six months: 1…5 (30 months). */
  @PrimaryKey({ type: 'smallint' })
  wave!: number;

  /** The FHIR Questionnaire.version the wave is answered on (research/instrument). */
  @Property({ length: 40 })
  instrumentVersion!: string;

  @Property({ type: 'timestamptz' })
  openedAt!: Date;

  @Enum({ items: () => QuestionnaireWhere })
  openedWhere!: QuestionnaireWhere;

  /** Who opened it last: the partner's staff member (role:organisation/subject), or `PARTICIPANT:self` (no NISS in research data, R19). */
  @Property({ length: 200 })
  openedBy!: string;

  /** linkId → the answer's value, validated against the wave's instrument (research data, R19). */
  @Property({ type: 'json' })
  answers: Record<string, StoredAnswer> = {};

  @Property({ type: 'timestamptz', nullable: true })
  answeredAt?: Date | null;

  @Property({ type: 'timestamptz', nullable: true })
  completedAt?: Date | null;
}
