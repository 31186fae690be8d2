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
