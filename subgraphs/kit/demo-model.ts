/**
 * The demo's model of the pilot: its size and shape, and the treatment effect the demo data carry.
 * Demo data only: every subgraph's demo loader (subgraphs/<name>/demo*.ts) reads it, nothing else in
 * the platform does — the platform measures what the rows say, never what the model meant.
 *
 * Each person's course is drawn from streams keyed by their participant id (deterministic ids,
 * participants/demo.ts), so every subgraph's loader derives the same course from what it can read
 * of the person (its own tables and the published views): the date of registration from the
 * referral, the deaths and withdrawals from the randomisation date, the jobs from the arm the vault
 * drew. The arm itself is truly random (R6): the vault draws it.
 *
 * ## The stated treatment effect (intention to treat, months 0..30 since randomisation)
 * Month m is the m-th calendar month after the month of randomisation (m = 0 is that month). Each
 * person's employment is a monthly chain: nobody works in month 0; from month 1, someone not working
 * in month m−1 starts a job in month m with probability `jobStartPerMonth` of their arm; someone
 * working in month m−1 still works in month m with probability 1 − `jobEndPerMonth` (else that job
 * ended in month m−1, and a new one can start from month m+1). A job is competitive (open labour
 * market, at least the minimum wage, not reserved for disabled people) with probability `competitive`
 * of the arm, part-time with probability `partTime` (its weekly hours drawn from `PART_TIME_HOURS`,
 * else `FULL_TIME_HOURS`). A month with a job is a month in which an employment episode overlaps it.
 *
 * The health insurer's statement for a month: a person not working is paid `dailyCents` (drawn per
 * person, uniform on whole euros between the bounds) × the month's benefit days (every day but
 * Sundays: 313/12 a month on average over whole years); working part-time, reduced by
 * `reductionAt(hours)`; working full time, no statement (the benefit stops). Deaths stop everything.
 * The measures, per arm, over person-months 0..30 (to last month for people randomised less than 30
 * months ago), counting every randomised person in the arm drawn:
 *   (a) share of person-months working while on benefit: a job in the month AND a statement for it
 *       (a part-time job);
 *   (b) mean benefit per person-month, in cents: the statement's amount, 0 for a month without one;
 *   (c) quarterly competitive employment rate: share of person-quarters (months 3k..3k+2) with a
 *       competitive job at any time in the quarter.
 * `expectedByMonth(arm)` gives each month's exact expectation of (a), (b) and the chance of a
 * competitive job in the month, and `expectedCompetitiveInQuarter(arm, k)` the exact (c) for quarter k:
 * average them over the person-months (quarters) an extract holds to get what an unbiased estimate
 * should recover. `STATED_EFFECTS` gives them for full follow-up (months 0..30, quarters 0..9).
 * Pathway ends, consent withdrawals and deaths do not depend on the arm or on employment (except the
 * end reason EMPLOYMENT_SUSTAINED, read off the jobs): they do not bias (a)–(c) among the observed.
 */
import { DemoRandom } from './demo-random.js';

export type DemoArm = 'IPS' | 'CONTROL';

export const FULL_TIME_HOURS = 38;
/** Weekly hours of a part-time job, equally likely. */
export const PART_TIME_HOURS = [12, 15, 19, 19, 22.8, 24, 30] as const;

