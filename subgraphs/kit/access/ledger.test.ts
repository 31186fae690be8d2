import { followUpEndsOn, inFollowUp } from './ledger.js';

describe("a person's trial follow-up (FOLLOW_UP_MONTHS: month 0, the month of randomisation, to month 30)", () => {
  it('ends on the last day of month 30, whatever the day of randomisation in month 0', () => {
    expect(followUpEndsOn('2020-01-01')).toBe('2022-07-31');
    expect(followUpEndsOn('2020-01-31')).toBe('2022-07-31');
    expect(followUpEndsOn('2019-08-15')).toBe('2022-02-28'); // month 30 is February
    expect(followUpEndsOn('2021-08-15')).toBe('2024-02-29'); // in a leap year
  });

  it('ends at death when earlier', () => {
    expect(followUpEndsOn('2020-01-10', '2021-03-04')).toBe('2021-03-04');
    expect(followUpEndsOn('2020-01-10', '2023-03-04')).toBe('2022-07-31');
  });

  it('holds a date up to its end, for a randomised person whose research consent holds (a date before randomisation is the baseline)', () => {
    const ledger = { randomisedOn: '2020-01-10', researchConsent: true };
    expect(inFollowUp(ledger, '2019-12-01')).toBe(true);
    expect(inFollowUp(ledger, '2022-07-31')).toBe(true);
    expect(inFollowUp(ledger, '2022-08-01')).toBe(false);
    expect(inFollowUp(ledger, '2021-04-01', '2021-03-04')).toBe(false);
    expect(inFollowUp({ ...ledger, researchConsent: false }, '2020-02-01')).toBe(false);
    expect(inFollowUp({ randomisedOn: null, researchConsent: true }, '2020-02-01')).toBe(false);
    expect(inFollowUp(undefined, '2020-02-01')).toBe(false);
  });
});
