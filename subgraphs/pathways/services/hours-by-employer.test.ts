import { ContractType, type EmploymentContractEntity } from '../entities/work-authorisation.entity.js';
import { hoursByEmployer } from './work-authorisation.service.js';

const contract = (
  employerNumber: string,
  startsOn: string,
  weeklyHours: number,
  ends: { endsOn?: string; endedOn?: string } = {},
) =>
  ({
    participantId: 'p',
    employer: `E${employerNumber}`,
    employerNumber,
    startsOn,
    weeklyHours,
    contractType: ContractType.FIXED_TERM,
    ...ends,
  }) as EmploymentContractEntity;

describe('hoursByEmployer (R15)', () => {
  const jobs = [
    contract('0203201340', '2026-01-10', 12),
    contract('0412345614', '2026-01-01', 19, { endsOn: '2026-01-31' }),
    contract('0412345614', '2026-02-01', 25, { endsOn: '2026-06-30', endedOn: '2026-03-15' }),
  ];

  it('reports concurrent jobs with two employers apart, in the order they began, never one sum', () => {
    expect(hoursByEmployer(jobs, '2026-01-20').map((row) => [row.employerNumber, row.weeklyHours])).toEqual([
      ['0412345614', 19],
      ['0203201340', 12],
    ]);
  });

  it('counts a job up to its recorded end rather than its planned one, the end day included', () => {
    expect(hoursByEmployer(jobs, '2026-03-15').map((row) => [row.employerNumber, row.weeklyHours])).toEqual([
      ['0203201340', 12],
      ['0412345614', 25],
    ]);
    expect(hoursByEmployer(jobs, '2026-03-16').map((row) => row.employerNumber)).toEqual(['0203201340']);
  });

  it('holds nothing before the first job starts', () => {
    expect(hoursByEmployer(jobs, '2025-12-31')).toEqual([]);
  });
});
