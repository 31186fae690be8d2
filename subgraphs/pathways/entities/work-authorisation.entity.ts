import { randomUUID } from 'node:crypto';
import { OptionalProps } from '@mikro-orm/core';
import { Entity, Index, Enum, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
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

export enum AuthorisationDecision {
  PENDING = 'PENDING',
  GRANTED = 'GRANTED',
  REFUSED = 'REFUSED',
}

/** A job the person took during the pathway, as the job coach records it (R15; an outcome for the research side). */
@Entity({ tableName: 'employment_contract' })
export class EmploymentContractEntity {
  [OptionalProps]?: 'id' | 'recordedAt' | 'endsOn';

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
}

/** The request to the advising physician under art. 100 §2 of the coordinated law of 14 July 1994, and the decision (R15). */
@Entity({ tableName: 'work_authorisation' })
@Index({ name: 'work_authorisation_pending_keyset', expression: `create index "work_authorisation_pending_keyset" on "pathways"."work_authorisation" ("physician_subject", "requested_at" desc, "id" desc) where "decision" = 'PENDING'` }) // keyset pagination (kit/connection.ts)
export class WorkAuthorisationEntity {
  [OptionalProps]?: 'id' | 'requestedAt' | 'decision';

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
}
