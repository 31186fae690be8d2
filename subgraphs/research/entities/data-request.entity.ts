import { ArrayType } from '@mikro-orm/core';
import { Entity, Enum, Index, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import { IdempotentEntity } from '../../kit/idempotency.js';

export enum DataRequestState {
  PENDING = 'PENDING',
  APPROVED = 'APPROVED',
  REFUSED = 'REFUSED',
}

export enum DownloadFormat {
  CSV = 'CSV',
  PARQUET = 'PARQUET',
  CODEBOOK = 'CODEBOOK',
  ANSWERS_CSV = 'ANSWERS_CSV',
  ANSWERS_PARQUET = 'ANSWERS_PARQUET',
  DICTIONARY = 'DICTIONARY',
  LABELS_R = 'LABELS_R',
  LABELS_STATA = 'LABELS_STATA',
  LABELS_SPSS = 'LABELS_SPSS',
}

/**
 * R19: a researcher's request for a pseudonymised extract and INAMI's decision (migration 005). The
 * service reads and writes it in SQL (dataset.service.ts); the entity describes the table the
 * migration makes, so that the two cannot drift apart.
 */
@Entity({
  tableName: 'data_request',
  comment: "R19: a researcher's request for a pseudonymised extract, and INAMI's decision.",
})
@Unique({ properties: ['requestedBy', 'idempotencyKey'] })
@Index({ name: 'data_request_requester_index', properties: ['requesterOrganisation', 'requesterSubject'] })
export class DataRequestEntity extends IdempotentEntity {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ length: 40 })
  project!: string;

  @Property({ type: 'text' })
  purpose!: string;

  /** FREE_TEXT_CATEGORIES: the category the researcher declared for the purpose. */
  @Property({ length: 20 })
  purposeCategory!: string;

  /** Codebook variables, each once. */
  @Property({ type: ArrayType })
  variables!: string[];

  @Enum({ items: () => DataRequestState })
  status!: DataRequestState;

  @Property({ length: 100 })
  requesterOrganisation!: string;

  @Property({ length: 200 })
  requesterSubject!: string;

  @Property({ type: 'timestamptz' })
  filedAt!: Date;

  @Property({ length: 200, nullable: true })
  decidedBy?: string | null;

  @Property({ type: 'timestamptz', nullable: true })
  decidedAt?: Date | null;

  @Property({ type: 'text', nullable: true })
  decisionReason?: string | null;
}

/** R19: one download of an extract or its codebook (migration 005), appended by download.route.ts. */
@Entity({
  tableName: 'dataset_download',
  comment: 'R19: every download of an extract: who, which request, format, rows, and the SHA-256 of the bytes sent.',
})
export class DatasetDownloadEntity {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Index()
  @Property({ type: 'uuid' })
  requestId!: string;

  @Property({ length: 300 })
  downloadedBy!: string;

  @Enum({ items: () => DownloadFormat })
  format!: DownloadFormat;

  @Property({ type: 'bigint' })
  rows!: string;

  @Property({ type: 'bigint' })
  bytes!: string;

  @Property({ length: 64 })
  sha256!: string;

  @Property()
  complete!: boolean;

  @Property({ type: 'timestamptz' })
  startedAt!: Date;

  @Property({ type: 'timestamptz' })
  finishedAt!: Date;
}
