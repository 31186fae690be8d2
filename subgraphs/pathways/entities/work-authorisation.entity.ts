import { randomUUID } from 'node:crypto';
import { OptionalProps } from '@mikro-orm/core';
import { Check, Entity, Index, Enum, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import type { DataCategory } from '../../../schema/policy.js';
import { PathwayEntity } from './pathway.entity.js';

/** Work under the law of 3 July 1978 on employment contracts, or a training that is none (R15). */
export enum ContractType {
  OPEN_ENDED = 'OPEN_ENDED',
  FIXED_TERM = 'FIXED_TERM',
  CLEARLY_DEFINED_WORK = 'CLEARLY_DEFINED_WORK',
  REPLACEMENT = 'REPLACEMENT',
  IN_COMPANY_TRAINING = 'IN_COMPANY_TRAINING',
}

/** Why an authorisation is asked (R15): the first contract, a new function with the same employer, a new employer. */
export enum AuthorisationReason {
  FIRST_CONTRACT = 'FIRST_CONTRACT',
  NEW_FUNCTION = 'NEW_FUNCTION',
  NEW_EMPLOYER = 'NEW_EMPLOYER',
}

/** Why an employment episode ended (an outcome of the trial, both arms). */
export enum EmploymentEndReason {
  END_OF_TERM = 'END_OF_TERM',
  RESIGNATION = 'RESIGNATION',
  DISMISSAL = 'DISMISSAL',
  MUTUAL_AGREEMENT = 'MUTUAL_AGREEMENT',
  HEALTH = 'HEALTH',
  EMPLOYER_CLOSED = 'EMPLOYER_CLOSED',
  OTHER = 'OTHER',
}

export enum AuthorisationDecision {
  PENDING = 'PENDING',
  GRANTED = 'GRANTED',
  REFUSED = 'REFUSED',
}

/**
 * A job the person took during the pathway, as the referent records it (R15), and an employment
 * episode of the trial's outcomes in both arms: from its start to its actual end, and whether it is
 * competitive (IPS: on the open labour market, paid at least the minimum wage, not reserved for
 * disabled people).
 */
@Entity({ tableName: 'employment_contract' })
export class EmploymentContractEntity {
  [OptionalProps]?:
    | 'id'
    | 'recordedAt'
    | 'endsOn'
    | 'openLabourMarket'
    | 'paidAtLeastMinimumWage'
    | 'reservedForDisabledPeople'
    | 'endedOn'
    | 'endReason'
    | 'endedBy';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => PathwayEntity, { mapToPk: true, fieldName: 'pathway_id', index: true })
  pathwayId!: string;

  @Property({ type: 'uuid', index: true })
  participantId!: string;

  @Property({ length: 200 })
  employer!: string;

  /** Belgian enterprise number (BCE/KBO), 10 digits: how a change of employer is recognised. */
  @Property({ length: 10 })
  employerNumber!: string;

  @Property({ length: 200 })
  jobFunction!: string;

  @Property({ type: 'date' })
  startsOn!: string;

  /** For a fixed-term contract or a training; none for an open-ended contract. */
  @Property({ type: 'date', nullable: true })
  endsOn?: string;

  @Property({ type: 'double' })
  weeklyHours!: number;

  @Enum({ items: () => ContractType })
  contractType!: ContractType;

  @Property({ type: 'timestamptz' })
  recordedAt: Date = new Date();

  @Property({ length: 200 })
  recordedBy!: string;

  /** The three criteria of competitive employment (IPS principle 1); null where the referent did not say. */
  @Property({ nullable: true })
  openLabourMarket?: boolean;

  @Property({ nullable: true })
  paidAtLeastMinimumWage?: boolean;

  @Property({ nullable: true })
  reservedForDisabledPeople?: boolean;

  /** The episode's actual last day, once the referent records its end (it may differ from the contract's `endsOn`). */
  @Property({ type: 'date', nullable: true })
  endedOn?: string;

  @Enum({ items: () => EmploymentEndReason, nullable: true })
  endReason?: EmploymentEndReason;

  @Property({ length: 200, nullable: true })
  endedBy?: string;
}

/**
 * Competitive employment as IPS defines it: open labour market, at least the minimum wage, not
 * reserved for disabled people; an in-company training is no job. Unknown (null) while a criterion
 * is missing and none fails.
 */
export function isCompetitive(
  episode: Pick<
    EmploymentContractEntity,
    'contractType' | 'openLabourMarket' | 'paidAtLeastMinimumWage' | 'reservedForDisabledPeople'
  >,
): boolean | null {
  if (episode.contractType === ContractType.IN_COMPANY_TRAINING) return false;
  if (
    episode.openLabourMarket === false ||
    episode.paidAtLeastMinimumWage === false ||
    episode.reservedForDisabledPeople === true
  )
    return false;
  if (
    episode.openLabourMarket == null ||
    episode.paidAtLeastMinimumWage == null ||
    episode.reservedForDisabledPeople == null
  )
    return null;
  return true;
}

/** The request to the advising physician under art. 100 §2 of the coordinated law of 14 July 1994, and the decision (R15). */
@Entity({ tableName: 'work_authorisation' })
@Check({
  name: 'work_authorisation_decision_reason_category_check',
  expression:
    "((decision_reason_category)::text = ANY ((ARRAY['administrative'::character varying, 'health'::character varying, 'employment'::character varying, 'benefits'::character varying])::text[]))",
})
// A refusal says why (art. 100 §2); NOT VALID in the migration: refusals recorded before reasons existed stay as they were.
@Check({
  name: 'work_authorisation_refusal_reason_check',
  expression: "((decision <> 'REFUSED'::text) OR (decision_reason IS NOT NULL))",
})
@Index({
  name: 'work_authorisation_pending_keyset',
  expression: `create index "work_authorisation_pending_keyset" on "pathways"."work_authorisation" ("physician_subject", "requested_at" desc, "id" desc) where "decision" = 'PENDING'`,
}) // keyset pagination (kit/connection.ts)
export class WorkAuthorisationEntity {
  [OptionalProps]?: 'id' | 'requestedAt' | 'decision' | 'decisionReasonCategory';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => EmploymentContractEntity, { mapToPk: true, fieldName: 'contract_id', unique: true })
  contractId!: string;

  @ManyToOne(() => PathwayEntity, { mapToPk: true, fieldName: 'pathway_id', index: true })
  pathwayId!: string;

  @Property({ type: 'uuid', index: true })
  participantId!: string;

  @Enum({ items: () => AuthorisationReason })
  reason!: AuthorisationReason;

  @Property({ length: 200 })
  physicianSubject!: string;

  @Property({ type: 'timestamptz' })
  requestedAt: Date = new Date();

  @Enum({ items: () => AuthorisationDecision })
  decision: AuthorisationDecision = AuthorisationDecision.PENDING;

  @Property({ type: 'timestamptz', nullable: true })
  decidedAt?: Date;

  @Property({ length: 200, nullable: true })
  decidedBy?: string;

  /** Why the physician decided so (art. 100 §2): required for a refusal, free text shown under its own category. */
  @Property({ type: 'text', nullable: true })
  decisionReason?: string;

  @Property({ length: 20 })
  decisionReasonCategory: DataCategory = 'administrative';
}
