import { checkBenefitRow } from './benefit-upload.route.js';

const TODAY = '2026-12-07';
const row = (fields: Partial<Record<'niss' | 'month' | 'type' | 'amount' | 'days' | 'partial', string>> = {}) => {
  const {
    niss = '85073003328',
    month = '2026-10',
    type = 'INVALIDITY',
    amount = '120000',
    days = '20',
    partial = 'false',
  } = fields;
  return [niss, month, type, amount, days, partial];
};

describe("a row of the health insurer's file, checked as the one-row mutation checks a statement", () => {
  it('gives the staged values and the key of a good row', () => {
    expect(checkBenefitRow(row({ partial: 'TRUE' }), TODAY)).toEqual({
      niss: '85073003328',
      values: ['2026-10-01', 'INVALIDITY', 120_000, 20, true],
      key: '85073003328|2026-10',
    });
  });

  it.each([
    [{ niss: '85073003329' }, 'niss', 'niss.checkDigits'],
    [{ niss: '' }, 'niss', 'upload.required'],
    [{ month: '2026-13' }, 'month', 'input.month'],
    [{ month: '2027-01' }, 'month', 'benefit.monthFuture'],
    [{ month: '2015-12' }, 'month', 'benefit.beforePilot'],
    [{ type: 'PENSION' }, 'benefit_type', 'upload.oneOf'],
    [{ amount: '-5' }, 'amount_cents', 'benefit.amount'],
    [{ amount: '12.5' }, 'amount_cents', 'benefit.amount'],
    [{ days: '32' }, 'days', 'benefit.days'],
    [{ days: '0', amount: '100' }, 'amount_cents', 'benefit.noDaysNoAmount'],
    [{ partial: 'yes' }, 'partial_work_authorised', 'upload.boolean'],
  ])('refuses %j on its column with the reason of the mutation', (fields, field, id) => {
    expect(checkBenefitRow(row(fields), TODAY)).toMatchObject({ field, localised: { id } });
  });
});
