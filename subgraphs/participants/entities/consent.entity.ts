import { randomUUID } from 'node:crypto';
import { OptionalProps, type Ref } from '@mikro-orm/core';
import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import { ConsentRecipientValue, DataCategoryValue } from '../../kit/domain.js';
import { ParticipantEntity } from './participant.entity.js';

/**
 * One grant of the information-sharing consent (R1e): a recipient may receive one
 * category. Never deleted; revoking (narrowing or withdrawal) sets `revokedAt` once,
 * so the history of what was shared when stays whole (R18).
 */
@Entity({ tableName: 'consent_grant' })
@Index({ properties: ['participant'] })
@Unique({
  name: 'consent_grant_in_force',
  expression:
    'create unique index "consent_grant_in_force" on "participants"."consent_grant" ("participant_id", "recipient", "category") where "revoked_at" is null',
})
export class ConsentGrantEntity {
  [OptionalProps]?: 'id' | 'grantedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => ParticipantEntity, { ref: true })
  participant!: Ref<ParticipantEntity>;

  @Enum({ items: () => ConsentRecipientValue })
  recipient!: ConsentRecipientValue;

  @Enum({ items: () => DataCategoryValue })
  category!: DataCategoryValue;

  /** Reference of the signed consent form this grant comes from. */
  @Property({ length: 200 })
  signedFormReference!: string;

  @Property({ type: 'timestamptz' })
  grantedAt: Date = new Date();

  @Property({ length: 200 })
  grantedBy!: string;

  @Property({ type: 'timestamptz', nullable: true })
  revokedAt?: Date;

  @Property({ length: 200, nullable: true })
  revokedBy?: string;
}

/** The research consent (R1f), apart from information sharing. */
@Entity({ tableName: 'research_consent' })
@Index({ properties: ['participant'] })
export class ResearchConsentEntity {
  [OptionalProps]?: 'id' | 'givenAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => ParticipantEntity, { ref: true })
  participant!: Ref<ParticipantEntity>;

  @Property({ length: 200 })
  signedFormReference!: string;

  @Property({ type: 'timestamptz' })
  givenAt: Date = new Date();

  @Property({ length: 200 })
  givenBy!: string;

  @Property({ type: 'timestamptz', nullable: true })
  withdrawnAt?: Date;

  @Property({ length: 200, nullable: true })
  withdrawnBy?: string;
}
