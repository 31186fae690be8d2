/**
 * The demo model's stated effects are what its chain draws: the expectations it publishes (for the
 * analysis to recover) agree with the jobs many simulated people get, arm by arm.
 */
import {
  DEMO_MODEL,
  demoJobs,
  expectedByMonth,
  expectedCompetitiveInQuarter,
  STATED_EFFECTS,
  type DemoArm,
} from './demo-model.js';

const PEOPLE = 20_000;

describe.each(['IPS', 'CONTROL'] as DemoArm[])('the %s arm', (arm) => {
  const people = Array.from({ length: PEOPLE }, (_, i) =>
    demoJobs(`person-${arm}-${i}`, arm, DEMO_MODEL.followUpMonths),
  );
  const holds = (jobs: ReturnType<typeof demoJobs>, month: number, competitiveOnly = false) =>
    jobs.some(
      (job) =>
        (!competitiveOnly || job.competitive) &&
        job.firstMonth <= month &&
        (job.lastMonth === null || job.lastMonth >= month),
    );

  it('works, and works while on benefit, as often as the model states, month by month', () => {
    const expected = expectedByMonth(arm);
    for (const month of [0, 1, 6, 12, 30]) {
      const working = people.filter((jobs) => holds(jobs, month)).length / PEOPLE;
      expect(Math.abs(working - expected[month]!.working)).toBeLessThan(0.012);
    }
    expect(expected[0]!.working).toBe(0); // nobody works in the month of randomisation
    const onBenefit =
      people.reduce(
        (sum, jobs) =>
          sum +
          jobs
            .filter((job) => job.weeklyHours < 38)
            .reduce((n, job) => n + ((job.lastMonth ?? 30) - job.firstMonth + 1), 0),
        0,
      ) /
      (PEOPLE * 31);
    expect(Math.abs(onBenefit - STATED_EFFECTS[arm].workingWhileOnBenefitShare)).toBeLessThan(0.01);
  });

  it('holds a competitive job in a quarter as often as the model states', () => {
    for (const quarter of [0, 3, 9]) {
      const share = people.filter((jobs) => [0, 1, 2].some((m) => holds(jobs, 3 * quarter + m, true))).length / PEOPLE;
      expect(Math.abs(share - expectedCompetitiveInQuarter(arm, quarter))).toBeLessThan(0.012);
    }
  });
});

it('states an effect in the direction and about the size of the published result (Fontenay & Tojerow 2025)', () => {
  const { difference, CONTROL } = STATED_EFFECTS;
  expect(difference.workingWhileOnBenefitShare).toBeGreaterThan(0.05); // +7.5 points published
  expect(difference.workingWhileOnBenefitShare).toBeLessThan(0.1);
  expect(difference.benefitCentsPerPersonMonth).toBeLessThan(-8_000); // −€110 a month published
  expect(difference.benefitCentsPerPersonMonth / CONTROL.benefitCentsPerPersonMonth).toBeGreaterThan(-0.12); // −9.5 % published
  expect(difference.quarterlyCompetitiveRate).toBeGreaterThan(0);
});
