import { median, practiceIndicators, quarterOf, quarterOfDay, type PracticeFacts } from './practice-indicators.js';

/**
 * A constructed team in 2026-Q1 (1 January – 31 March, 90 days), every value worked out by hand below.
 * People: A, B, C start in or before the quarter; D and F ended their pathway before it but still work (time-unlimited
 * support); E ended during it.
 */
const facts: PracticeFacts = {
  pathways: [
    { pathwayId: 'A', registeredOn: '2025-12-01', endedOn: null, firstMeetingOn: '2026-01-05' },
    { pathwayId: 'B', registeredOn: '2026-01-10', endedOn: null, firstMeetingOn: '2026-01-20' },
    { pathwayId: 'C', registeredOn: '2026-02-01', endedOn: null, firstMeetingOn: '2026-02-10' },
    { pathwayId: 'D', registeredOn: '2025-06-01', endedOn: '2025-12-15', firstMeetingOn: '2025-06-20' },
    { pathwayId: 'E', registeredOn: '2025-09-01', endedOn: '2026-02-28', firstMeetingOn: '2025-09-10' },
    { pathwayId: 'F', registeredOn: '2025-03-01', endedOn: '2025-11-30', firstMeetingOn: '2025-03-15' },
  ],
  employerContacts: [
    { pathwayId: 'A', contactedOn: '2026-01-03' }, // before A's first meeting: not A's first contact after it
    { pathwayId: 'A', contactedOn: '2026-02-01' },
    { pathwayId: 'A', contactedOn: '2026-01-19' }, // A: 14 days after the meeting of 5 January
    { pathwayId: 'B', contactedOn: '2026-02-09' }, // B: 20 days after 20 January
    { pathwayId: 'D', contactedOn: '2026-01-15' },
    { pathwayId: null, contactedOn: '2026-03-01' }, // the team's job development
    { pathwayId: null, contactedOn: '2025-12-20' }, // the quarter before
  ],
  counselling: [
    { pathwayId: 'A', heldOn: '2026-02-01' },
    { pathwayId: 'E', heldOn: '2025-10-01' }, // before the quarter: E counselled by its end
    { pathwayId: 'C', heldOn: '2026-04-05' }, // after the quarter
    { pathwayId: 'D', heldOn: '2025-07-01' }, // D not in a pathway during the quarter
  ],
  jobs: [
    { pathwayId: 'A', startsOn: '2026-03-01', lastDay: null },
    { pathwayId: 'B', startsOn: '2026-04-01', lastDay: null }, // after the quarter
    { pathwayId: 'D', startsOn: '2025-11-01', lastDay: null },
    { pathwayId: 'E', startsOn: '2025-10-01', lastDay: '2025-12-31' }, // ended before the quarter
    { pathwayId: 'F', startsOn: '2025-08-01', lastDay: '2026-01-31' },
  ],
  support: [
    { pathwayId: 'A', supportedOn: '2026-03-10' },
    { pathwayId: 'D', supportedOn: '2025-12-20' }, // before the quarter
    { pathwayId: 'F', supportedOn: '2026-01-10' }, // after F's pathway ended: time-unlimited support counts
    { pathwayId: 'E', supportedOn: '2026-01-05' }, // E not working in the quarter
  ],
  coaches: [
    { fteHundredths: 100, enrolledOn: '2025-01-01', endedOn: null }, // 90 days × 1
    { fteHundredths: 50, enrolledOn: '2026-02-01', endedOn: '2026-03-31' }, // (28 + 31) days × 0.5 = 29.5
    { fteHundredths: 100, enrolledOn: '2024-01-01', endedOn: '2025-12-31' }, // none of the quarter
  ],
};

describe('practice indicators (IPS principles 5–8) per team and quarter', () => {
  it('computes each indicator as counted by hand', () => {
    const row = practiceIndicators(facts, quarterOf('2026-Q1')!);
    expect(row).toEqual({
      quarter: '2026-Q1',
      // A, B, C had their first meeting in the quarter; A after 14 days, B after 20, C not yet: n = 2, median (14 + 20) / 2.
      firstMeetings: 3,
      firstEmployerContacts: 2,
      medianDaysToFirstEmployerContact: 17,
      // Six contacts dated in the quarter (A ×3, B, D, the team's); 119.5 FTE-days = 17.07 weeks; 6 / 17.0714 = 0.35.
      employerContacts: 6,
      coachFteWeeks: 17.07,
      employerContactsPerCoachPerWeek: 0.35,
      // In a pathway during the quarter: A, B, C, E (D and F ended before); counselled by its end: A, E.
      peopleInPathway: 4,
      peopleCounselled: 2,
      shareCounselled: 0.5,
      // Working during the quarter: A, D, F; supported in it: A and F (after F's pathway ended).
      peopleWorking: 3,
      peopleWorkingSupported: 2,
      shareWorkingSupported: 0.667,
    });
  });

  it('says "none" rather than zero where a share or ratio has nothing to divide', () => {
    const row = practiceIndicators(
      { pathways: [], employerContacts: [], counselling: [], jobs: [], support: [], coaches: [] },
      quarterOf('2026-Q2')!,
    );
    expect(row.medianDaysToFirstEmployerContact).toBeNull();
    expect(row.employerContactsPerCoachPerWeek).toBeNull();
    expect(row.shareCounselled).toBeNull();
    expect(row.shareWorkingSupported).toBeNull();
  });

  it('takes the median of an odd count as its middle value', () => {
    expect(median([30, 2, 9])).toBe(9);
    expect(median([])).toBeNull();
  });

  it('reads quarters', () => {
    expect(quarterOf('2026-Q4')).toEqual({ label: '2026-Q4', first: '2026-10-01', last: '2026-12-31' });
    expect(quarterOf('2026-Q5')).toBeUndefined();
    expect(quarterOfDay('2024-02-29')).toEqual({ label: '2024-Q1', first: '2024-01-01', last: '2024-03-31' });
  });
});
