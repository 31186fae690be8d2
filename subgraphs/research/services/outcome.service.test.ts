import {
  quarterName,
  quarterStarts,
  SMALL_CELL_THRESHOLD,
  suppressedMonthlyShare,
  suppressedShare,
  validateWindow,
} from './outcome.service.js';

describe('small cells (R19; DOMAIN.md: counts under 5 suppressed, with the cells they can be derived from)', () => {
  it('publishes a share only when the people counted and the others both reach the threshold', () => {
    expect(SMALL_CELL_THRESHOLD).toBe(5);
    expect(suppressedShare(5, 10)).toEqual({ numerator: 5, denominator: 10, share: 0.5, suppressed: false });
    expect(suppressedShare(4, 10)).toEqual({ numerator: null, denominator: 10, share: null, suppressed: true });
    expect(suppressedShare(6, 10)).toEqual({ numerator: null, denominator: 10, share: null, suppressed: true }); // 4 not employed
    expect(suppressedShare(0, 3)).toEqual({ numerator: null, denominator: null, share: null, suppressed: true });
    expect(suppressedShare(0, 0)).toEqual({ numerator: 0, denominator: 0, share: null, suppressed: false });
  });

  it('suppresses a share of person-months when fewer than five people stand on either side', () => {
    expect(suppressedMonthlyShare(30, 120, 5, 7)).toEqual({
      numerator: 30,
      denominator: 120,
      share: 0.25,
      suppressed: false,
    });
    expect(suppressedMonthlyShare(30, 120, 4, 8)).toEqual({
      numerator: null,
      denominator: 120,
      share: null,
      suppressed: true,
    });
    expect(suppressedMonthlyShare(110, 120, 12, 2)).toEqual({
      numerator: null,
      denominator: 120,
      share: null,
      suppressed: true,
    });
  });
});

describe('the window of the measures', () => {
  it('takes months written YYYY-MM, in order, at most ten years; errors name the argument', () => {
    expect(validateWindow('2019-01', '2021-12')).toEqual({ fromDay: '2019-01-01', toDay: '2021-12-01' });
    expect(() => validateWindow('2019-1', '2021-12')).toThrow(
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'from' }) }),
    );
    expect(() => validateWindow('2021-12', '2019-01')).toThrow(
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'to' }) }),
    );
    expect(() => validateWindow('2010-01', '2020-01')).toThrow(
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'to' }) }),
    );
    expect(validateWindow('2010-02', '2020-01').toDay).toBe('2020-01-01'); // exactly 120 months
  });

  it('lists the calendar quarters that meet the window', () => {
    expect(quarterStarts('2019-02-01', '2019-10-01')).toEqual(['2019-01-01', '2019-04-01', '2019-07-01', '2019-10-01']);
    expect(quarterStarts('2019-12-01', '2020-01-01').map(quarterName)).toEqual(['2019-Q4', '2020-Q1']);
  });
});
