import { randomUUID } from 'node:crypto';
import { OptionalProps } from '@mikro-orm/core';
import { Check, Entity, Index, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import { IdempotentEntity } from '../../kit/idempotency.js';

/**
 * An entry of the anonymous screening log (CONSORT enrolment): a person an advising physician
 * assessed and did not refer, with no identity — the month, the region, the physician's health
 * insurer and the reason (declined, or one R1 condition not met). Never an R2 ground: the checks
 * below, as the migration writes them, hold the only values (services/screening.service.ts).
 */
@Entity({
  tableName: 'screening_entry',
  comment:
    'CONSORT enrolment: a person assessed by an advising physician and not referred (declined, or an R1 condition not met), with no identity; never an R2 ground.',
})
@Unique({ properties: ['requestedBy', 'idempotencyKey'] })
@Index({ name: 'screening_entry_physician_index', properties: ['healthInsurer', 'physicianSubject'] })
@Check({ name: 'screening_entry_month_check', expression: '(EXTRACT(day FROM screened_in) = (1)::numeric)' })
@Check({
  name: 'screening_entry_region_check',
  expression: "(region = ANY (ARRAY['FLANDERS'::text, 'WALLONIA'::text, 'BRUSSELS'::text]))",
})
@Check({
  name: 'screening_entry_outcome_check',
  expression: "(outcome = ANY (ARRAY['DECLINED'::text, 'R1_NOT_MET'::text]))",
})
@Check({
  name: 'screening_entry_condition_check',
  expression:
    "(unmet_condition = ANY (ARRAY['R1A'::text, 'R1B'::text, 'R1C'::text, 'R1D'::text, 'R1E'::text, 'R1F'::text]))",
})
@Check({
  name: 'screening_entry_condition_when_not_met',
  expression: "((outcome = 'R1_NOT_MET'::text) = (unmet_condition IS NOT NULL))",
})
export class ScreeningEntryEntity extends IdempotentEntity {
  [OptionalProps]?: 'id' | 'recordedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** The month of the assessment (its first day). */
  @Property({ type: 'date' })
  screenedIn!: string;

  @Property({ type: 'text' })
  region!: string;

  /** The physician's health insurer (their organisation). */
  @Property({ length: 40 })
  healthInsurer!: string;

  /** The physician (staff), so they read their own entries' counts; never published. */
  @Property({ length: 200 })
  physicianSubject!: string;

  @Property({ type: 'text' })
  outcome!: string;

  @Property({ type: 'text', nullable: true })
  unmetCondition?: string | null;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  recordedAt: Date = new Date();
}
