/**
 * The download of an approved request's extract (R19): `GET /datasets/<request id>.csv`, `.parquet`
 * or `.codebook.json`, reached through the gateway's origin (gateway/datasets.ts), which verifies the
 * caller's token exactly as for the graph and forwards the same signed identity token the graph's
 * subgraph calls carry (verified again by the kit before this runs). Who may download is decided from
 * schema/policy.ts DOWNLOADS alone: the researcher who filed a request INAMI approved; a pending,
 * refused or another researcher's request answers exactly like a missing one (404, NOT_FOUND).
 *
 * The extract is streamed from PostgreSQL (a cursor, back-pressure to the client: extract-writer.ts)
 * in one read-only, repeatable-read transaction, so it is one consistent snapshot; every download —
 * finished or cut off — is logged with its rows, bytes and the SHA-256 of the bytes sent.
 */
import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type pg from 'pg';
import { NotFoundError } from '../../../schema/errors.js';
import { mayDownload } from '../../kit/access/decide.js';
import { callerKey } from '../../kit/command.js';
import type { FileRoute } from '../../kit/subgraph.js';
import { extractColumns, type CodebookVariable } from './codebook.js';
import { extractSql } from './dataset.sql.js';
import { streamExtract, type ExtractFormat } from './extract-writer.js';

/** How long one extraction may run (the application role's default statement timeout is 10 s). */
const EXTRACT_TIMEOUT = '15min';

const FILE = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.(csv|parquet|codebook\.json)$/;

const CONTENT_TYPE: Record<ExtractFormat, string> = { CSV: 'text/csv; charset=utf-8', PARQUET: 'application/vnd.apache.parquet' };

function notFound(response: ServerResponse): void {
  const error = new NotFoundError('DataRequest');
  response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ message: error.message, extensions: { code: 'NOT_FOUND', messageId: 'error.notFound' } }] }));
}

/** The codebook of one extract: each of its columns, in the file's order. */
export function codebookDocument(requestId: string, project: string, columns: readonly CodebookVariable[]) {
  return {
    request: requestId,
    project,
    columns: columns.map(({ name, type, level, label, values, derivation }) => ({ name, type, level, label, values: values ?? [], derivation })),
  };
}

export const datasetFiles: FileRoute = async (_request, response, { identity, orm, log, path }) => {
  const match = FILE.exec(path);
  if (!match) return notFound(response);
  const [, requestId, extension] = match as unknown as [string, string, string];
  const pool = (await orm.em.getConnection().getNativeClient()) as unknown as pg.Pool;
  const { rows: [record] } = await pool.query<{ project: string; variables: string[]; status: string; requester_organisation: string; requester_subject: string }>(
    'select project, variables, status, requester_organisation, requester_subject from research.data_request where id = $1',
    [requestId],
  );
  if (!record || !mayDownload('dataset', identity, { filerOrganisation: record.requester_organisation, filerSubject: record.requester_subject, status: record.status })) {
    return notFound(response);
  }
  const startedAt = new Date();
  const logDownload = (format: string, rows: number, bytes: number, sha256: string, complete: boolean) =>
    pool.query(
      'insert into research.dataset_download (id, request_id, downloaded_by, format, rows, bytes, sha256, complete, started_at, finished_at) values (gen_random_uuid(), $1, $2, $3, $4, $5, $6, $7, $8, now())',
      [requestId, callerKey(identity), format, rows, bytes, sha256, complete, startedAt],
    );
  const fileName = `${record.project}-${requestId}`;

  if (extension === 'codebook.json') {
    const body = Buffer.from(JSON.stringify(codebookDocument(requestId, record.project, extractColumns(record.variables)), null, 2));
    response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-disposition': `attachment; filename="${fileName}.codebook.json"`, 'cache-control': 'no-store' }).end(body);
    await logDownload('CODEBOOK', extractColumns(record.variables).length, body.length, createHash('sha256').update(body).digest('hex'), true);
    return;
  }

  const format: ExtractFormat = extension === 'csv' ? 'CSV' : 'PARQUET';
  const { sql, columns } = extractSql(record.variables);
  const client = await pool.connect();
  const sent = { rows: 0, bytes: 0, sha256: '' };
  let complete = false;
  try {
    await client.query('begin isolation level repeatable read read only');
    // A slow reader holds the transaction open between batches (back-pressure): bounded, but not by the request defaults.
    await client.query(`set local statement_timeout = '${EXTRACT_TIMEOUT}'`);
    await client.query(`set local idle_in_transaction_session_timeout = '${EXTRACT_TIMEOUT}'`);
    // Headers go with the first bytes, which come after the first rows: a failing statement still gets an error status.
    response.statusCode = 200;
    response.setHeader('content-type', CONTENT_TYPE[format]);
    response.setHeader('content-disposition', `attachment; filename="${fileName}.${extension}"`);
    response.setHeader('cache-control', 'no-store');
    await streamExtract(client, sql, [record.project], columns, format, response, sent);
    await client.query('commit');
    complete = true;
    response.end();
  } catch (error) {
    await client.query('rollback').catch(() => {});
    log.warn({ err: error, requestId, format }, 'dataset download cut off');
    if (!response.headersSent) {
      response.removeHeader('content-disposition');
      response.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] }));
    } else response.destroy();
  } finally {
    client.release();
    await logDownload(format, sent.rows, sent.bytes, sent.sha256 || createHash('sha256').digest('hex'), complete);
  }
};
