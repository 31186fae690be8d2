import { randomUUID } from 'node:crypto';
import { OptionalProps } from '@mikro-orm/core';
import { Entity, Index, Enum, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import { IdempotentEntity } from '../../kit/idempotency.js';

export enum PathwayStatus {
  OPEN = 'OPEN',
  ENDED = 'ENDED',
}

/** Why a pathway ended (R16). */
export enum PathwayEndReason {
  EMPLOYMENT_SUSTAINED = 'EMPLOYMENT_SUSTAINED',
  PARTICIPANT_WITHDREW = 'PARTICIPANT_WITHDREW',
  MOVED_OUT_OF_REGION = 'MOVED_OUT_OF_REGION',
  HEALTH = 'HEALTH',
  DECEASED = 'DECEASED',
  PILOT_ENDED = 'PILOT_ENDED',
  OTHER = 'OTHER',
  /** The person withdrew their information-sharing consent (R18): ended by policy (ON_CONSENT_WITHDRAWN), never by hand. */
  CONSENT_WITHDRAWN = 'CONSENT_WITHDRAWN',
}

/**
 * A pathway registered by INAMI for one referral (R5). The referral, the person
 * and the convention live in other subgraphs: only their ids are kept here.
 */
@Entity({ tableName: 'pathway' })
@Index({
  name: 'pathway_registered_keyset',
  expression: `create index "pathway_registered_keyset" on "pathways"."pathway" ("registered_at" desc, "id" desc)`,
}) // keyset pagination (kit/connection.ts)
@Index({
  name: 'pathway_unassigned_keyset',
  expression: `create index "pathway_unassigned_keyset" on "pathways"."pathway" ("ips_partner", "registered_at" desc, "id" desc) where "job_coach" is null and "status" = 'OPEN' and "trial_arm" = 'IPS'`,
}) // the supervisor's unassigned IPS-arm pathways, keyset pagination (kit/connection.ts, migration 029)
@Index({
  name: 'pathway_team_caseload',
  expression: `create index "pathway_team_caseload" on "pathways"."pathway" ("ips_partner", "job_coach") where "status" = 'OPEN' and "job_coach" is not null`,
}) // teamCaseloads (migration 020)
@Unique({ properties: ['requestedBy', 'idempotencyKey'] })
@Unique({
  name: 'pathway_one_open_per_participant',
  expression: `create unique index "pathway_one_open_per_participant" on "pathways"."pathway" ("participant_id") where "status" = 'OPEN'`,
})
export class PathwayEntity extends IdempotentEntity {
  [OptionalProps]?:
    | 'id'
    | 'status'
    | 'registeredAt'
    | 'jobCoach'
    | 'referenceCounsellor'
    | 'endedOn'
    | 'endReason'
    | 'endedBy'
    | 'endedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** INAMI's registry number, e.g. IPS-000042 (from a sequence, never reused). */
  @Property({ length: 20, unique: true })
  registryNumber!: string;

  /** One pathway per referral. */
  @Property({ type: 'uuid', unique: true })
  referralId!: string;

  @Property({ type: 'uuid', index: true })
  participantId!: string;

  @Property({ type: 'uuid' })
  conventionId!: string;

  /** Code of the IPS partner whose convention covers the pathway (e.g. ARTICLE-23). */
  @Property({ length: 40 })
  ipsPartner!: string;

  /** The job coach who is the person's referent (R11), once the supervisor assigned one. */
  @Property({ length: 200, nullable: true })
  jobCoach?: string;

  /** The SRE's reference counsellor who is the referent in the control group (R9), once the SRE named one. */
  @Property({ length: 200, nullable: true })
  referenceCounsellor?: string;

  /**
   * The arm drawn for the person (R6), as the ledger holds it: a projection the database keeps
   * (migration 029's triggers set it from the ledger whatever is written here), so that lists by arm
   * are read from one index.
   */
  @Property({ type: 'text', nullable: true })
  trialArm?: string;

  @Enum({ items: () => PathwayStatus })
  status: PathwayStatus = PathwayStatus.OPEN;

  @Property({ type: 'timestamptz' })
  registeredAt: Date = new Date();

  @Property({ type: 'date', nullable: true })
  endedOn?: string;

  @Enum({ items: () => PathwayEndReason, nullable: true })
  endReason?: PathwayEndReason;

  @Property({ length: 200, nullable: true })
  endedBy?: string;

  /** When the end was recorded (the timeline's order within its day). */
  @Property({ type: 'timestamptz', nullable: true })
  endedAt?: Date;
}
