import { ContractType, isCompetitive } from './work-authorisation.entity.js';

describe('competitive employment (IPS principle 1)', () => {
  const open = {
    contractType: ContractType.OPEN_ENDED,
    openLabourMarket: true,
    paidAtLeastMinimumWage: true,
    reservedForDisabledPeople: false,
  };
  it('is a job on the open labour market, paid at least the minimum wage, not reserved for disabled people', () => {
    expect(isCompetitive(open)).toBe(true);
    expect(isCompetitive({ ...open, openLabourMarket: false })).toBe(false);
    expect(isCompetitive({ ...open, paidAtLeastMinimumWage: false })).toBe(false);
    expect(isCompetitive({ ...open, reservedForDisabledPeople: true })).toBe(false);
    expect(isCompetitive({ ...open, contractType: ContractType.IN_COMPANY_TRAINING })).toBe(false); // no job (R15)
  });

  it('is unknown while a criterion is missing and none fails', () => {
    expect(isCompetitive({ ...open, reservedForDisabledPeople: undefined })).toBeNull();
    expect(isCompetitive({ ...open, reservedForDisabledPeople: undefined, paidAtLeastMinimumWage: false })).toBe(false);
  });
});
