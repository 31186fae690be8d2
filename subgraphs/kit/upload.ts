/**
 * Outcome files taken in bulk (DOMAIN.md "Measuring the trial": the registers send monthly files):
 * `POST /uploads/<kind>` with a CSV body, reached through the gateway's origin with the caller's token
 * (gateway/uploads.ts), received here by the subgraph that owns the rows.
 *
 * The body is streamed, never held whole: bytes → SHA-256 and a strict UTF-8 decoder → `csv-parse` →
 * each row checked by the subgraph's own validation (the one-row mutation's where there is one) →
 * PostgreSQL `COPY` into a temporary staging table. Then, in the same transaction, a constant number of
 * statements whatever the file's size: claim the batch key, map the NISS to people (a SECURITY DEFINER
 * function that answers only for people of the uploader's circle), decide every row at once from the
 * policy's ACTIONS row compiled to SQL (`uploadDecision`), INSERT … SELECT the rows allowed, and record
 * the batch with its report.
 *
 * The good rows are applied and the others reported (line, field, reason), rather than the whole file
 * refused: a register's monthly file covers thousands of people, and one mistyped line or one person
 * not (or no longer) followed must not hold back everyone else's outcomes. Nothing is ever overwritten
 * (a month already stated is a rejected row), so the rejected rows, corrected, go in a new batch. What
 * makes the file unreadable as a whole — not UTF-8, not CSV, a wrong header, over the size limit — refuses
 * it whole, and then nothing is stored.
 *
 * Idempotent by the batch key (`Idempotency-Key`): the same key and the same bytes answer the stored
 * report and store nothing again; the same key with other bytes is CONFLICT. Two uploads with one key at
 * once queue on the key's row: one applies, the other then answers its stored report.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CsvError, parse } from 'csv-parse';
import { GraphQLError } from 'graphql';
import pg from 'pg';
import { followUpCondition } from './access/ledger.js';
import { from as copyFrom } from 'pg-copy-streams';
import {
  BadRequestError,
  ConflictError,
  ForbiddenError,
  formatError,
  InvalidInputError,
  localiseError,
  type Localised,
} from '../../schema/errors.js';
import { LANGUAGE_HEADER } from '../../schema/headers.js';
import {
  isLanguage,
  negotiateLanguage,
  translate,
  type Language,
  type MessageId,
  type MessageParams,
} from '../../schema/i18n/index.js';
import type { Identity } from '../../schema/identity.js';
import { ACTIONS, categoryOf, type ActionGrant, type Precondition, type StaffFunction } from '../../schema/policy.js';
import { MAX_LISTED_REJECTIONS, MAX_UPLOAD_BYTES, UPLOAD_KEY_HEADER, type UploadKind } from '../../schema/uploads.js';
import { accessCondition, relationCondition, type Caller } from './access/decide.js';
import { callerKey } from './command.js';
import { belgianToday } from './domain.js';
import { transientFailure } from './failures.js';
import { assertIdempotencyKey } from './idempotency.js';
import type { FileRoute } from './subgraph.js';

/** A value written to the staging table (COPY text format). */
export type StagedValue = string | number | boolean | null;

/** Why one row is not stored: its line in the file, the column, the catalogue's reason. */
export interface RowRejection {
  line: number;
  field: string | null;
  messageId: MessageId;
  params?: MessageParams;
}

/** One row checked: its staging values (after the NISS, in `staging` order) and what makes it the same as another row. */
export type CheckedRow = { niss: string; values: StagedValue[]; key: string } | { field: string; localised: Localised };

/**
 * The decision of an upload action, as SQL over `access.ledger l` (joined to each row's person): whom
 * the uploader may send rows about, and whether a row's person is an outcome subject in its month.
 */
export interface UploadDecision {
  /** The uploader holds one of the action's relations to the person and may see them (as for the one-row mutation). */
  circle: string;
  /** The row is an outcome of the trial: the grant's preconditions, and the person followed in the row's month. */
  eligible(month: string): string;
}

