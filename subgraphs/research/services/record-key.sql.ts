/**
 * Record keys of the cell key method (R19; kit/cell-key.ts), computed in SQL so that neither the
 * per-database secret (research migration 011) nor any person's key leaves the database: a query
 * returns, beside each cell's count, only the sum of its contributors' keys.
 *
 * A record key is the first 32 bits of SHA-256(secret ‖ id), an integer in [0, 2^32) read as a
 * fraction of 2^32 (uniform in [0, 1)). The secret is a fixed-length prefix and no hash is ever
 * shown, so the keyed hash is as unpredictable as an HMAC here (length extension needs an output).
 */
import { RECORD_KEY_BITS } from '../../kit/cell-key.js';

/** A FROM item that brings the secret into a query as `ck.secret` (one row). */
export const CELL_KEY_SECRET = `research.cell_key_secret ck`;

/** The record key (bigint in [0, 2^32)) of the record whose id is the SQL expression `id`; `ck` must be in scope. */
export function recordKey(id: string): string {
  if (RECORD_KEY_BITS !== 32) throw new Error('record keys are read from 4 bytes of the hash');
  return `('x' || encode(substr(sha256(ck.secret || convert_to((${id})::text, 'UTF8')), 1, 4), 'hex'))::bit(32)::bigint`;
}

/**
 * The record key of a row of an anonymous log (no id: the screening log), from its columns and its
 * rank among the rows identical to it: identical rows are interchangeable, so the log's set of keys,
 * and every count's key sum, depend only on its contents. A window expression: use it in a
 * subquery's select list over the log (`ck` in scope), then sum outside.
 */
export function anonymousRecordKey(columns: readonly string[]): string {
  const row = `concat_ws('|', ${columns.map((c) => `(${c})::text`).join(', ')}, row_number() over (partition by ${columns.join(', ')}))`;
  return recordKey(row);
}
