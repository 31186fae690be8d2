import { birthDateFitsNiss, checkNiss, encodedBirthDate, makeNiss, type NissFacts } from './niss.js';

describe('checkNiss (DOMAIN.md reference facts, R1)', () => {
  it('accepts the documented example born in 1985 and reads its facts', () => {
    const result = checkNiss('85073003328');
    expect(result).toEqual({
      valid: true,
      facts: {
        digits: '85073003328',
        birthDate: '1985-07-30',
        birth: { year: 1985, month: 7, day: 30 },
        century: 1900,
        kind: 'NATIONAL_REGISTER',
        sex: 'MALE',
      },
    });
  });

  it('reads the century from the check digits for people born from 2000 on', () => {
    const result = checkNiss('17073003384');
    expect(result.valid && result.facts.birthDate).toBe('2017-07-30');
  });

  it('accepts written forms with dots, dashes and spaces', () => {
    expect(checkNiss('85.07.30-033.28').valid).toBe(true);
    expect(checkNiss('850730 033 28').valid).toBe(true);
  });

  it.each([
    ['85073003329', 'check digits'],
    ['8507300332', '11 digits'],
    ['85133003300', 'check digits'],
    ['abcdefghijk', '11 digits'],
  ])('refuses %s (%s)', (niss, reason) => {
    const result = checkNiss(niss);
    expect(result.valid).toBe(false);
    expect(!result.valid && result.reason).toContain(reason);
  });

  it('refuses a date that does not exist even with correct check digits', () => {
    expect(checkNiss(makeNiss('1985-02-30', 33))).toEqual({
      valid: false,
      reason: 'birth date does not exist',
      message: { id: 'niss.birthDate' },
    });
  });

  it('refuses serial 000 and 999', () => {
    expect(checkNiss(makeNiss('1990-01-01', 0)).valid).toBe(false);
    expect(checkNiss(makeNiss('1990-01-01', 999)).valid).toBe(false);
  });

  it('understands BIS numbers (month + 40 sex known, + 20 unknown)', () => {
    const bis = makeNiss('1985-47-30', 33);
    const result = checkNiss(bis);
    expect(result.valid && result.facts).toMatchObject({ kind: 'BIS', birthDate: '1985-07-30', sex: 'MALE' });
    const unknownSex = checkNiss(makeNiss('1985-27-30', 34));
    expect(unknownSex.valid && unknownSex.facts.sex).toBeUndefined();
  });

  it('round-trips generated numbers across both centuries', () => {
    for (const [date, serial] of [
      ['1950-12-31', 1],
      ['1999-06-15', 998],
      ['2000-01-01', 2],
      ['2005-02-28', 501],
    ] as const) {
      const result = checkNiss(makeNiss(date, serial));
      expect(result.valid && result.facts.birthDate).toBe(date);
    }
  });

  describe('a birth date partly unknown to the register (day or month 00) is checked on every part the number encodes', () => {
    const facts = (niss: string): NissFacts => {
      const result = checkNiss(niss);
      if (!result.valid) throw new Error(`${niss} should be valid: ${result.reason}`);
      return result.facts;
    };
    // Each case: how the NISS is written (national register or BIS, sex known or not), a date it fits, dates it does not.
    const cases: [string, string, string, string[]][] = [
      ['day unknown', makeNiss('1985-03-00', 96), '1985-03-17', ['1972-11-03', '1985-04-17', '1984-03-17']],
      ['month and day unknown', makeNiss('1985-00-00', 96), '1985-11-03', ['1972-11-03', '1986-01-01']],
      ['day unknown, born from 2000 on', makeNiss('2004-06-00', 12), '2004-06-30', ['1904-06-30', '2004-07-01']],
      ['BIS, sex known, day unknown', makeNiss('1985-43-00', 33), '1985-03-09', ['1985-04-09', '1972-03-09']],
      ['BIS, sex unknown, month and day unknown', makeNiss('1985-20-00', 34), '1985-12-31', ['1986-12-31']],
      ['BIS, sex unknown, full date', makeNiss('1985-27-30', 34), '1985-07-30', ['1985-07-29', '1985-27-30']],
    ];

    it.each(cases)(
      '%s: accepts a date that agrees with each known part, refuses one that does not',
      (_name, niss, fits, misfits) => {
        expect(birthDateFitsNiss(facts(niss), fits)).toBe(true);
        for (const date of misfits) expect([date, birthDateFitsNiss(facts(niss), date)]).toEqual([date, false]);
      },
    );

    it('refuses the birth date 1972-11-03 for 85030089637 (born in March 1985, day unknown) and tells the parts it knows', () => {
      expect(birthDateFitsNiss(facts('85030089637'), '1972-11-03')).toBe(false);
      expect(encodedBirthDate(facts('85030089637'))).toBe('1985-03-..');
      expect(encodedBirthDate(facts(makeNiss('1985-20-00', 34)))).toBe('1985-..-..');
    });
  });
});