export interface UploadSpec {
  kind: UploadKind;
  /** Staging columns after `line` and `niss`: name and SQL type, in the order `check` gives the values. */
  staging: readonly (readonly [string, string])[];
  /** Words naming what makes a row unique in the file (for the duplicate's reason), e.g. "person and month". */
  uniqueBy: string;
  /** Checks one row's fields (in header order); `today` is the Belgian day of the upload. */
  check(fields: readonly string[], today: string): CheckedRow;
  /** The batch log table (`schema.table`). */
  batchTable: string;
  /**
   * Stores the staged rows (`upload_staging`: line, niss and the staging columns) that the decision
   * allows, in the open transaction, in a constant number of statements; returns the rows it did not store.
   */
  apply(
    client: pg.PoolClient,
    context: { batchId: string; identity: Identity; decision: UploadDecision },
  ): Promise<RowRejection[]>;
}

/**
 * Locks the ledger rows of the people a file names (FOR SHARE, in the order commands lock them) before
 * the decision reads them: a command that changes one of them (a research consent withdrawn, a death
 * recorded) then runs wholly before the file's decision, which sees it, or wholly after the file's
 * commit, and then removes or stops what the file stored; never between the two. `subjects` is the SQL
 * of the set of the file's people (a `participant_id` column).
 */
export async function lockLedgerRows(client: pg.PoolClient, subjects: string, params: unknown[]): Promise<void> {
  await client.query(
    `select 1 from access.ledger l where l.participant_id in (select participant_id from ${subjects}) order by l.participant_id for share`,
    params,
  );
}

/** How long one upload may take (streaming included): the application role's default statement timeout is 10 s. */
const UPLOAD_TIMEOUT = '15min';

/** Preconditions an upload action may require: those read from the person's ledger row, as SQL over `l` and the row's month. */
const LEDGER_PRECONDITIONS: Partial<Record<Precondition, (month: string) => string>> = {
  randomised: () => 'l.trial_arm is not null',
  notRandomised: () => 'l.trial_arm is null',
  ipsArm: () => "l.trial_arm = 'IPS'",
  controlArm: () => "l.trial_arm = 'CONTROL'",
  researchConsent: () => 'l.research_consent',
  // The same window as the one-row mutations' (kit/access/ledger.ts inFollowUp): randomisation to month 30, death, research consent.
  inFollowUp: (month) => followUpCondition('l', month),
};

/** Writes a compiled condition's `?` parameters as SQL literals (the conditions of kit/access/decide.ts use `?`; they hold no other). */
function inline({ sql, params }: { sql: string; params: unknown[] }): string {
  let index = 0;
  return sql.replace(/\?/g, () => pg.escapeLiteral(String(params[index++])));
}

/**
 * Compiles an upload action's ACTIONS row for this caller into SQL (the same tables the one-row command
 * path decides from, kit/access/decide.ts): undefined when no grant names the caller's role and staff.
 */
export function uploadDecision(actionName: string, caller: Caller): UploadDecision | undefined {
  const action = ACTIONS[actionName];
  if (!action) throw new Error(`Upload ${actionName} has no entry in ACTIONS (schema/policy.ts)`);
  const grants = action.grants.filter(
    (grant) => grant.role === caller.role && (!grant.staff || caller.activeStaff?.has(grant.staff)),
  );
  if (grants.length === 0) return undefined;
  const relation = (grant: ActionGrant) =>
    grant.relation === 'anyone'
      ? 'true'
      : grant.relation === 'ownOrganisation'
        ? 'false'
        : inline(relationCondition(caller, grant.relation));
  const requires = (grant: ActionGrant, month: string) =>
    (grant.requires ?? []).map((precondition) => {
      const sql = LEDGER_PRECONDITIONS[precondition];
      if (!sql)
        throw new Error(
          `Upload ${actionName} requires "${precondition}", which is no fact of the ledger: a row cannot be decided in bulk on it`,
        );
      return sql(month);
    });
  const visible =
    action.visibility === 'relation'
      ? 'true'
      : inline(accessCondition(caller, categoryOf(action.target, 'id') ?? 'administrative'));
  return {
    circle: `(${visible} and (${grants.map(relation).join(' or ')}))`,
    eligible: (month) =>
      `((${grants.map((grant) => [relation(grant), ...requires(grant, month)].join(' and ')).join(') or (')}))`,
  };
}

