import {
  computeClaimLines,
  monthDays,
  roundHalfUp,
  type ClaimMembership,
  type ClaimPathway,
  type ClaimTerms,
} from './claim-lines.js';

/** Article 23's convention (5 coaches + ½ supervisor funded), with a fee per pathway started: illustrative amounts. */
const TERMS: ClaimTerms = {
  code: 'ARTICLE-23',
  version: 3,
  coachFteHundredths: 500,
  supervisorFteHundredths: 50,
  coachFteMonthCents: 550_000,
  supervisorFteMonthCents: 650_000,
  pathwayStartCents: 25_000,
};
const coach = (subject: string, enrolledOn: string, endedOn: string | null, fteHundredths = 100): ClaimMembership => ({
  subject,
  function: 'JOB_COACH',
  fteHundredths,
  enrolledOn,
  endedOn,
});

describe("a partner's claim for a month (R17), every line against amounts computed by hand", () => {
  // February 2024: 29 days.
  const memberships: ClaimMembership[] = [
    ...[1, 2, 3, 4].map((n) => coach(`coach-${n}`, '2023-06-01', null)), // the whole month, full time
    coach('coach-5', '2023-06-01', '2024-02-14'), // leaves on the 14th: 14 days
    coach('coach-6', '2024-02-10', null, 50), // half time from the 10th: 20 days
    { subject: 'supervisor-1', function: 'SUPERVISOR', fteHundredths: 100, enrolledOn: '2024-02-15', endedOn: null }, // full time from the 15th: 15 days
    coach('coach-gone', '2023-01-01', '2024-01-31'), // ended before the month: not counted
  ];
  const pathways: ClaimPathway[] = [
    { pathwayId: 'p-ips-1', startedOn: '2024-02-03', arm: 'IPS' },
    { pathwayId: 'p-ips-2', startedOn: '2024-02-28', arm: 'IPS' },
    { pathwayId: 'p-control', startedOn: '2024-02-10', arm: 'CONTROL' },
    { pathwayId: 'p-waiting', startedOn: '2024-02-20', arm: null },
    { pathwayId: 'p-january', startedOn: '2024-01-31', arm: 'IPS' },
  ];

  it('pays coaches for their FTE-days, within the funded FTE: (4 × 29 + 14 + ½ × 20) / 29 coach FTE-months × 5 500 €', () => {
    const [coaches] = computeClaimLines(TERMS, '2024-02', memberships, pathways);
    // 4 × 100 × 29 + 100 × 14 + 50 × 20 = 14 000 FTE-hundredth-days; 14 000 / 29 = 482.76 → 4.83 FTE-months, under the 5.00 funded.
    // 14 000 × 550 000 / (100 × 29) = 2 655 172.41 → 2 655 172 cents.
    expect(coaches).toMatchObject({
      kind: 'COACH_FTE_MONTHS',
      quantity: 483,
      fundedQuantity: 500,
      paidQuantity: 483,
      unitCents: 550_000,
      amountCents: 2_655_172,
    });
    expect(coaches!.sources.map((s) => [s.reference, s.fteHundredths, s.from, s.to, s.days])).toEqual([
      ['coach-1', 100, '2024-02-01', '2024-02-29', 29],
      ['coach-2', 100, '2024-02-01', '2024-02-29', 29],
      ['coach-3', 100, '2024-02-01', '2024-02-29', 29],
      ['coach-4', 100, '2024-02-01', '2024-02-29', 29],
      ['coach-5', 100, '2024-02-01', '2024-02-14', 14],
      ['coach-6', 50, '2024-02-10', '2024-02-29', 20],
    ]);
    expect(coaches!.explanation).toBe(
      "4.83 coach FTE-months staffed in 2024-02 (6 memberships, FTE × days active / 29 days), within the convention's 5.00 FTE × 5500.00 € per FTE-month = 26551.72 €",
    );
  });

  it('pays a supervisor above the convention only at the funded FTE, and says so', () => {
    const [, supervisors] = computeClaimLines(TERMS, '2024-02', memberships, pathways);
    // 100 × 15 = 1 500 FTE-days staffed (0.52 FTE-months) against 50 × 29 = 1 450 funded: paid 1 450 × 650 000 / 2 900 = 325 000 cents.
    expect(supervisors).toMatchObject({
      kind: 'SUPERVISOR_FTE_MONTHS',
      quantity: 52,
      fundedQuantity: 50,
      paidQuantity: 50,
      unitCents: 650_000,
      amountCents: 325_000,
    });
    expect(supervisors!.explanation).toMatch(/paid at the convention's 0\.50 FTE \(at most the funded FTE\)/);
  });

  it('pays pathways started that month in the IPS arm only, naming the others', () => {
    const [, , starts] = computeClaimLines(TERMS, '2024-02', memberships, pathways);
    expect(starts).toMatchObject({
      kind: 'PATHWAY_STARTS',
      quantity: 2,
      paidQuantity: 2,
      unitCents: 25_000,
      amountCents: 50_000,
    });
    expect(starts!.sources.map((s) => [s.reference, s.counted])).toEqual([
      ['p-ips-1', true],
      ['p-control', false],
      ['p-waiting', false],
      ['p-ips-2', true],
    ]);
    expect(starts!.explanation).toBe(
      '2 pathways started in 2024-02 in the IPS arm × 250.00 € = 500.00 €; 1 in the control arm not paid (followed by the SRE, R9); 1 not yet randomised, not paid',
    );
  });

  it('caps six coaches at the five funded: 5 × 5 500 € in a 31-day month', () => {
    const six = [1, 2, 3, 4, 5, 6].map((n) => coach(`c${n}`, '2024-01-01', null));
    const [coaches] = computeClaimLines(TERMS, '2024-03', six, []);
    expect(coaches).toMatchObject({ quantity: 600, fundedQuantity: 500, paidQuantity: 500, amountCents: 2_750_000 });
  });

  it('has no pathway line where the convention pays none, and a zero line for a month with no staff', () => {
    const lines = computeClaimLines({ ...TERMS, pathwayStartCents: null }, '2024-02', [], pathways);
    expect(lines.map((line) => [line.kind, line.amountCents])).toEqual([
      ['COACH_FTE_MONTHS', 0],
      ['SUPERVISOR_FTE_MONTHS', 0],
    ]);
  });

  it('rounds half up in integers, and knows the length of each month', () => {
    expect([roundHalfUp(1n, 2n), roundHalfUp(3n, 2n), roundHalfUp(1n, 3n), roundHalfUp(2n, 3n)]).toEqual([1, 2, 0, 1]);
    expect([monthDays('2024-02').days, monthDays('2023-02').days, monthDays('2024-04').last]).toEqual([
      29,
      28,
      '2024-04-30',
    ]);
  });
});
