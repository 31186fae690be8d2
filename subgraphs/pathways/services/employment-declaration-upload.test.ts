import { checkDeclarationRow } from './employment-declaration-upload.route.js';

const TODAY = '2026-12-07';
const row = (
  fields: Partial<Record<'niss' | 'month' | 'employer' | 'days' | 'hours' | 'band' | 'competitive', string>> = {},
) => {
  const {
    niss = '85073003328',
    month = '2026-02',
    employer = '0203201340',
    days = '',
    hours = '86.5',
    band = 'MINIMUM_TO_MEDIAN',
    competitive = 'true',
  } = fields;
  return [niss, month, employer, days, hours, band, competitive];
};

describe("a row of INAMI's file of employment declared to social security", () => {
  it('gives the staged values and the key (person, month, employer) of a good row, in hours or in days', () => {
    expect(checkDeclarationRow(row(), TODAY)).toEqual({
      niss: '85073003328',
      values: ['2026-02-01', '0203201340', null, 86.5, 'MINIMUM_TO_MEDIAN', true],
      key: '85073003328|2026-02|0203201340',
    });
    expect(checkDeclarationRow(row({ days: '28', hours: '' }), TODAY)).toMatchObject({
      values: ['2026-02-01', '0203201340', 28, null, 'MINIMUM_TO_MEDIAN', true],
    });
  });

  it.each([
    [{ niss: '8507300332' }, 'niss', 'niss.digits'],
    [{ month: '2026-2' }, 'month', 'input.month'],
    [{ month: '2027-01' }, 'month', 'benefit.monthFuture'],
    [{ employer: '0203201341' }, 'employer_number', 'contract.employerNumber'],
    [{ days: '', hours: '' }, 'days', 'upload.daysOrHours'],
    [{ days: '3', hours: '20' }, 'hours', 'upload.daysOrHours'],
    [{ days: '29', hours: '' }, 'days', 'upload.declaredDays'], // February 2026 has 28 days
    [{ hours: '0' }, 'hours', 'upload.declaredHours'],
    [{ hours: '500' }, 'hours', 'upload.declaredHours'],
    [{ band: 'HIGH' }, 'wage_band', 'upload.oneOf'],
    [{ competitive: '' }, 'competitive', 'upload.required'],
  ])('refuses %j on its column', (fields, field, id) => {
    expect(checkDeclarationRow(row(fields), TODAY)).toMatchObject({ field, localised: { id } });
  });
});
