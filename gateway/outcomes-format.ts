/** The trial's outcome measures per arm (research's `trialOutcomes`) as a plain-text table. */

interface Share {
  numerator: number | null;
  denominator: number | null;
  share: number | null;
  suppressed: boolean;
}
interface Quarter {
  quarter: string;
  inFollowUp: number | null;
  competitivelyEmployed: number | null;
  rate: number | null;
  suppressed: boolean;
}
export interface OutcomesAnswer {
  from: string;
  to: string;
  region: string | null;
  smallCellThreshold: number;
  arms: {
    arm: string;
    people: number | null;
    workingWhileOnBenefit: Share;
    benefitPerMonth: {
      people: number | null;
      personMonths: number | null;
      personMonthsWithStatement: number | null;
      meanCents: number | null;
      medianCents: number | null;
      suppressed: boolean;
    };
    competitiveEmploymentRate: Quarter[];
    byMonthSinceRandomisation: {
      month: number;
      people: number | null;
      workingWhileOnBenefit: Share;
      benefitPerMonth: { meanCents: number | null };
      competitiveJob: Share;
    }[];
  }[];
}

export const OUTCOMES_QUERY = `query Outcomes($from: String!, $to: String!, $region: Region) { trialOutcomes(from: $from, to: $to, region: $region) {
  from to region smallCellThreshold
  arms { arm people
    workingWhileOnBenefit { numerator denominator share suppressed }
    benefitPerMonth { people personMonths personMonthsWithStatement meanCents medianCents suppressed }
    competitiveEmploymentRate { quarter inFollowUp competitivelyEmployed rate suppressed }
    byMonthSinceRandomisation { month people workingWhileOnBenefit { numerator denominator share suppressed } benefitPerMonth { meanCents } competitiveJob { numerator denominator share suppressed } } } } }`;

const percent = (share: number | null) => (share === null ? 'suppressed' : `${(share * 100).toFixed(1)} %`);
const euros = (cents: number | null) => (cents === null ? 'suppressed' : `€ ${(cents / 100).toFixed(2)}`);

export function formatOutcomes(answer: OutcomesAnswer): string {
  const ips = answer.arms.find((a) => a.arm === 'IPS');
  const control = answer.arms.find((a) => a.arm === 'CONTROL');
  if (!ips || !control) throw new Error('The outcomes answer lacks an arm (IPS and CONTROL are both expected)');
  const monthOf = (arm: typeof ips, month: number) => {
    const found = arm.byMonthSinceRandomisation[month];
    if (!found) throw new Error(`The ${arm.arm} arm lacks month ${month} since randomisation`);
    return found;
  };
  const rates = (arm: typeof ips) => arm.competitiveEmploymentRate.filter((q) => q.rate !== null);
  const meanRate = (arm: typeof ips) =>
    rates(arm).length ? rates(arm).reduce((sum, q) => sum + (q.rate ?? 0), 0) / rates(arm).length : null;
  const row = (label: string, a: string, b: string) => `  ${label.padEnd(46)}${a.padStart(18)}${b.padStart(18)}`;
  // No one to count is not a withheld count: it says so.
  const share = (s: Share) =>
    s.denominator === 0
      ? '–'
      : s.share === null
        ? 'suppressed'
        : `${percent(s.share)} (${s.numerator}/${s.denominator})`;
  const lines = [
    `Trial outcomes ${answer.from} – ${answer.to}${answer.region ? ` (${answer.region})` : ''}; ${answer.smallCellThreshold > 0 ? `cells under ${answer.smallCellThreshold} suppressed` : 'exact counts'}`,
    row('', 'IPS', 'CONTROL'),
    row('people followed', String(ips.people ?? 'suppressed'), String(control.people ?? 'suppressed')),
    row(
      '(a) working while on disability benefit',
      share(ips.workingWhileOnBenefit),
      share(control.workingWhileOnBenefit),
    ),
    row(
      '(b) benefit per person-month, mean',
      euros(ips.benefitPerMonth.meanCents),
      euros(control.benefitPerMonth.meanCents),
    ),
    row('    median', euros(ips.benefitPerMonth.medianCents), euros(control.benefitPerMonth.medianCents)),
    row(
      '    person-months (with a statement)',
      `${ips.benefitPerMonth.personMonths} (${ips.benefitPerMonth.personMonthsWithStatement ?? 'suppressed'})`,
      `${control.benefitPerMonth.personMonths} (${control.benefitPerMonth.personMonthsWithStatement ?? 'suppressed'})`,
    ),
    row('(c) competitive employment rate, quarters', '', ''),
    ...ips.competitiveEmploymentRate.map((q, i) => {
      const c = control.competitiveEmploymentRate[i];
      if (!c) throw new Error(`The control arm lacks quarter ${q.quarter}`);
      const cell = (x: Quarter) =>
        x.rate === null
          ? x.inFollowUp === 0
            ? '–'
            : 'suppressed'
          : `${percent(x.rate)} (${x.competitivelyEmployed}/${x.inFollowUp})`;
      return row(`    ${q.quarter}`, cell(q), cell(c));
    }),
    row('    mean of the published quarters', percent(meanRate(ips)), percent(meanRate(control))),
    row('by month since randomisation: competitive job', '', ''),
    ...ips.byMonthSinceRandomisation
      .filter((m) => m.month % 6 === 0)
      .map((m) =>
        row(`    month ${m.month}`, share(m.competitiveJob), share(monthOf(control, m.month).competitiveJob)),
      ),
  ];
  return lines.join('\n');
}