/** The caller's language: the gateway's negotiated one, else the request's own Accept-Language. */
function languageOf(request: IncomingMessage): Language {
  const forwarded = request.headers[LANGUAGE_HEADER];
  return isLanguage(forwarded) ? forwarded : negotiateLanguage(request.headers['accept-language']);
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  if (response.headersSent) return void response.destroy();
  response
    .writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' })
    .end(JSON.stringify(body));
}

/** A refusal as the graph tells errors (extensions.code, messageId), after the body is drained (the sender sees the answer, not a reset). */
function refuse(
  request: IncomingMessage,
  response: ServerResponse,
  status: number,
  error: GraphQLError,
  drain = true,
): void {
  const body = { errors: [localiseError(formatError(error.toJSON(), error), languageOf(request))] };
  if (!drain || request.complete || request.readableEnded || request.destroyed) {
    sendJson(response, status, body);
    return;
  }
  request.once('end', () => sendJson(response, status, body));
  request.once('error', () => response.destroy());
  request.resume();
}

/** The whole file refused (its reason known to the caller: nothing internal in it). */
class FileRefused extends Error {
  constructor(
    readonly status: number,
    readonly error: GraphQLError,
  ) {
    super(error.message);
  }
}

/** PostgreSQL's answers to a lost race (SQLSTATE), as the command path counts them: CONFLICT, retry with the same key. */
const RACE_STATES = new Set(['40001', '40P01', '55P03', '25P03']);

/** A NISS as registers write it: 11 digits (separators dropped) whose check digits hold by the pre-2000 or 2000+ rule. */
export function checkNissDigits(input: string): { niss: string } | { localised: Localised } {
  const digits = input.replace(/[\s.-]/g, '');
  if (!/^\d{11}$/.test(digits)) return { localised: { id: 'niss.digits' } };
  const firstNine = Number(digits.slice(0, 9));
  const check = Number(digits.slice(9));
  if (check !== 97 - (firstNine % 97) && check !== 97 - ((2_000_000_000 + firstNine) % 97))
    return { localised: { id: 'niss.checkDigits' } };
  return { niss: digits };
}

/** A value for COPY's text format: the checked values hold no tab, newline or backslash (digits, codes, ISO dates). */
function copyValue(value: StagedValue): string {
  if (value === null) return '\\N';
  if (typeof value === 'boolean') return value ? 't' : 'f';
  return String(value);
}

/** The stored report, as the batch table keeps it and the answer tells it. */
interface BatchReport {
  id: string;
  kind: string;
  idempotencyKey: string;
  fingerprint: string;
  bytes: number;
  rows: number;
  applied: number;
  rejected: number;
  rejections: RowRejection[];
  receivedAt: string;
}

function answer(report: BatchReport, replayed: boolean, language: Language) {
  return {
    batch: {
      ...report,
      replayed,
      rejectionsListed: report.rejections.length,
      rejections: report.rejections.map(({ line, field, messageId, params }) => ({
        line,
        field,
        messageId,
        reason: translate(language, messageId, params ?? {}),
      })),
    },
  };
}