export const DEMO_MODEL = {
  /** Referrals spread evenly over this many years, ending today. */
  referralYears: 4,
  /** People referred, registered and randomised per region: the pilot's pathways (DOMAIN.md, "The Belgian pilot"). */
  randomisedPerRegion: { FLANDERS: 340, WALLONIA: 200, BRUSSELS: 60 },
  /** People referred in the last days whom INAMI has not registered yet (INAMI's inbox). */
  awaitingRegistrationPerRegion: { FLANDERS: 6, WALLONIA: 4, BRUSSELS: 2 },
  /** Days from the referral's submission to INAMI's registration, and randomisation at registration (R5, R6). */
  registrationDelayDays: { min: 3, max: 28 },
  /** Months of follow-up from randomisation (Fontenay & Tojerow 2025: 30). */
  followUpMonths: 30,
  arms: {
    IPS: { jobStartPerMonth: 0.042, jobEndPerMonth: 0.07, competitive: 0.8, partTime: 0.85 },
    CONTROL: { jobStartPerMonth: 0.025, jobEndPerMonth: 0.07, competitive: 0.55, partTime: 0.85 },
  } satisfies Record<
    DemoArm,
    { jobStartPerMonth: number; jobEndPerMonth: number; competitive: number; partTime: number }
  >,
  benefit: {
    dailyCents: { min: 4200, max: 6200 },
    /** Share of the benefit withheld in a month of part-time work: 0.4 + 0.75 × hours / 38, at most 0.9. */
    reductionAt: (hours: number) => Math.min(0.9, 0.4 + (0.75 * hours) / FULL_TIME_HOURS),
    /** Mean benefit days in a month (six-day week: 313 days a year). */
    meanDaysPerMonth: 313 / 12,
  },
  /** Arm-independent events, per person. */
  life: {
    /** Monthly chance the pathway ends for a reason other than work, death or a withdrawal, from month 3 after registration. */
    pathwayEndPerMonth: 0.03,
    /** A pathway still open this many months after registration ends with PILOT_ENDED (the convention's term). */
    pathwayTermMonths: 36,
    /** Share of people who withdraw their information-sharing consent (R18): the pathway ends CONSENT_WITHDRAWN. */
    consentWithdrawal: 0.03,
    /** Share of people who withdraw their research consent (R1f): they leave the analysis. */
    researchWithdrawal: 0.03,
    /** Share of people who die within 30 months of randomisation. */
    death: 0.02,
    /** Share of people with a pathway ended for work who held their job at least this many months: EMPLOYMENT_SUSTAINED. */
    sustainedAfterMonths: 3,
  },
  /** R12 questionnaire waves (0 at randomisation, then every six months): chance each is completed, and late. */
  questionnaire: {
    completed: [0.93, 0.8, 0.74, 0.68, 0.64, 0.6],
    /** Of the completed, share completed after the due date's first two weeks (still within the window's 8 weeks). */
    late: 0.25,
    /** Of the not completed, share opened and left unfinished. */
    abandoned: 0.3,
  },
} as const;

/** A stream for one aspect of one person: the same for every subgraph's loader. */
export function personRandom(participantId: string, aspect: string): DemoRandom {
  let hash = 2166136261;
  for (const char of `${aspect}:${participantId}`) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619);
  return new DemoRandom(hash >>> 0);
}

/** A deterministic UUID (v4 layout) from a seeded stream: demo ids that are the same on every load. */
export function demoUuid(random: DemoRandom): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random.next() * 16).toString(16));
  hex[12] = '4';
  hex[16] = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

