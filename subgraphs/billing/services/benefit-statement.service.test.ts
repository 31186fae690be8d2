import { validateStatement } from './benefit-statement.service.js';

const ID = '0b6f1c1e-5a8e-4c55-9a43-6f3f8c1d0a01';
const valid = {
  participantId: ID,
  month: '2026-10',
  benefitType: 'INVALIDITY' as never,
  amountCents: 120_000,
  days: 26,
  partialWorkAuthorised: false,
};
const fieldOf = (change: Record<string, unknown>) => {
  try {
    validateStatement({ ...valid, ...change }, '2026-11-24');
    return undefined;
  } catch (error) {
    return (error as { extensions: { field: string } }).extensions.field;
  }
};

describe('a monthly benefit statement', () => {
  it('is stored under the first day of its month', () => {
    expect(validateStatement(valid, '2026-11-24').month).toBe('2026-10-01');
    expect(validateStatement({ ...valid, month: '2026-11' }, '2026-11-24').month).toBe('2026-11-01'); // the current month may be stated
  });

  it('refuses what no health insurer pays, naming the field', () => {
    expect(fieldOf({ month: '2026-12' })).toBe('input.month'); // the future
    expect(fieldOf({ month: '2015-12' })).toBe('input.month'); // before the pilot
    expect(fieldOf({ month: '26-10' })).toBe('input.month');
    expect(fieldOf({ amountCents: 12.5 })).toBe('input.amountCents');
    expect(fieldOf({ amountCents: -1 })).toBe('input.amountCents');
    expect(fieldOf({ days: 32 })).toBe('input.days');
    expect(fieldOf({ month: '2024-02', days: 29 })).toBeUndefined(); // a leap year
    expect(fieldOf({ month: '2025-02', days: 29 })).toBe('input.days');
    expect(fieldOf({ days: 0 })).toBe('input.amountCents');
    expect(fieldOf({ days: 0, amountCents: 0 })).toBeUndefined();
    expect(fieldOf({ participantId: 'x' })).toBe('input.participantId');
  });
});
