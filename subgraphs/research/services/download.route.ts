/**
 * The download of an approved request's extract (R19): `GET /datasets/<request id>.<file>`, where
 * <file> is `csv` or `parquet` (the person or person-month file), `answers.csv` or `answers.parquet`
 * (the questionnaire answers per person and wave, when the request names any), `codebook.json`,
 * `dictionary.csv` (REDCap's data dictionary format), `labels.R`, `labels.do` or `labels.sps` (the
 * label scripts): extract-package.ts. Reached through the gateway's origin (gateway/datasets.ts),
 * which verifies the caller's token exactly as for the graph and forwards the same signed identity
 * token the graph's subgraph calls carry (verified again by the kit before this runs). Who may
 * download is decided from schema/policy.ts DOWNLOADS alone: the researcher who filed a request INAMI
 * approved; a pending, refused or another researcher's request answers exactly like a missing one
 * (404, NOT_FOUND).
 *
 * Every file is made in one read-only, repeatable-read transaction, so it is one consistent
 * snapshot: the re-identification check (k-anonymity, schema/policy.ts EXTRACT_DISCLOSURE) runs in it
 * first and its coarsening is applied to every row sent; an extract whose people are fewer than k is
 * not served (409). The data files are streamed from PostgreSQL (a cursor, back-pressure to the
 * client: extract-writer.ts); every download — finished or cut off — is logged with its rows, bytes
 * and the SHA-256 of the bytes sent. The codebook states the data version the files were made
 * from: files of the same data version agree with it.
 */
import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type pg from 'pg';
import { mayDownload } from '../../kit/access/decide.js';
import { callerKey } from '../../kit/command.js';
import { sendInternalError, sendNotFound } from '../../kit/file-response.js';
import type { FileRoute } from '../../kit/subgraph.js';
import { coarsenRow } from './extract-disclosure.js';
import { baseName, codebookDocument, planExtract, scriptFiles, type ExtractPlan } from './extract-package.js';
import { LANGUAGE_HEADER } from '../../../schema/headers.js';
import { isLanguage, type Language } from '../../../schema/i18n/index.js';
import { dictionaryCsv, rScript, spssScript, stataScript } from './label-scripts.js';
import { streamExtract, type ExtractFormat } from './extract-writer.js';

/** How long one extraction may run (the application role's default statement timeout is 10 s). */
const EXTRACT_TIMEOUT = '15min';

const FILE =
  /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.(csv|parquet|answers\.csv|answers\.parquet|codebook\.json|dictionary\.csv|labels\.R|labels\.do|labels\.sps)$/;

const CONTENT_TYPE: Record<ExtractFormat, string> = {
  CSV: 'text/csv; charset=utf-8',
  PARQUET: 'application/vnd.apache.parquet',
};

const notFound = (response: ServerResponse) => sendNotFound(response, 'DataRequest');

/** The small files made from the plan: what each is logged as, its type, and its text. */
const TEXT_FILES: Record<
  string,
  { format: string; contentType: string; body: (plan: ExtractPlan, language: Language) => string }
> = {
  'codebook.json': {
    format: 'CODEBOOK',
    contentType: 'application/json; charset=utf-8',
    body: (plan) => JSON.stringify(codebookDocument(plan), null, 2),
  },
  'dictionary.csv': {
    format: 'DICTIONARY',
    contentType: 'text/csv; charset=utf-8',
    body: (plan, language) => dictionaryCsv(scriptFiles(plan), language),
  },
  'labels.R': {
    format: 'LABELS_R',
    contentType: 'text/plain; charset=utf-8',
    body: (plan, language) => rScript(scriptFiles(plan), heading(plan), language),
  },
  'labels.do': {
    format: 'LABELS_STATA',
    contentType: 'text/plain; charset=utf-8',
    body: (plan, language) => stataScript(scriptFiles(plan), heading(plan), language),
  },
  'labels.sps': {
    format: 'LABELS_SPSS',
    contentType: 'text/plain; charset=utf-8',
    body: (plan, language) => spssScript(scriptFiles(plan), heading(plan), language),
  },
};
const heading = (plan: ExtractPlan) =>
  `IPS trial extract ${baseName(plan.record)}, data version ${plan.dataVersion}, extracted ${plan.extractedAt.toISOString()}`;

function refuse(response: ServerResponse, plan: ExtractPlan): void {
  response.writeHead(409, { 'content-type': 'application/json' }).end(
    JSON.stringify({
      errors: [
        {
          message: `The extract holds ${plan.disclosure.persons} people, fewer than the ${plan.disclosure.threshold} every group of its quasi-identifiers must count (R19): it is not served.`,
          extensions: { code: 'CONFLICT' },
        },
      ],
    }),
  );
}

