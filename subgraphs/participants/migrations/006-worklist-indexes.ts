import { Migration } from '@mikro-orm/migrations';

/**
 * Keyset pagination (subgraphs/kit/connection.ts): every list reads newest first by (sort key, id),
 * so each gets an index in that order, and a page deep in the list is a seek, not a scan.
 */
export class WorklistIndexes extends Migration {
  override name = '006-worklist-indexes';

  override up(): void {
    // INAMI's registry, the OA's members, the physician's patients: newest first, optionally by region.
    this.addSql(
      `create index "participant_created_keyset" on "participants"."participant" ("created_at" desc, "id" desc);`,
    );
    this.addSql(
      `create index "participant_region_created_keyset" on "participants"."participant" ("region", "created_at" desc, "id" desc);`,
    );
    // INAMI's intake queue (read through published_referral): newest first, optionally by region.
    this.addSql(
      `create index "referral_submitted_keyset" on "participants"."referral" ("submitted_at" desc, "id" desc);`,
    );
    this.addSql(
      `create index "referral_region_submitted_keyset" on "participants"."referral" ("region", "submitted_at" desc, "id" desc);`,
    );
    // The physician's patients and the OA's members are few among many: their lists start from the
    // access-ledger facts this subgraph writes (physician of record, health insurer), not from a scan.
    this.addSql(
      `create index if not exists "ledger_physician_index" on "access"."ledger" ("health_insurer", "physician_subject");`,
    );
  }
}
