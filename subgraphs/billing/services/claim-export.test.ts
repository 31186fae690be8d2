/**
 * INAMI's CSV of a period's claims (R17), without a database: periods, amounts as documented, RFC 4180
 * quoting, and text that a spreadsheet would run as a formula neutralised — never a number's sign.
 */
import { parse } from 'csv-parse/sync';
import { claimExportCsv, claimExportRows, euros, parsePeriod, periodState } from './claim-export.js';

describe('the periods of an export', () => {
  it('names a month or a quarter, nothing else', () => {
    expect(parsePeriod('2024-02')).toEqual({ name: '2024-02', months: ['2024-02'] });
    expect(parsePeriod('2024-Q4')).toEqual({ name: '2024-Q4', months: ['2024-10', '2024-11', '2024-12'] });
    for (const bad of ['2024-13', '2024-Q5', '2024-2', '24-02', '2024-02-01', '']) expect(parsePeriod(bad)).toBeNull();
  });

  it('has an export once one of its months has ended in Belgium', () => {
    const now = new Date('2024-03-31T22:30:00Z'); // already 1 April in Brussels
    expect(periodState(parsePeriod('2024-03')!, now)).toBe('CLAIMABLE');
    expect(periodState(parsePeriod('2024-Q2')!, now)).toBe('FUTURE');
    expect(periodState(parsePeriod('2024-04')!, now)).toBe('FUTURE');
  });
});

describe('amounts', () => {
  it('are euros with a full stop and two decimals, no thousands separator, negative for a credit', () => {
    expect([0, 5, 120, 123_456_789, -12_345, -5].map(euros)).toEqual([
      '0.00',
      '0.05',
      '1.20',
      '1234567.89',
      '-123.45',
      '-0.05',
    ]);
  });
});

describe('the CSV', () => {
  const claim = {
    id: 'c1',
    period: '2024-02',
    code: 'ARTICLE-23',
    partner: 'Article 23, "Liège"',
    region: 'WALLONIA',
    status: 'APPROVED',
    conventionVersion: 1,
    submittedAt: '2024-03-01T09:00:00Z',
  };
  const csv = claimExportCsv(
    claimExportRows(
      [claim],
      [
        {
          claimId: 'c1',
          position: 1,
          kind: 'COACH_FTE_MONTHS',
          paidQuantity: 200,
          unitCents: 550_000,
          amountCents: 1_100_000,
          decision: 'REJECTED',
          decisionReason: '=HYPERLINK("http://x")',
          decidedAt: '2024-03-05T10:00:00Z',
        },
      ],
      [
        {
          claimId: 'c1',
          creditNoteId: 'n1',
          reason: '-1 day\nand +1',
          issuedAt: '2024-03-06T10:00:00Z',
          position: 1,
          kind: 'COACH_FTE_MONTHS',
          amountCents: -12_345,
        },
      ],
      [{ claimId: 'c1', id: 'p1', paidOn: '2024-04-15', reference: '@SUM(A1)', amountCents: 1_000_000 }],
    ),
  );

  it('is UTF-8 with a byte order mark, CRLF records, read back field for field by a CSV parser', () => {
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    const records: Record<string, string>[] = parse(csv, { bom: true, columns: true });
    expect(records.map((r) => [r.row_type, r.amount_eur])).toEqual([
      ['LINE', '11000.00'],
      ['CREDIT_NOTE', '-123.45'],
      ['PAYMENT', '10000.00'],
    ]);
    expect(records[0]).toMatchObject({ partner: 'Article 23, "Liège"', quantity: '2.00', quantity_unit: 'FTE_MONTH' });
  });

  it('prefixes text a spreadsheet would evaluate (= + - @), never an amount', () => {
    const records: Record<string, string>[] = parse(csv, { bom: true, columns: true });
    expect(records[0]!.decision_reason).toBe(`'=HYPERLINK("http://x")`);
    expect(records[1]!.credit_note_reason).toBe("'-1 day\nand +1");
    expect(records[2]!.payment_reference).toBe("'@SUM(A1)");
    expect(records[1]!.amount_eur).toBe('-123.45');
  });
});
