import { randomUUID } from 'node:crypto';
import { OptionalProps } from '@mikro-orm/core';
import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { PathwayEntity } from './pathway.entity.js';

/**
 * Kinds of employer contact (IPS principle 8, systematic job development; IPS-25 items "job development —
 * frequent employer contact" and "— quality of employer contact"). The texts name job development, not its
 * kinds: these four are our reading of the IPS practice (Becker & Drake's job-development cycle), an assumption.
 */
export enum EmployerContactKind {
  /** A first contact with an employer the coach has not met: learning the business and its hiring needs. */
  FIRST_CONTACT = 'FIRST_CONTACT',
  /** A return contact with an employer already met (the quality item asks for repeated contacts). */
  FOLLOW_UP = 'FOLLOW_UP',
  /** An in-person visit about a job or a person's skills: the face-to-face contact IPS-25 counts. */
  JOB_DEVELOPMENT_VISIT = 'JOB_DEVELOPMENT_VISIT',
  /** The contact that ends in a hire or a job offer. */
  PLACEMENT = 'PLACEMENT',
}

/**
 * One contact of an IPS coach with an employer (job development): on a person's behalf (their pathway) or for
 * the team generally (no pathway: learning an employer's needs before anyone is proposed). The team is the IPS
 * partner; the coach is who made it. A contact once recorded stands (the table takes no update).
 */
@Entity({ tableName: 'employer_contact' })
@Index({ name: 'employer_contact_team_day', properties: ['ipsPartner', 'contactedOn'] })
export class EmployerContactEntity {
  [OptionalProps]?: 'id' | 'recordedAt' | 'pathwayId' | 'participantId';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ length: 40 })
  ipsPartner!: string;

  @ManyToOne(() => PathwayEntity, { mapToPk: true, fieldName: 'pathway_id', nullable: true, index: true })
  pathwayId?: string | null;

  @Property({ type: 'uuid', nullable: true, index: true })
  participantId?: string | null;

  @Property({ type: 'date' })
  contactedOn!: string;

  /** The employer's name as the coach wrote it (free text, category employment). */
  @Property({ length: 200 })
  employer!: string;

  @Enum({ items: () => EmployerContactKind })
  kind!: EmployerContactKind;

  @Property({ length: 200 })
  jobCoach!: string;

  @Property({ type: 'timestamptz' })
  recordedAt: Date = new Date();
}

/**
 * Topics of personalised benefits counselling (IPS principle 7, IPS-25 "work incentives planning"). The texts
 * say only that personalised advice on social benefits is given; the topics are our assumption, from the Belgian
 * rules the pathway meets: partial work while on incapacity benefit (R15, art. 100 §2), how earnings change the
 * benefit, and the return of the benefit if a job ends.
 */
export enum BenefitsCounsellingTopic {
  WORK_INCENTIVES_PLAN = 'WORK_INCENTIVES_PLAN',
  PARTIAL_WORK_AUTHORISATION = 'PARTIAL_WORK_AUTHORISATION',
  EARNINGS_AND_BENEFIT = 'EARNINGS_AND_BENEFIT',
  BENEFIT_AFTER_JOB_ENDS = 'BENEFIT_AFTER_JOB_ENDS',
}

/** One benefits-counselling session for a person (IPS principle 7), held by their coach: the topic is benefits data. */
@Entity({ tableName: 'benefits_counselling' })
export class BenefitsCounsellingEntity {
  [OptionalProps]?: 'id' | 'recordedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => PathwayEntity, { mapToPk: true, fieldName: 'pathway_id', index: true })
  pathwayId!: string;

  @Property({ type: 'uuid', index: true })
  participantId!: string;

  @Property({ type: 'date' })
  heldOn!: string;

  @Enum({ items: () => BenefitsCounsellingTopic })
  topic!: BenefitsCounsellingTopic;

  @Property({ length: 200 })
  counsellor!: string;

  @Property({ type: 'timestamptz' })
  recordedAt: Date = new Date();
}

/**
 * Kinds of follow-along support once a job has started (IPS principle 6, IPS-25 "individualised follow-along
 * supports" and "time-unlimited follow-along"). Our assumption from the IPS practice: support of the person,
 * contact with the employer with the person's agreement, and help towards a next or better job.
 */
export enum FollowAlongKind {
  CONTACT_WITH_PERSON = 'CONTACT_WITH_PERSON',
  CONTACT_WITH_EMPLOYER = 'CONTACT_WITH_EMPLOYER',
  WORKPLACE_VISIT = 'WORKPLACE_VISIT',
  CAREER_DEVELOPMENT = 'CAREER_DEVELOPMENT',
}

/**
 * One follow-along support contact after a job started (IPS principle 6). Time-unlimited: it may be dated after the
 * pathway's formal end (R16 ends the pathway, not the partner's support), as long as the person's coach still holds
 * the relation and the consent lets the partner read the person (R18).
 */
@Entity({ tableName: 'follow_along_support' })
export class FollowAlongSupportEntity {
  [OptionalProps]?: 'id' | 'recordedAt' | 'afterPathwayEnd';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => PathwayEntity, { mapToPk: true, fieldName: 'pathway_id', index: true })
  pathwayId!: string;

  @Property({ type: 'uuid', index: true })
  participantId!: string;

  @Property({ type: 'date' })
  supportedOn!: string;

  @Enum({ items: () => FollowAlongKind })
  kind!: FollowAlongKind;

  /** Whether the pathway had formally ended when the support was given (time-unlimited support, principle 6). */
  @Property()
  afterPathwayEnd: boolean = false;

  @Property({ length: 200 })
  jobCoach!: string;

  @Property({ type: 'timestamptz' })
  recordedAt: Date = new Date();
}
