/**
 * The IPS practice indicators on the demo data (`npm start`'s): every team's supervisor sees each indicator of the
 * last full quarter with figures in it, beside the team's IPS-25 reviews (subgraphs/pathways/demo-practice.ts records
 * the practice). Printed per team.
 */
import { quarterOfDay } from '../subgraphs/pathways/services/practice-indicators.js';
import { belgianToday } from '../subgraphs/kit/domain.js';
import { addDays } from '../subgraphs/kit/demo-model.js';
import { startTestPlatform, type TestPlatform } from './harness.js';

let graph: TestPlatform;
beforeAll(async () => {
  graph = await startTestPlatform({ seedDemo: true });
}, 180_000);
afterAll(async () => {
  await graph?.stop();
});

interface Row {
  team: string;
  quarter: string;
  firstMeetings: number;
  firstEmployerContacts: number;
  medianDaysToFirstEmployerContact: number | null;
  employerContacts: number;
  coachFteWeeks: number;
  employerContactsPerCoachPerWeek: number | null;
  peopleInPathway: number;
  peopleCounselled: number;
  shareCounselled: number | null;
  peopleWorking: number;
  peopleWorkingSupported: number;
  shareWorkingSupported: number | null;
}

it('shows every indicator for every team, beside its IPS-25 reviews', async () => {
  const lastQuarter = quarterOfDay(addDays(quarterOfDay(belgianToday()).first, -1)).label;
  const lines: string[] = [];
  for (const team of ['VDAB-GTB', 'ARTICLE-23', 'ISPPC', 'EQUIPE-MASS']) {
    const response = await graph.query<{ practiceIndicators: Row[]; fidelityReviews: unknown[] }>(
      { role: 'SUPERVISOR', organisation: team, subject: `supervisor-${team.toLowerCase()}-1` },
      `query($q: [String!]) { fidelityReviews { team total band } practiceIndicators(quarters: $q) { team quarter firstMeetings firstEmployerContacts
        medianDaysToFirstEmployerContact employerContacts coachFteWeeks employerContactsPerCoachPerWeek peopleInPathway peopleCounselled
        shareCounselled peopleWorking peopleWorkingSupported shareWorkingSupported } }`,
      { q: [lastQuarter] },
    );
    expect(response.errors).toBeUndefined();
    const [row] = response.data!.practiceIndicators;
    expect(row).toMatchObject({ team, quarter: lastQuarter });
    expect(row!.employerContactsPerCoachPerWeek).toBeGreaterThan(0);
    expect(row!.shareCounselled).toBeGreaterThan(0);
    expect(row!.shareWorkingSupported).toBeGreaterThan(0);
    expect(row!.peopleWorkingSupported).toBeLessThanOrEqual(row!.peopleWorking);
    lines.push(
      `${team.padEnd(12)} ${row!.quarter}  first contact: median ${String(row!.medianDaysToFirstEmployerContact ?? '—')} d (n ${String(row!.firstEmployerContacts)}/${String(row!.firstMeetings)})` +
        `  contacts/coach/week ${String(row!.employerContactsPerCoachPerWeek)} (${String(row!.employerContacts)} / ${String(row!.coachFteWeeks)} FTE-weeks)` +
        `  counselled ${String(row!.peopleCounselled)}/${String(row!.peopleInPathway)}  supported ${String(row!.peopleWorkingSupported)}/${String(row!.peopleWorking)}` +
        `  IPS-25 reviews ${String(response.data!.fidelityReviews.length)}`,
    );
  }
  console.log(`IPS practice per team (demo data):\n${lines.join('\n')}`);
}, 120_000);
