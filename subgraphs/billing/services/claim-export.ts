/**
 * INAMI's CSV of a period's claims (R17), for its accounting: every partner's claims of a month
 * (`2024-02`) or a quarter (`2024-Q1`), one row per claim line, per credit note line and per payment,
 * in a stable order (period, convention, then the claim's lines by position, its credit notes by
 * issue, its payments by date). The columns are documented in docs/partners.md (« INAMI's export of
 * a period's claims »): amounts in euros with a full stop as decimal separator and two decimals, no
 * thousands separator, negative for a credit note; instants in ISO 8601 UTC, days as YYYY-MM-DD.
 * RFC 4180 (CRLF, quoted fields), UTF-8 with a byte order mark so that a spreadsheet reads the
 * accents; every text cell is neutralised against formula injection (kit/csv.ts).
 */
import { csvField, spreadsheetText } from '../../kit/csv.js';

/** The columns, in order, and whether each holds text (neutralised) or a number (written as is). */
export const CLAIM_EXPORT_COLUMNS = [
  ['period', 'text'],
  ['convention', 'text'],
  ['partner', 'text'],
  ['region', 'text'],
  ['claim_id', 'text'],
  ['claim_status', 'text'],
  ['convention_version', 'number'],
  ['submitted_at', 'text'],
  ['row_type', 'text'],
  ['line_position', 'number'],
  ['line_kind', 'text'],
  ['quantity', 'number'],
  ['quantity_unit', 'text'],
  ['unit_amount_eur', 'number'],
  ['amount_eur', 'number'],
  ['decision', 'text'],
  ['decision_reason', 'text'],
  ['decided_at', 'text'],
  ['credit_note_id', 'text'],
  ['credit_note_reason', 'text'],
  ['issued_at', 'text'],
  ['payment_id', 'text'],
  ['paid_on', 'text'],
  ['payment_reference', 'text'],
] as const;
export type ClaimExportColumn = (typeof CLAIM_EXPORT_COLUMNS)[number][0];
export type ClaimExportRow = Partial<Record<ClaimExportColumn, string | number | null>>;

/** A period of the export: a month or a quarter, and its months. */
export interface ExportPeriod {
  name: string;
  months: string[];
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const QUARTER = /^(\d{4})-Q([1-4])$/;

/** `2024-02` or `2024-Q1`; null for anything else (answered as a missing export). */
export function parsePeriod(text: string): ExportPeriod | null {
  if (MONTH.test(text)) return { name: text, months: [text] };
  const quarter = QUARTER.exec(text);
  if (!quarter) return null;
  const [, year, q] = quarter as unknown as [string, string, string];
  const first = (Number(q) - 1) * 3 + 1;
  return {
    name: text,
    months: [first, first + 1, first + 2].map((m) => `${year}-${String(m).padStart(2, '0')}`),
  };
}

/** The month it is in Belgium (a claim is for a month that has ended there). */
export function belgianMonth(now: Date): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Brussels', year: 'numeric', month: '2-digit' })
    .formatToParts(now)
    .reduce<Record<string, string>>((all, part) => ({ ...all, [part.type]: part.value }), {});
  return `${parts.year ?? ''}-${parts.month ?? ''}`;
}

/** The period's state for the policy (schema/policy.ts DOWNLOADS.claimExport): claims exist once one of its months has ended. */
export function periodState(period: ExportPeriod, now: Date): 'CLAIMABLE' | 'FUTURE' {
  const current = belgianMonth(now);
  return period.months.some((month) => month < current) ? 'CLAIMABLE' : 'FUTURE';
}

