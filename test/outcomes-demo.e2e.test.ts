/**
 * The trial's outcome measures per arm on the demo data (`npm start`'s): the demo grows jobs and
 * benefit statements for both arms, so the measures give real figures. Printed; the allocation is
 * truly random (R6), so the figures move a little between fresh databases, and only the
 * direction the demo's model sets is asserted. `npm run outcomes` prints the same from a running platform.
 */
import { formatOutcomes, OUTCOMES_QUERY, type OutcomesAnswer } from '../gateway/outcomes-format.js';
import { startTestPlatform, type TestPlatform } from './harness.js';

let graph: TestPlatform;
beforeAll(async () => {
  graph = await startTestPlatform({ seedDemo: true });
}, 180_000);
afterAll(async () => {
  await graph?.stop();
});

it('computes the three measures for both arms from the demo data, with figures in them', async () => {
  const response = await graph.query<{ trialOutcomes: OutcomesAnswer }>({ role: 'RESEARCHER', organisation: 'ULB', subject: 'dev-researcher' }, OUTCOMES_QUERY, { from: '2019-01', to: '2021-12' });
  expect(response.errors).toBeUndefined();
  const outcomes = response.data!.trialOutcomes;
  console.log(`${formatOutcomes(outcomes)}\n  (demo data; command: npm start, then npm run outcomes)`);
  const [ips, control] = [outcomes.arms[0]!, outcomes.arms[1]!];
  for (const arm of [ips, control]) {
    expect(arm.people).toBeGreaterThan(50);
    expect(arm.workingWhileOnBenefit.suppressed).toBe(false);
    expect(arm.benefitPerMonth.meanCents).toBeGreaterThan(0);
    expect(arm.competitiveEmploymentRate.filter((q) => q.rate !== null).length).toBeGreaterThan(6);
  }
  // The demo's model: IPS people find work sooner and more often competitive work.
  expect(ips.workingWhileOnBenefit.share!).toBeGreaterThan(control.workingWhileOnBenefit.share!);
  expect(ips.benefitPerMonth.meanCents!).toBeLessThan(control.benefitPerMonth.meanCents!);
  const mean = (rates: { rate: number | null }[]) => rates.filter((q) => q.rate !== null).reduce((sum, q, _, all) => sum + q.rate! / all.length, 0);
  expect(mean(ips.competitiveEmploymentRate)).toBeGreaterThan(mean(control.competitiveEmploymentRate));
}, 60_000);

it("gives each demo person their arm's referent: no coach in the control group, the SRE's counsellor instead (R9, R11)", async () => {
  const referents = await graph.sql<{ arm: string; with_coach: string; with_counsellor: string; people: string }>(
    `select a.arm, count(p.job_coach) as with_coach, count(p.reference_counsellor) as with_counsellor, count(*) as people
     from pathways.pathway p join research.published_allocation a on a.participant_id = p.participant_id group by a.arm order by a.arm`,
  );
  const control = referents.find((row) => row.arm === 'CONTROL')!;
  expect(Number(control.people)).toBeGreaterThan(50);
  expect({ coach: Number(control.with_coach), counsellor: Number(control.with_counsellor) }).toEqual({ coach: 0, counsellor: Number(control.people) });
  expect(Number(referents.find((row) => row.arm === 'IPS')!.with_counsellor)).toBe(0);
  // The ledger says the same, so the counsellor reads the person and finds them in their caseload.
  const [mismatch] = await graph.sql<{ n: string }>(
    `select count(*) as n from pathways.pathway p join access.ledger l on l.participant_id = p.participant_id
     where p.reference_counsellor is distinct from l.counsellor_subject or p.job_coach is distinct from l.job_coach_subject`,
  );
  expect(mismatch!.n).toBe('0');
});
