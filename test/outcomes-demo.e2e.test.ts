/**
 * The trial's outcome measures per arm on the demo data (`npm start`'s): the demo grows jobs and
 * benefit statements for both arms over four years of randomisations, so the measures give real
 * figures. Printed; the allocation is truly random (R6), so the figures move a little between fresh
 * databases, and only the direction the demo's model sets is asserted (subgraphs/kit/demo-model.ts
 * states the effects). `npm run outcomes` prints the same from a running platform; the national CONSORT
 * flow printed here is what `npm run consort` draws.
 */
import { formatOutcomes, OUTCOMES_QUERY, type OutcomesAnswer } from '../gateway/outcomes-format.js';
import { belgianToday } from '../subgraphs/kit/domain.js';
import { monthStart } from '../subgraphs/kit/demo-model.js';
import { startTestPlatform, type TestPlatform } from './harness.js';

let graph: TestPlatform;
beforeAll(async () => {
  graph = await startTestPlatform({ seedDemo: true });
}, 180_000);
afterAll(async () => {
  await graph?.stop();
});

it('computes the three measures for both arms from the demo data, with figures in them', async () => {
  const response = await graph.query<{ trialOutcomes: OutcomesAnswer }>(
    { role: 'RESEARCHER', organisation: 'ULB', subject: 'dev-researcher' },
    OUTCOMES_QUERY,
    { from: monthStart(belgianToday(), -48).slice(0, 7), to: monthStart(belgianToday(), -1).slice(0, 7) },
  );
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
  const mean = (rates: { rate: number | null }[]) =>
    rates.filter((q) => q.rate !== null).reduce((sum, q, _, all) => sum + q.rate! / all.length, 0);
  expect(mean(ips.competitiveEmploymentRate)).toBeGreaterThan(mean(control.competitiveEmploymentRate));
}, 60_000);

it("gives each demo person their arm's referent: no coach in the control group, the SRE's counsellor instead (R9, R11)", async () => {
  const referents = await graph.sql<{ arm: string; with_coach: string; with_counsellor: string; people: string }>(
    `select a.arm, count(p.job_coach) as with_coach, count(p.reference_counsellor) as with_counsellor, count(*) as people
     from pathways.pathway p join research.published_allocation a on a.participant_id = p.participant_id group by a.arm order by a.arm`,
  );
  const control = referents.find((row) => row.arm === 'CONTROL')!;
  expect(Number(control.people)).toBeGreaterThan(50);
  expect({ coach: Number(control.with_coach), counsellor: Number(control.with_counsellor) }).toEqual({
    coach: 0,
    counsellor: Number(control.people),
  });
  expect(Number(referents.find((row) => row.arm === 'IPS')!.with_counsellor)).toBe(0);
  // The ledger says the same, so the counsellor reads the person and finds them in their caseload.
  const [mismatch] = await graph.sql<{ n: string }>(
    `select count(*) as n from pathways.pathway p join access.ledger l on l.participant_id = p.participant_id
     where p.reference_counsellor is distinct from l.counsellor_subject or p.job_coach is distinct from l.job_coach_subject`,
  );
  expect(mismatch!.n).toBe('0');
});

const RESEARCHER = { role: 'RESEARCHER', organisation: 'ULB', subject: 'dev-researcher' } as const;

it('gives the national CONSORT flow of the pilot: 600 randomised, every arm lost to follow-up at a wave, withdrawals and discontinuations', async () => {
  const response = await graph.query<{ consortFlow: ConsortFlowAnswer }>(
    RESEARCHER,
    `{ consortFlow { assessed notReferred declined referred notRegistered registered notRandomised randomised
        arms { arm allocated received notReceived discontinued withdrawn analysed lostToFollowUp { wave monthsAfterAllocation lost } } } }`,
  );
  expect(response.errors).toBeUndefined();
  const flow = response.data!.consortFlow;
  console.log(formatConsort(flow));
  expect(flow.randomised).toBe(600);
  expect(flow.notRegistered).toBeGreaterThan(0); // INAMI's inbox: referrals of the last days
  for (const arm of flow.arms) {
    expect(arm.received!).toBeGreaterThan(arm.allocated! * 0.8);
    expect(arm.lostToFollowUp.reduce((sum, wave) => sum + (wave.lost ?? 0), 0)).toBeGreaterThan(0);
    expect(arm.withdrawn! + arm.discontinued!).toBeGreaterThan(0);
    expect(arm.analysed).toBe(arm.allocated! - arm.withdrawn!);
  }
});

interface ConsortFlowAnswer {
  assessed: number | null;
  notReferred: number | null;
  declined: number | null;
  referred: number | null;
  notRegistered: number | null;
  registered: number | null;
  notRandomised: number | null;
  randomised: number | null;
  arms: {
    arm: string;
    allocated: number | null;
    received: number | null;
    notReceived: number | null;
    discontinued: number | null;
    withdrawn: number | null;
    analysed: number | null;
    lostToFollowUp: { wave: number; monthsAfterAllocation: number; lost: number | null }[];
  }[];
}

function formatConsort(flow: ConsortFlowAnswer): string {
  const lines = [
    'National CONSORT flow (demo data; command: npm start, then npm run consort):',
    `  assessed ${flow.assessed}; not referred ${flow.notReferred} (declined ${flow.declined})`,
    `  referred ${flow.referred}; not registered ${flow.notRegistered}; registered ${flow.registered}; not randomised ${flow.notRandomised}; randomised ${flow.randomised}`,
  ];
  for (const arm of flow.arms) {
    lines.push(`  ${arm.arm}: allocated ${arm.allocated}; received ${arm.received}, not received ${arm.notReceived}`);
    lines.push(
      `    lost to follow-up: ${arm.lostToFollowUp.map((w) => `wave ${w.wave} (${w.monthsAfterAllocation} m) ${w.lost}`).join(', ')}`,
    );
    lines.push(`    discontinued ${arm.discontinued}; withdrawn ${arm.withdrawn}; analysed ${arm.analysed}`);
  }
  return lines.join('\n');
}
