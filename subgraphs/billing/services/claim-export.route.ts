/**
 * `GET /claims/<period>.csv` (a month `2024-02` or a quarter `2024-Q1`): INAMI's export of every
 * partner's claims of the period for its accounting (R17; the rows: claim-export.ts). Reached through
 * the gateway's origin (gateway/datasets.ts), which verifies the caller's token exactly as for the graph
 * and forwards the same signed identity token the graph's subgraph calls carry (verified again by the
 * kit before this runs). Who may fetch it is decided from schema/policy.ts DOWNLOADS.claimExport alone:
 * INAMI, for a period one of whose months has ended; anyone else, a malformed period or a period to
 * come answers exactly like a missing export (404, NOT_FOUND). Three statements whatever the number of
 * claims, in one read-only repeatable-read transaction: one consistent snapshot.
 */
import { mayDownload } from '../../kit/access/decide.js';
import { sendInternalError, sendNotFound } from '../../kit/file-response.js';
import type { FileRoute } from '../../kit/subgraph.js';
import {
  claimExportCsv,
  claimExportRows,
  parsePeriod,
  periodState,
  type ExportClaim,
  type ExportCreditLine,
  type ExportLine,
  type ExportPayment,
} from './claim-export.js';

const FILE = /^([0-9]{4}-(?:0[1-9]|1[0-2]|Q[1-4]))\.csv$/;
/** An instant as the export writes it: ISO 8601 in UTC, to the millisecond. */
const iso = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const MISSING = 'ClaimExport'; // schema/i18n: « Export of a period’s claims »

export const claimExportFile: FileRoute = async (_request, response, { identity, orm, log, path }) => {
  const match = FILE.exec(path);
  const period = match?.[1] ? parsePeriod(match[1]) : null;
  if (
    !period ||
    !mayDownload('claimExport', identity, {
      filerOrganisation: '',
      filerSubject: '',
      status: periodState(period, new Date()),
    })
  ) {
    sendNotFound(response, MISSING);
    return;
  }

  const pool = await orm.em.getConnection().getNativeClient();
  const client = await pool.connect();
  try {
    await client.query('begin isolation level repeatable read read only');
    const claims = await client.query<ExportClaim>(
      `select c.id, c.period, c.code, v.partner, v.region, c.status, c.convention_version as "conventionVersion",
              ${iso('c.submitted_at')} as "submittedAt"
         from billing.claim c join billing.convention v on v.id = c.convention_id
        where c.period = any($1) order by c.period, c.code, c.id`,
      [period.months],
    );
    const lines = await client.query<ExportLine>(
      `select l.claim_id as "claimId", l.position, l.kind, l.paid_quantity as "paidQuantity", l.unit_cents as "unitCents",
              l.amount_cents as "amountCents", l.decision, l.decision_reason as "decisionReason", ${iso('l.decided_at')} as "decidedAt"
         from billing.claim_line l join billing.claim c on c.id = l.claim_id
        where c.period = any($1) order by l.claim_id, l.position`,
      [period.months],
    );
    const credits = await client.query<ExportCreditLine>(
      `select n.claim_id as "claimId", n.id as "creditNoteId", n.reason, ${iso('n.issued_at')} as "issuedAt", l.position, l.kind,
              nl.amount_cents as "amountCents"
         from billing.credit_note n join billing.claim c on c.id = n.claim_id
         join billing.credit_note_line nl on nl.credit_note_id = n.id join billing.claim_line l on l.id = nl.claim_line_id
        where c.period = any($1) order by n.issued_at, n.id, l.position`,
      [period.months],
    );
    const payments = await client.query<ExportPayment>(
      `select p.claim_id as "claimId", p.id, to_char(p.paid_on, 'YYYY-MM-DD') as "paidOn", p.reference,
              p.amount_cents as "amountCents"
         from billing.claim_payment p join billing.claim c on c.id = p.claim_id
        where c.period = any($1) order by p.paid_on, p.recorded_at, p.id`,
      [period.months],
    );
    await client.query('commit');
    const body = Buffer.from(claimExportCsv(claimExportRows(claims.rows, lines.rows, credits.rows, payments.rows)));
    response
      .writeHead(200, {
        'content-type': 'text/csv; charset=utf-8; header=present',
        'content-disposition': `attachment; filename="ips-claims-${period.name}.csv"`,
        'cache-control': 'no-store',
      })
      .end(body);
    log.info({ period: period.name, claims: claims.rows.length, bytes: body.length }, 'claim export served');
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    log.warn({ err: error, period: period.name }, 'claim export failed');
    if (!response.headersSent) sendInternalError(response);
    else response.destroy();
  } finally {
    client.release();
  }
};