/** The upload route of one kind of file (`files`-style: the kit has verified the gateway token). */
export function uploadRoute(spec: UploadSpec): FileRoute {
  const header = spec.kind.columns.join(',');
  return async (request, response, { identity, orm, log, path }) => {
    const language = languageOf(request);
    if (path !== '') {
      refuse(
        request,
        response,
        404,
        new GraphQLError('Not found', {
          extensions: { code: 'NOT_FOUND', messageId: 'upload.unknown', messageParams: {} },
        }),
      );
      return;
    }
    const pool = await orm.em.getConnection().getNativeClient();
    // Who may upload rows about whom: the ACTIONS row, decided before a byte of the file is read.
    const grants = ACTIONS[spec.kind.action]!.grants.filter((grant) => grant.role === identity.role);
    let caller: Caller = identity;
    if (grants.some((grant) => grant.staff)) {
      const { rows } = await pool.query<{ function: StaffFunction }>(
        'select function from participants.published_staff_member where organisation = $1 and subject = $2 and active',
        [identity.organisation, identity.subject],
      );
      caller = { ...identity, activeStaff: new Set(rows.map((row) => row.function)) };
    }
    const decision = uploadDecision(spec.kind.action, caller);
    if (!decision) {
      refuse(
        request,
        response,
        403,
        new ForbiddenError(grants.length > 0 ? { id: 'forbidden.notActiveStaff' } : { id: 'error.forbidden' }),
      );
      return;
    }
    const [mediaType, ...parameters] = (request.headers['content-type'] ?? '')
      .toLowerCase()
      .split(';')
      .map((part) => part.trim());
    const charset = parameters
      .find((part) => part.startsWith('charset='))
      ?.slice('charset='.length)
      .replace(/"/g, '');
    if (mediaType !== 'text/csv' || (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8')) {
      refuse(request, response, 415, new BadRequestError({ id: 'upload.contentType' }));
      return;
    }
    const key = String(request.headers[UPLOAD_KEY_HEADER] ?? '');
    try {
      assertIdempotencyKey(key);
    } catch {
      refuse(request, response, 400, new InvalidInputError(UPLOAD_KEY_HEADER, { id: 'upload.keyMissing' }));
      return;
    }
    if (Number(request.headers['content-length'] ?? 0) > MAX_UPLOAD_BYTES) {
      response.setHeader('connection', 'close');
      refuse(
        request,
        response,
        413,
        new BadRequestError({ id: 'upload.tooLarge', params: { max: MAX_UPLOAD_BYTES } }),
        false,
      );
      return;
    }

    const today = belgianToday();
    const hash = createHash('sha256');
    const rejections: RowRejection[] = [];
    let bytes = 0;
    let rows = 0;
    let lastLine = 0;
    const client = await pool.connect();
    try {
      await client.query('begin');
      // The upload streams inside this statement: bounded, but not by the request defaults.
      await client.query(`set local statement_timeout = '${UPLOAD_TIMEOUT}'`);
      await client.query(`set local idle_in_transaction_session_timeout = '${UPLOAD_TIMEOUT}'`);
      const columns = [['line', 'int not null'], ['niss', 'text not null'], ...spec.staging];
      await client.query(
        `create temporary table upload_staging (${columns.map(([name, type]) => `${name} ${type}`).join(', ')}) on commit drop`,
      );

      // Bytes: counted (size limit), hashed (the batch's fingerprint) and decoded strictly (a byte that is not UTF-8 refuses the file).
      const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
      const bytesIn = new Transform({
        readableObjectMode: false,
        transform(chunk: Buffer, _encoding, done: TransformCallback) {
          bytes += chunk.length;
          if (bytes > MAX_UPLOAD_BYTES) {
            done(
              new FileRefused(413, new BadRequestError({ id: 'upload.tooLarge', params: { max: MAX_UPLOAD_BYTES } })),
            );
            return;
          }
          hash.update(chunk);
          try {
            done(null, decoder.decode(chunk, { stream: true }));
          } catch {
            done(new FileRefused(400, new BadRequestError({ id: 'upload.notUtf8' })));
          }
        },
        flush(done: TransformCallback) {
          try {
            done(null, decoder.decode());
          } catch {
            done(new FileRefused(400, new BadRequestError({ id: 'upload.notUtf8' })));
          }
        },
      });
      const parser = parse({ relax_column_count: true, skip_empty_lines: true, info: true });
      // Rows: the header checked, each row checked, duplicates within the file found; good rows go to COPY, in chunks.
      const firstLine = new Map<string, number>();
      let headerSeen = false;
      let pending: string[] = [];
      const expected = spec.kind.columns.length;
      const rowsOut = new Transform({
        writableObjectMode: true,
        transform({ record, info }: { record: string[]; info: { lines: number } }, _encoding, done: TransformCallback) {
          lastLine = info.lines;
          if (!headerSeen) {
            headerSeen = true;
            if (record.map((name) => name.trim().toLowerCase()).join(',') !== header) {
              done(new FileRefused(400, new BadRequestError({ id: 'upload.header', params: { columns: header } })));
              return;
            }
            done();
            return;
          }
          rows += 1;
          const line = info.lines;
          if (record.length !== expected) {
            rejections.push({
              line,
              field: null,
              messageId: 'upload.columnCount',
              params: { count: record.length, expected },
            });
            done();
            return;
          }
          const checked = spec.check(record, today);
          if ('field' in checked) {
            rejections.push({
              line,
              field: checked.field,
              messageId: checked.localised.id,
              ...(checked.localised.params ? { params: checked.localised.params } : {}),
            });
            done();
            return;
          }
          const first = firstLine.get(checked.key);
          if (first !== undefined) {
            rejections.push({
              line,
              field: 'niss',
              messageId: 'upload.duplicateRow',
              params: { first, key: spec.uniqueBy },
            });
            done();
            return;
          }
          firstLine.set(checked.key, line);
          pending.push(`${line}\t${checked.niss}\t${checked.values.map(copyValue).join('\t')}\n`);
          if (pending.length >= 2_000) {
            const chunk = pending.join('');
            pending = [];
            done(null, chunk);
            return;
          }
          done();
        },
        flush(done: TransformCallback) {
          if (!headerSeen) {
            done(new FileRefused(400, new BadRequestError({ id: 'upload.header', params: { columns: header } })));
            return;
          }
          done(null, pending.length > 0 ? pending.join('') : undefined);
        },
      });
      const copy = client.query(
        copyFrom(`copy upload_staging (${columns.map(([name]) => name).join(', ')}) from stdin`),
      );
      const started = performance.now();
      // The request is piped, not part of the pipeline: a file refused midway leaves the connection open, drained, for the answer.
      request.once('error', (error) => bytesIn.destroy(error));
      request.pipe(bytesIn);
      await pipeline(bytesIn, parser, rowsOut, copy);
      const streamedMs = Math.round(performance.now() - started);
      const fingerprint = hash.digest('hex');

      // The batch key: claimed first (a concurrent upload with the same key waits here, then replays).
      const requestedBy = callerKey(identity);
      const {
        rows: [claimed],
      } = await client.query<{ id: string; received_at: Date | string }>(
        `insert into ${spec.batchTable} (id, kind, idempotency_key, uploaded_by, organisation, fingerprint, bytes, row_count, applied_count, rejected_count, rejections, received_at)
         values (gen_random_uuid(), $1, $2, $3, $4, $5, $6, $7, 0, 0, '[]', now()) on conflict (uploaded_by, idempotency_key) do nothing returning id, received_at`,
        [spec.kind.path, key, requestedBy, identity.organisation, fingerprint, bytes, rows],
      );
      if (!claimed) {
        const {
          rows: [stored],
        } = await client.query<StoredBatch>(
          `${STORED_BATCH} from ${spec.batchTable} where uploaded_by = $1 and idempotency_key = $2`,
          [requestedBy, key],
        );
        await client.query('rollback');
        if (!stored || stored.kind !== spec.kind.path || stored.fingerprint !== fingerprint) {
          sendJson(response, 409, {
            errors: [
              localiseError(
                formatError(new ConflictError({ id: 'conflict.idempotencyKeyReused' }).toJSON(), undefined),
                language,
              ),
            ],
          });
          return;
        }
        sendJson(response, 200, answer(reportOf(stored), true, language));
        return;
      }

      const applying = performance.now();
      rejections.push(...(await spec.apply(client, { batchId: claimed.id, identity, decision })));
      const appliedMs = Math.round(performance.now() - applying);
      rejections.sort((a, b) => a.line - b.line);
      const listed = rejections.slice(0, MAX_LISTED_REJECTIONS);
      await client.query(
        `update ${spec.batchTable} set applied_count = $2, rejected_count = $3, rejections = $4::jsonb, completed_at = now() where id = $1`,
        [claimed.id, rows - rejections.length, rejections.length, JSON.stringify(listed)],
      );
      await client.query('commit');
      log.info(
        {
          upload: spec.kind.path,
          batch: claimed.id,
          rows,
          applied: rows - rejections.length,
          rejected: rejections.length,
          bytes,
          streamedMs,
          appliedMs,
          ms: Math.round(performance.now() - started),
        },
        'upload applied',
      );
      const report: BatchReport = {
        id: claimed.id,
        kind: spec.kind.path,
        idempotencyKey: key,
        fingerprint,
        bytes,
        rows,
        applied: rows - rejections.length,
        rejected: rejections.length,
        rejections: listed,
        receivedAt: new Date(claimed.received_at).toISOString(),
      };
      sendJson(response, 200, answer(report, false, language));
    } catch (error) {
      await client.query('rollback').catch(() => {});
      request.unpipe();
      if (error instanceof FileRefused) {
        if (error.status === 413) response.setHeader('connection', 'close'); // what is over the limit is not read
        refuse(request, response, error.status, error.error, error.status !== 413);
        return;
      }
      if (error instanceof CsvError) {
        refuse(request, response, 400, new BadRequestError({ id: 'upload.notCsv', params: { line: lastLine + 1 } }));
        return;
      }
      const state = String((error as { code?: unknown }).code ?? '');
      if (RACE_STATES.has(state) || state === '23505') {
        refuse(request, response, 409, new ConflictError({ id: 'conflict.concurrentChange' }));
        return;
      }
      const transient = transientFailure(error);
      if (transient) {
        refuse(request, response, 503, transient);
        return;
      }
      if (request.destroyed || response.destroyed) return; // the sender went away: nothing was stored
      log.error({ err: error, upload: spec.kind.path }, 'upload failed');
      refuse(
        request,
        response,
        500,
        new GraphQLError('Internal server error', { extensions: { code: 'INTERNAL_SERVER_ERROR' } }),
      );
      return;
    } finally {
      client.release();
    }
  };
}

interface StoredBatch {
  id: string;
  kind: string;
  idempotency_key: string;
  fingerprint: string;
  bytes: string;
  row_count: number;
  applied_count: number;
  rejected_count: number;
  rejections: RowRejection[];
  received_at: Date | string;
}
const STORED_BATCH =
  'select id, kind, idempotency_key, fingerprint, bytes, row_count, applied_count, rejected_count, rejections, received_at';

function reportOf(stored: StoredBatch): BatchReport {
  return {
    id: stored.id,
    kind: stored.kind,
    idempotencyKey: stored.idempotency_key,
    fingerprint: stored.fingerprint,
    bytes: Number(stored.bytes),
    rows: stored.row_count,
    applied: stored.applied_count,
    rejected: stored.rejected_count,
    rejections: stored.rejections,
    receivedAt: new Date(stored.received_at).toISOString(),
  };
}
