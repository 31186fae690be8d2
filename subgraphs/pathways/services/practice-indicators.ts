/**
 * The IPS principles measured from the recorded work (DOMAIN.md "The eight IPS principles"), per team and quarter — a
 * pure function of facts the service reads in a fixed number of statements (practice-indicators.service.ts):
 * - rapid job search (principle 5): days from a person's first meeting to the first employer contact on their behalf,
 *   for the people whose first meeting was held in the quarter (median and n; people without a contact yet counted apart);
 * - systematic job development (principle 8): employer contacts of the team in the quarter (on a person's behalf or the
 *   team's) per coach FTE-week — the coaches' memberships' working time over their days in the quarter (IPS-25 asks for
 *   several contacts per coach per week);
 * - benefits counselling (principle 7): the share of the team's IPS people in a pathway during the quarter who had at least
 *   one session by its end;
 * - time-unlimited support (principle 6): the share of the team's IPS people working during the quarter (a job overlapping
 *   it, the pathway open or ended) who had follow-along support in it.
 */

export interface Quarter {
  /** e.g. 2026-Q3 */
  label: string;
  first: string;
  last: string;
}

export interface PracticeFacts {
  /** The team's IPS-arm pathways. */
  pathways: readonly {
    pathwayId: string;
    registeredOn: string;
    endedOn: string | null;
    firstMeetingOn: string | null;
  }[];
  /** Every employer contact of the team: pathwayId null for the team's job development. */
  employerContacts: readonly { pathwayId: string | null; contactedOn: string }[];
  counselling: readonly { pathwayId: string; heldOn: string }[];
  /** Jobs of the team's IPS people: start and last day (actual end, else the contract's, else none). */
  jobs: readonly { pathwayId: string; startsOn: string; lastDay: string | null }[];
  support: readonly { pathwayId: string; supportedOn: string }[];
  /** The team's job-coach memberships: working time and days. */
  coaches: readonly { fteHundredths: number; enrolledOn: string; endedOn: string | null }[];
}

export interface PracticeIndicatorRow {
  quarter: string;
  /** Rapid job search: people whose first meeting was held in the quarter, those of them with an employer contact since, and the median days. */
  firstMeetings: number;
  firstEmployerContacts: number;
  medianDaysToFirstEmployerContact: number | null;
  /** Job development: contacts in the quarter, the coaches' FTE-weeks, and their ratio (two decimals). */
  employerContacts: number;
  coachFteWeeks: number;
  employerContactsPerCoachPerWeek: number | null;
  /** Benefits counselling: people in a pathway in the quarter, those counselled by its end, the share (0–1, three decimals). */
  peopleInPathway: number;
  peopleCounselled: number;
  shareCounselled: number | null;
  /** Follow-along: people working in the quarter, those supported in it, the share. */
  peopleWorking: number;
  peopleWorkingSupported: number;
  shareWorkingSupported: number | null;
}

const DAY = 86_400_000;
const dayNumber = (day: string) => Date.parse(`${day}T00:00:00Z`) / DAY;
const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;
const share = (part: number, whole: number) => (whole === 0 ? null : round(part / whole, 3));

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] ?? 0;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] ?? upper) + upper) / 2;
}

/** A quarter by its label (2026-Q3), or undefined if the label is not one. */
export function quarterOf(label: string): Quarter | undefined {
  const match = /^(\d{4})-Q([1-4])$/.exec(label);
  if (!match) return undefined;
  const year = Number(match[1]);
  const q = Number(match[2]);
  const firstMonth = (q - 1) * 3;
  const first = new Date(Date.UTC(year, firstMonth, 1)).toISOString().slice(0, 10);
  const last = new Date(Date.UTC(year, firstMonth + 3, 0)).toISOString().slice(0, 10);
  return { label, first, last };
}

/** The quarter a day falls in. */
export function quarterOfDay(day: string): Quarter {
  const year = Number(day.slice(0, 4));
  const firstMonth = Math.floor((Number(day.slice(5, 7)) - 1) / 3) * 3;
  return {
    label: `${String(year)}-Q${String(firstMonth / 3 + 1)}`,
    first: new Date(Date.UTC(year, firstMonth, 1)).toISOString().slice(0, 10),
    last: new Date(Date.UTC(year, firstMonth + 3, 0)).toISOString().slice(0, 10),
  };
}

/** The indicators of one team for one quarter. */
export function practiceIndicators(facts: PracticeFacts, quarter: Quarter): PracticeIndicatorRow {
  const inQuarter = (day: string) => day >= quarter.first && day <= quarter.last;

  // Principle 5: the first contact on the person's behalf on or after their first meeting.
  const firstMeetings = facts.pathways.flatMap((p) =>
    p.firstMeetingOn !== null && inQuarter(p.firstMeetingOn) ? [{ ...p, meeting: p.firstMeetingOn }] : [],
  );
  const days = firstMeetings.flatMap(({ pathwayId, meeting }) => {
    const contacts = facts.employerContacts
      .filter((c) => c.pathwayId === pathwayId && c.contactedOn >= meeting)
      .map((c) => c.contactedOn)
      .sort();
    return contacts[0] === undefined ? [] : [dayNumber(contacts[0]) - dayNumber(meeting)];
  });

  // Principle 8: every contact of the team in the quarter, per coach FTE-week (a membership counts its days in the quarter).
  const employerContacts = facts.employerContacts.filter((c) => inQuarter(c.contactedOn)).length;
  const fteDays = facts.coaches.reduce((sum, coach) => {
    const from = coach.enrolledOn > quarter.first ? coach.enrolledOn : quarter.first;
    const to = coach.endedOn !== null && coach.endedOn < quarter.last ? coach.endedOn : quarter.last;
    return to < from ? sum : sum + ((dayNumber(to) - dayNumber(from) + 1) * coach.fteHundredths) / 100;
  }, 0);
  const coachFteWeeks = round(fteDays / 7, 2);

  // Principle 7: people in a pathway at some time in the quarter, counselled by its end.
  const inPathway = facts.pathways.filter(
    (p) => p.registeredOn <= quarter.last && (p.endedOn === null || p.endedOn >= quarter.first),
  );
  const counselled = inPathway.filter((p) =>
    facts.counselling.some((s) => s.pathwayId === p.pathwayId && s.heldOn <= quarter.last),
  );

  // Principle 6: people working at some time in the quarter (pathway open or ended), supported in it.
  const working = facts.pathways.filter((p) =>
    facts.jobs.some(
      (j) =>
        j.pathwayId === p.pathwayId && j.startsOn <= quarter.last && (j.lastDay === null || j.lastDay >= quarter.first),
    ),
  );
  const supported = working.filter((p) =>
    facts.support.some((s) => s.pathwayId === p.pathwayId && inQuarter(s.supportedOn)),
  );

  return {
    quarter: quarter.label,
    firstMeetings: firstMeetings.length,
    firstEmployerContacts: days.length,
    medianDaysToFirstEmployerContact: median(days),
    employerContacts,
    coachFteWeeks,
    employerContactsPerCoachPerWeek: fteDays === 0 ? null : round(employerContacts / (fteDays / 7), 2),
    peopleInPathway: inPathway.length,
    peopleCounselled: counselled.length,
    shareCounselled: share(counselled.length, inPathway.length),
    peopleWorking: working.length,
    peopleWorkingSupported: supported.length,
    shareWorkingSupported: share(supported.length, working.length),
  };
}
