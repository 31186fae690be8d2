/** The intention-to-treat estimates (itt.ts) as a plain-text table. */
import type { Analysis, Interval, MeasureEstimate } from './itt.js';

const LABEL: Record<MeasureEstimate['measure'], string> = {
  WORKING_ON_BENEFIT: '(a) share of months working while on benefit',
  BENEFIT_PER_MONTH: '(b) benefit per person-month (€)',
  COMPETITIVE_EMPLOYMENT_QUARTERLY: '(c) quarterly competitive employment rate',
};

export function formatAnalysis(analysis: Analysis): string {
  const lines = [
    `Intention to treat: ${analysis.people} people, ${analysis.personMonths} person-months, months ${analysis.months.from}–${analysis.months.to} since randomisation.`,
    'Means per arm with 95 % intervals clustered by person; the difference is IPS minus control,',
    'with its interval clustered by person (primary) and by IPS partner (sensitivity: t on partners − 1 df).',
    '',
  ];
  for (const m of analysis.measures) {
    const show =
      m.measure === 'BENEFIT_PER_MONTH'
        ? (value: number) => (value / 100).toFixed(2)
        : (value: number) => `${(value * 100).toFixed(1)} %`;
    const interval = (i: Interval) => `[${show(i.low)}, ${show(i.high)}]`;
    lines.push(
      LABEL[m.measure],
      `  IPS        ${show(m.ips.mean).padStart(10)}  ${interval(m.ips.interval)}   (${m.ips.people} people, ${m.ips.observations} ${m.unit === 'PERSON_MONTH' ? 'person-months' : 'person-quarters'})`,
      `  control    ${show(m.control.mean).padStart(10)}  ${interval(m.control.interval)}   (${m.control.people} people, ${m.control.observations} ${m.unit === 'PERSON_MONTH' ? 'person-months' : 'person-quarters'})`,
      `  difference ${show(m.difference).padStart(10)}  ${interval(m.interval)} by person${m.partnerInterval ? `; ${interval(m.partnerInterval)} by partner (${m.partners})` : ''}`,
      '',
    );
  }
  return lines.join('\n');
}
