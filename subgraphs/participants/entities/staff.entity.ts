import { randomUUID } from 'node:crypto';
import { OptionalProps, PrimaryKeyProp, type Ref } from '@mikro-orm/core';
import { Check, Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';

/** Kinds of organisation of the pilot (DOMAIN.md, "The actors"). */
export enum OrganisationKind {
  HEALTH_INSURER = 'HEALTH_INSURER',
  EMPLOYMENT_SERVICE = 'EMPLOYMENT_SERVICE',
  IPS_PARTNER = 'IPS_PARTNER',
  INAMI = 'INAMI',
  RESEARCH_TEAM = 'RESEARCH_TEAM',
}

/** Functions of the staff directory (schema/policy.ts STAFF_FUNCTIONS). */
export enum StaffFunctionValue {
  ADVISING_PHYSICIAN = 'ADVISING_PHYSICIAN',
  JOB_COACH = 'JOB_COACH',
  SUPERVISOR = 'SUPERVISOR',
  SRE_COUNSELLOR = 'SRE_COUNSELLOR',
  INAMI_AGENT = 'INAMI_AGENT',
  RESEARCHER = 'RESEARCHER',
}

/** An organisation of the pilot, by the code its tokens carry (`OA-300`, `FOREM`, `ARTICLE-23`…). Reference data. */
@Entity({ tableName: 'organisation' })
export class OrganisationEntity {
  [PrimaryKeyProp]?: 'code';

  @PrimaryKey({ length: 40 })
  code!: string;

  @Enum({ items: () => OrganisationKind })
  kind!: OrganisationKind;

  @Property({ length: 200 })
  name!: string;
}

/**
 * A person working for an organisation, under one function: who may be a physician of record,
 * a referent job coach… Maintained by the organisation's own role; never deleted, only ended.
 */
@Entity({ tableName: 'staff_member' })
@Unique({
  name: 'staff_member_active',
  expression:
    'create unique index "staff_member_active" on "participants"."staff_member" ("organisation_code", "subject", "function") where "ended_at" is null',
})
@Index({ properties: ['subject'] })
@Index({
  name: 'staff_member_ended',
  expression:
    'create index "staff_member_ended" on "participants"."staff_member" ("organisation_code", "function", "subject") where "ended_at" is not null',
}) // who left a team (migration 012)
@Check({ name: 'staff_member_fte_hundredths_check', expression: '(fte_hundredths >= 1) AND (fte_hundredths <= 100)' })
export class StaffMemberEntity {
  [OptionalProps]?: 'id' | 'enrolledAt' | 'fteHundredths';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => OrganisationEntity, { ref: true })
  organisation!: Ref<OrganisationEntity>;

  /** The subject of their tokens at the identity provider. */
  @Property({ length: 200 })
  subject!: string;

  @Enum({ items: () => StaffFunctionValue })
  function!: StaffFunctionValue;

  @Property({ length: 200 })
  displayName!: string;

  @Property({ type: 'timestamptz' })
  enrolledAt: Date = new Date();

  @Property({ length: 200 })
  enrolledBy!: string;

  @Property({ type: 'timestamptz', nullable: true })
  endedAt?: Date;

  @Property({ length: 200, nullable: true })
  endedBy?: string;

  /** The membership's working time in hundredths of a full-time equivalent (R17: staffing against the convention); full time unless said. */
  @Property()
  fteHundredths: number = 100;
}
