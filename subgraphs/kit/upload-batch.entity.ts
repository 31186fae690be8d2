import { Entity, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import type { RowRejection } from './upload.js';

/**
 * One outcome file received (kit/upload.ts), in the schema of the subgraph that stored its rows: the
 * batch key and its uploader (unique: a second upload of the key replays this row's report), the SHA-256
 * of the bytes received, the counts, the rejected rows (line, column, reason) and when. Written by the
 * upload's own transaction only; never changed afterwards, never removed.
 */
@Entity({ tableName: 'upload_batch' })
@Unique({ properties: ['uploadedBy', 'idempotencyKey'] })
export class UploadBatchEntity {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  /** The file's kind: its path under /uploads/ (schema/uploads.ts). */
  @Property({ length: 40 })
  kind!: string;

  @Property({ length: 100 })
  idempotencyKey!: string;

  /** The caller as keys are scoped (role:organisation/subject). */
  @Property({ length: 400 })
  uploadedBy!: string;

  @Property({ length: 100 })
  organisation!: string;

  /** SHA-256 of the bytes received (hex): the same key with other bytes is a CONFLICT. */
  @Property({ length: 64 })
  fingerprint!: string;

  @Property()
  bytes!: number;

  /** Data rows in the file (the header not counted). */
  @Property()
  rowCount!: number;

  @Property()
  appliedCount!: number;

  @Property()
  rejectedCount!: number;

  /** The rejected rows, by line (at most MAX_LISTED_REJECTIONS of them; rejectedCount counts all). */
  @Property({ type: 'json' })
  rejections!: RowRejection[];

  @Property({ type: 'timestamptz' })
  receivedAt!: Date;

  @Property({ type: 'timestamptz', nullable: true })
  completedAt?: Date | null;
}
