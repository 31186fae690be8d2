/**
 * The access log (GDPR art. 9 and 15): every read of a person's data by a person.
 * Decisions are collected in memory during the request and written in one statement
 * before the response leaves the subgraph: no round trip per field.
 */
import { accessLogRows } from '../../../runtime/metrics.js';
import type { Identity } from '../../../schema/identity.js';
import type { DataCategory } from '../../../schema/policy.js';
import { queryRows, type SqlRunner } from '../raw-sql.js';

export class AccessLogCollector {
  private readonly reads = new Map<string, Set<DataCategory>>();

  record(participantId: string, category: DataCategory): void {
    let categories = this.reads.get(participantId);
    if (!categories) this.reads.set(participantId, (categories = new Set()));
    categories.add(category);
  }

  get size(): number {
    return this.reads.size;
  }

  /** Appends one row per participant read; nothing when nothing personal was read. */
  async flush(runner: SqlRunner, identity: Identity, operation: string, subgraph: string): Promise<void> {
    if (this.reads.size === 0) return;
    const rows = [...this.reads].map(([participantId, categories]) => [
      participantId,
      [...categories].sort().join(','),
    ]);
    this.reads.clear();
    await queryRows(
      runner,
      `insert into access.access_log (subject, role, organisation, participant_id, categories, operation, subgraph)
       select ?, ?, ?, r.participant_id::uuid, string_to_array(r.categories, ','), ?, ?
       from (values ${rows.map(() => '(?, ?)').join(', ')}) as r(participant_id, categories)`,
      [identity.subject, identity.role, identity.organisation, operation.slice(0, 200), subgraph, ...rows.flat()],
    );
    accessLogRows.inc({ subgraph }, rows.length);
  }
}

export interface AccessLogVerification {
  rows: number;
  intact: boolean;
  /** The first chain number whose link does not hold (changed, removed or inserted behind the trigger), or null. */
  firstBrokenSeq: number | null;
}

/** Recomputes the log's hash chain in the database (access.verify_access_log, migration 002). */
export async function verifyAccessLog(runner: SqlRunner): Promise<AccessLogVerification> {
  const [row] = await queryRows<{ rows: string; intact: boolean; first_broken_seq: string | null }>(
    runner,
    'select * from access.verify_access_log()',
    [],
  );
  return {
    rows: Number(row!.rows),
    intact: row!.intact,
    firstBrokenSeq: row!.first_broken_seq === null ? null : Number(row!.first_broken_seq),
  };
}