export const datasetFiles: FileRoute = async (request, response, { identity, orm, log, path }) => {
  // The labels of the dictionary and scripts in the caller's language, as the gateway negotiated it.
  const forwarded = request.headers[LANGUAGE_HEADER];
  const language: Language = isLanguage(forwarded) ? forwarded : 'en';
  const match = FILE.exec(path);
  if (!match) {
    notFound(response);
    return;
  }
  const [, requestId, extension] = match as unknown as [string, string, string];
  const pool = await orm.em.getConnection().getNativeClient();
  const {
    rows: [record],
  } = await pool.query<{
    project: string;
    variables: string[];
    status: string;
    requester_organisation: string;
    requester_subject: string;
  }>(
    'select project, variables, status, requester_organisation, requester_subject from research.data_request where id = $1',
    [requestId],
  );
  if (
    !record ||
    !mayDownload('dataset', identity, {
      filerOrganisation: record.requester_organisation,
      filerSubject: record.requester_subject,
      status: record.status,
    })
  ) {
    notFound(response);
    return;
  }
  const startedAt = new Date();
  const logDownload = (format: string, rows: number, bytes: number, sha256: string, complete: boolean) =>
    pool.query(
      'insert into research.dataset_download (id, request_id, downloaded_by, format, rows, bytes, sha256, complete, started_at, finished_at) values (gen_random_uuid(), $1, $2, $3, $4, $5, $6, $7, $8, now())',
      [requestId, callerKey(identity), format, rows, bytes, sha256, complete, startedAt],
    );
  const fileName = baseName({ project: record.project, requestId });
  const text = TEXT_FILES[extension];
  const answersFile = extension.startsWith('answers.');
  const format: string = text
    ? text.format
    : `${answersFile ? 'ANSWERS_' : ''}${extension.endsWith('csv') ? 'CSV' : 'PARQUET'}`;
  const encoding: ExtractFormat = extension.endsWith('parquet') ? 'PARQUET' : 'CSV';

  const client = await pool.connect();
  const sent = { rows: 0, bytes: 0, sha256: '' };
  let complete = false;
  let logged = true;
  try {
    await client.query('begin isolation level repeatable read read only');
    // A slow reader holds the transaction open between batches (back-pressure): bounded, but not by the request defaults.
    await client.query(`set local statement_timeout = '${EXTRACT_TIMEOUT}'`);
    await client.query(`set local idle_in_transaction_session_timeout = '${EXTRACT_TIMEOUT}'`);
    const plan = await planExtract(client, { requestId, project: record.project, variables: record.variables });
    if (answersFile && !plan.answers) {
      logged = false; // no such file: answered like a missing one
      await client.query('rollback');
      notFound(response);
      return;
    }
    if (!plan.disclosure.satisfied) {
      await client.query('rollback');
      refuse(response, plan);
      return;
    }
    if (text) {
      const body = Buffer.from(text.body(plan, language));
      await client.query('commit');
      response
        .writeHead(200, {
          'content-type': text.contentType,
          'content-language': language,
          'content-disposition': `attachment; filename="${fileName}.${extension}"`,
          'cache-control': 'no-store',
        })
        .end(body);
      Object.assign(sent, {
        rows: plan.main.columns.length + (plan.answers?.columns.length ?? 0),
        bytes: body.length,
        sha256: createHash('sha256').update(body).digest('hex'),
      });
      complete = true;
      return;
    }
    const file = answersFile ? plan.answers! : plan.main;
    // Headers go with the first bytes, which come after the first rows: a failing statement still gets an error status.
    response.statusCode = 200;
    response.setHeader('content-type', CONTENT_TYPE[encoding]);
    response.setHeader('content-disposition', `attachment; filename="${fileName}.${extension}"`);
    response.setHeader('cache-control', 'no-store');
    await streamExtract(client, file.sql, [record.project], file.columns, encoding, response, sent, (row) =>
      coarsenRow(row, plan.disclosure),
    );
    await client.query('commit');
    complete = true;
    response.end();
  } catch (error) {
    await client.query('rollback').catch(() => {});
    log.warn({ err: error, requestId, format }, 'dataset download cut off');
    if (!response.headersSent) {
      response.removeHeader('content-disposition');
      sendInternalError(response);
    } else response.destroy();
  } finally {
    client.release();
    if (logged)
      await logDownload(format, sent.rows, sent.bytes, sent.sha256 || createHash('sha256').digest('hex'), complete);
  }
};