export const isoDay = (date: Date) => date.toISOString().slice(0, 10);
export function addDays(iso: string, days: number): string {
  const date = new Date(`${iso}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return isoDay(date);
}
/** The first day of the month `months` after the month of `iso`. */
export function monthStart(iso: string, months = 0): string {
  const date = new Date(`${iso.slice(0, 7)}-01T00:00:00Z`);
  date.setUTCMonth(date.getUTCMonth() + months);
  return isoDay(date);
}
/** Whole calendar months from the month of `from` to the month of `to`. */
export const monthsBetween = (from: string, to: string) =>
  (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 + Number(to.slice(5, 7)) - Number(from.slice(5, 7));

/** A person's arm-independent course, relative to their registration (= randomisation) day. */
export interface DemoLife {
  registrationDelayDays: number;
  /** Days after registration the information-sharing consent is withdrawn (R18), if ever. */
  consentWithdrawnAfterDays: number | null;
  /** Days after registration the research consent is withdrawn (R1f), if ever. */
  researchWithdrawnAfterDays: number | null;
  /** Days after registration the person dies, if within follow-up. */
  diesAfterDays: number | null;
  /** Days after registration the pathway ends for a reason other than work, death or a withdrawal, and that reason. */
  pathwayEnd: { afterDays: number; reason: 'PARTICIPANT_WITHDREW' | 'MOVED_OUT_OF_REGION' | 'HEALTH' | 'OTHER' } | null;
  /** The person's daily benefit rate, in cents. */
  dailyCents: number;
}

export function demoLife(participantId: string): DemoLife {
  const random = personRandom(participantId, 'life');
  const { life, registrationDelayDays, benefit } = DEMO_MODEL;
  const within = (days: number) => random.integer(14, days);
  const followUpDays = DEMO_MODEL.followUpMonths * 30;
  const registration = random.integer(registrationDelayDays.min, registrationDelayDays.max);
  const consent = random.next() < life.consentWithdrawal ? within(followUpDays) : null;
  const research = random.next() < life.researchWithdrawal ? within(followUpDays) : null;
  const death = random.next() < life.death ? within(followUpDays) : null;
  let month = 3;
  while (month < life.pathwayTermMonths && random.next() >= life.pathwayEndPerMonth) month += 1;
  const reasons = [
    'PARTICIPANT_WITHDREW',
    'PARTICIPANT_WITHDREW',
    'HEALTH',
    'HEALTH',
    'MOVED_OUT_OF_REGION',
    'OTHER',
  ] as const;
  const pathwayEnd =
    month < life.pathwayTermMonths
      ? { afterDays: month * 30 + random.integer(0, 27), reason: random.pick(reasons) }
      : null;
  return {
    registrationDelayDays: registration,
    consentWithdrawnAfterDays: consent,
    researchWithdrawnAfterDays: research,
    diesAfterDays: death,
    pathwayEnd,
    dailyCents: random.integer(benefit.dailyCents.min / 100, benefit.dailyCents.max / 100) * 100,
  };
}

/** One job of the chain: its first and last month since randomisation (last null: still held at the last month simulated). */
export interface DemoJob {
  firstMonth: number;
  lastMonth: number | null;
  competitive: boolean;
  weeklyHours: number;
  /** Day of the month it starts and (when it ended) ends, 1..28. */
  startDay: number;
  endDay: number;
}

/**
 * A person's jobs over months 0..`lastMonth` since randomisation (at most 30; earlier for people
 * randomised recently, or who died): the chain the header describes, in the arm drawn.
 */
export function demoJobs(participantId: string, arm: DemoArm, lastMonth: number): DemoJob[] {
  const random = personRandom(participantId, 'jobs');
  const model = DEMO_MODEL.arms[arm];
  const jobs: DemoJob[] = [];
  let current: DemoJob | null = null;
  for (let m = 1; m <= Math.min(lastMonth, DEMO_MODEL.followUpMonths); m++) {
    // Draw both every month, whatever the state, so that the stream stays aligned month by month.
    const [start, stay, competitive, partTime, hours, startDay, endDay] = [
      random.next(),
      random.next(),
      random.next(),
      random.next(),
      random.pick(PART_TIME_HOURS),
      random.integer(1, 28),
      random.integer(1, 28),
    ];
    if (current) {
      if (stay < 1 - model.jobEndPerMonth) continue;
      current.lastMonth = m - 1;
      current.endDay = current.firstMonth === m - 1 ? Math.max(current.startDay, endDay) : endDay;
      current = null;
      continue;
    }
    if (start < model.jobStartPerMonth) {
      current = {
        firstMonth: m,
        lastMonth: null,
        competitive: competitive < model.competitive,
        weeklyHours: partTime < model.partTime ? hours : FULL_TIME_HOURS,
        startDay,
        endDay: 28,
      };
      jobs.push(current);
    }
  }
  return jobs;
}

/** Each month's expectation, per person, in one arm. */
export interface MonthExpectation {
  month: number;
  working: number;
  workingWhileOnBenefit: number;
  /** Expected benefit, cents (0 for a month without a statement), at the mean daily rate and mean benefit days. */
  benefitCents: number;
  /** Chance of a statement for the month (not working full time). */
  statement: number;
  competitiveJob: number;
}

const meanPartTimeKept = PART_TIME_HOURS.reduce(
  (sum, hours) => sum + (1 - DEMO_MODEL.benefit.reductionAt(hours)) / PART_TIME_HOURS.length,
  0,
);
const meanDailyCents = (DEMO_MODEL.benefit.dailyCents.min + DEMO_MODEL.benefit.dailyCents.max) / 2;

/** States of the chain: not working, working a competitive job, working another job. */
function chainDistribution(arm: DemoArm): [number, number, number][] {
  const { jobStartPerMonth: h, jobEndPerMonth: q, competitive: c } = DEMO_MODEL.arms[arm];
  const rows: [number, number, number][] = [[1, 0, 0]];
  for (let m = 1; m <= DEMO_MODEL.followUpMonths; m++) {
    const [n, k, o] = rows[m - 1]!;
    rows.push([n * (1 - h) + (k + o) * q, n * h * c + k * (1 - q), n * h * (1 - c) + o * (1 - q)]);
  }
  return rows;
}

export function expectedByMonth(arm: DemoArm): MonthExpectation[] {
  const { partTime } = DEMO_MODEL.arms[arm];
  const monthly = meanDailyCents * DEMO_MODEL.benefit.meanDaysPerMonth;
  return chainDistribution(arm).map(([n, k, o], month) => {
    const working = k + o;
    return {
      month,
      working,
      workingWhileOnBenefit: working * partTime,
      benefitCents: monthly * (n + working * partTime * meanPartTimeKept),
      statement: n + working * partTime,
      competitiveJob: k,
    };
  });
}

/** Chance of a competitive job at any time in months 3k..3k+2 (k = 10: month 30 alone). */
export function expectedCompetitiveInQuarter(arm: DemoArm, quarter: number): number {
  const { jobStartPerMonth: h, jobEndPerMonth: q, competitive: c } = DEMO_MODEL.arms[arm];
  const [first, last] = [3 * quarter, Math.min(3 * quarter + 2, DEMO_MODEL.followUpMonths)];
  const start = chainDistribution(arm)[first]!;
  // Probability of never having been in the competitive state so far, by current state (not working, other job).
  let [n, o] = [start[0], start[2]];
  for (let m = first + 1; m <= last; m++) [n, o] = [n * (1 - h) + o * q, n * h * (1 - c) + o * (1 - q)];
  return 1 - (n + o);
}

const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;

/** The measures (a)–(c) under full follow-up (months 0..30, quarters 0..9), per arm, and the IPS − control difference. */
export const STATED_EFFECTS = (() => {
  const of = (arm: DemoArm) => {
    const months = expectedByMonth(arm);
    return {
      workingWhileOnBenefitShare: mean(months.map((m) => m.workingWhileOnBenefit)),
      benefitCentsPerPersonMonth: mean(months.map((m) => m.benefitCents)),
      quarterlyCompetitiveRate: mean(Array.from({ length: 10 }, (_, k) => expectedCompetitiveInQuarter(arm, k))),
    };
  };
  const [ips, control] = [of('IPS'), of('CONTROL')];
  return {
    IPS: ips,
    CONTROL: control,
    difference: {
      workingWhileOnBenefitShare: ips.workingWhileOnBenefitShare - control.workingWhileOnBenefitShare,
      benefitCentsPerPersonMonth: ips.benefitCentsPerPersonMonth - control.benefitCentsPerPersonMonth,
      quarterlyCompetitiveRate: ips.quarterlyCompetitiveRate - control.quarterlyCompetitiveRate,
    },
  };
})();
