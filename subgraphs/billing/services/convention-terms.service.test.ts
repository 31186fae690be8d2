import {
  capacityState,
  fundedStaffingMonthCents,
  monthsBetween,
  staffingState,
  validateTerms,
} from './convention-terms.service.js';

describe("a convention's money, capacity and staffing (R17), computed by hand", () => {
  it('funds a staffing month as FTE hundredths × cents / 100: 5 coaches + ½ supervisor at 5 500 € and 6 500 € = 30 750 €', () => {
    expect(
      fundedStaffingMonthCents({
        coachFteHundredths: 500,
        supervisorFteHundredths: 50,
        coachFteMonthCents: 550_000,
        supervisorFteMonthCents: 650_000,
      }),
    ).toBe(3_075_000);
    // 17 coaches + 2 supervisors (VDAB / GTB)
    expect(
      fundedStaffingMonthCents({
        coachFteHundredths: 1700,
        supervisorFteHundredths: 200,
        coachFteMonthCents: 550_000,
        supervisorFteMonthCents: 650_000,
      }),
    ).toBe(10_650_000);
    // A third of a cent rounds half up, never a float in the answer.
    expect(
      fundedStaffingMonthCents({
        coachFteHundredths: 33,
        supervisorFteHundredths: 0,
        coachFteMonthCents: 1,
        supervisorFteMonthCents: 0,
      }),
    ).toBe(0);
    expect(
      fundedStaffingMonthCents({
        coachFteHundredths: 50,
        supervisorFteHundredths: 0,
        coachFteMonthCents: 1,
        supervisorFteMonthCents: 0,
      }),
    ).toBe(1);
  });

  it('warns INAMI from 90 % and is full at the capacity (registration paused)', () => {
    expect([
      capacityState(0, 100),
      capacityState(89, 100),
      capacityState(90, 100),
      capacityState(99, 100),
      capacityState(100, 100),
      capacityState(101, 100),
    ]).toEqual(['OPEN', 'OPEN', 'NEAR_FULL', 'NEAR_FULL', 'FULL', 'FULL']);
    expect(capacityState(0, 0)).toBe('FULL'); // a convention with no place registers no one
    expect(capacityState(54, 60)).toBe('NEAR_FULL');
  });

  it('says whether a month is staffed as the convention, above, below or both', () => {
    expect([
      staffingState(0, 0),
      staffingState(100, 0),
      staffingState(0, -50),
      staffingState(100, -24),
      staffingState(-1, -1),
    ]).toEqual(['AS_CONVENTION', 'ABOVE', 'BELOW', 'MIXED', 'BELOW']);
  });

  it('names the bad term of an amendment: whole cents, FTE in hundredths, a day', () => {
    expect(validateTerms({ coachFteMonthCents: 560_000, pathwayStartCents: null, validTo: '2027-06-30' })).toEqual({
      coachFteMonthCents: 560_000,
      pathwayStartCents: null,
      validTo: '2027-06-30',
    });
    expect(() => validateTerms({ coachFteMonthCents: 12.5 })).toThrow(/input.terms.coachFteMonthCents/);
    expect(() => validateTerms({ supervisorFteHundredths: -50 })).toThrow(/input.terms.supervisorFteHundredths/);
    expect(() => validateTerms({ validTo: '30/06/2027' })).toThrow(/input.terms.validTo/);
    expect(() => validateTerms({ partnerPathways: -1 })).toThrow(/input.terms.partnerPathways/);
  });

  it('lists the months asked for, across a year, at most 60', () => {
    expect(monthsBetween('2024-11', '2025-02')).toEqual(['2024-11', '2024-12', '2025-01', '2025-02']);
    expect(monthsBetween('2020-01', '2030-01')).toHaveLength(60);
    expect(() => monthsBetween('2024-13', '2025-01')).toThrow(/from/);
    expect(() => monthsBetween('2025-02', '2025-01')).toThrow(/to/);
  });
});