/** Euro cents as euros: `-123.45`, `1234.00` (a full stop, two decimals, no thousands separator). */
export function euros(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${String(Math.trunc(abs / 100))}.${String(abs % 100).padStart(2, '0')}`;
}

/** A line's paid quantity: FTE-months (kept in hundredths) with two decimals, or whole pathways. */
export function quantity(kind: string, paidQuantity: number): { quantity: string; unit: string } {
  return kind === 'PATHWAY_STARTS'
    ? { quantity: String(paidQuantity), unit: 'PATHWAY' }
    : { quantity: euros(paidQuantity), unit: 'FTE_MONTH' };
}

export interface ExportClaim {
  id: string;
  period: string;
  code: string;
  partner: string;
  region: string;
  status: string;
  conventionVersion: number;
  /** ISO 8601 UTC. */
  submittedAt: string;
}
export interface ExportLine {
  claimId: string;
  position: number;
  kind: string;
  paidQuantity: number;
  unitCents: number;
  amountCents: number;
  decision: string | null;
  decisionReason: string | null;
  decidedAt: string | null;
}
export interface ExportCreditLine {
  claimId: string;
  creditNoteId: string;
  reason: string;
  issuedAt: string;
  position: number;
  kind: string;
  amountCents: number;
}
export interface ExportPayment {
  claimId: string;
  id: string;
  paidOn: string;
  reference: string;
  amountCents: number;
}

/** The rows of the export, claims in the order given (period, convention), each followed by its own records in the order given. */
export function claimExportRows(
  claims: readonly ExportClaim[],
  lines: readonly ExportLine[],
  credits: readonly ExportCreditLine[],
  payments: readonly ExportPayment[],
): ClaimExportRow[] {
  const of = <T extends { claimId: string }>(rows: readonly T[]) => {
    const byClaim = new Map<string, T[]>();
    for (const row of rows) byClaim.set(row.claimId, [...(byClaim.get(row.claimId) ?? []), row]);
    return (id: string) => byClaim.get(id) ?? [];
  };
  const linesOf = of(lines);
  const creditsOf = of(credits);
  const paymentsOf = of(payments);
  return claims.flatMap((claim) => {
    const head: ClaimExportRow = {
      period: claim.period,
      convention: claim.code,
      partner: claim.partner,
      region: claim.region,
      claim_id: claim.id,
      claim_status: claim.status,
      convention_version: claim.conventionVersion,
      submitted_at: claim.submittedAt,
    };
    return [
      ...linesOf(claim.id).map((line): ClaimExportRow => {
        const paid = quantity(line.kind, line.paidQuantity);
        return {
          ...head,
          row_type: 'LINE',
          line_position: line.position,
          line_kind: line.kind,
          quantity: paid.quantity,
          quantity_unit: paid.unit,
          unit_amount_eur: euros(line.unitCents),
          amount_eur: euros(line.amountCents),
          decision: line.decision,
          decision_reason: line.decisionReason,
          decided_at: line.decidedAt,
        };
      }),
      ...creditsOf(claim.id).map((credit): ClaimExportRow => ({
        ...head,
        row_type: 'CREDIT_NOTE',
        line_position: credit.position,
        line_kind: credit.kind,
        amount_eur: euros(credit.amountCents),
        credit_note_id: credit.creditNoteId,
        credit_note_reason: credit.reason,
        issued_at: credit.issuedAt,
      })),
      ...paymentsOf(claim.id).map((payment): ClaimExportRow => ({
        ...head,
        row_type: 'PAYMENT',
        amount_eur: euros(payment.amountCents),
        payment_id: payment.id,
        paid_on: payment.paidOn,
        payment_reference: payment.reference,
      })),
    ];
  });
}

/** The CSV text: a byte order mark, the header, one CRLF-ended record per row. */
export function claimExportCsv(rows: readonly ClaimExportRow[]): string {
  const record = (cells: readonly string[]) => `${cells.map(csvField).join(',')}\r\n`;
  return (
    '\uFEFF' +
    record(CLAIM_EXPORT_COLUMNS.map(([name]) => name)) +
    rows
      .map((row) =>
        record(
          CLAIM_EXPORT_COLUMNS.map(([name, type]) => {
            const value = row[name];
            if (value === null || value === undefined) return '';
            return type === 'text' ? spreadsheetText(String(value)) : String(value);
          }),
        ),
      )
      .join('')
  );
}
