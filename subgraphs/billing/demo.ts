/**
 * Demo benefit statements, once every subgraph has seeded: each randomised demo person's health
 * insurer states every month of the 24 after their pathway's registration (up to last month). A
 * month with a job (the pathways subgraph's published episodes) is a month of authorised partial
 * work with a benefit reduced by the hours worked; from 32 hours a week the benefit stops (no
 * statement). Deterministic: one seeded stream per arm, people in the order of their pathway.
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import { DemoRandom } from '../kit/demo-random.js';
import { belgianToday } from '../kit/domain.js';
import { BenefitStatementEntity, BenefitType } from './entities/benefit-statement.entity.js';

const FOLLOW_UP_MONTHS = 24;

interface Followed {
  participant_id: string;
  arm: 'IPS' | 'CONTROL';
  health_insurer: string;
  first_month: string;
}
interface Episode {
  participant_id: string;
  starts_on: string;
  ends_on: string | null;
  weekly_hours: number;
  contract_type: string;
}

function addMonths(firstDay: string, months: number): string {
  const date = new Date(`${firstDay}T00:00:00Z`);
  date.setUTCMonth(date.getUTCMonth() + months);
  return date.toISOString().slice(0, 10);
}

/** Benefit days of a month: the six-day week of the incapacity insurance (every day but Sundays). */
function benefitDays(firstDay: string): number {
  const date = new Date(`${firstDay}T00:00:00Z`);
  let days = 0;
  for (const month = date.getUTCMonth(); date.getUTCMonth() === month; date.setUTCDate(date.getUTCDate() + 1)) if (date.getUTCDay() !== 0) days += 1;
  return days;
}

export async function seedBillingDemo(orm: MikroORM): Promise<number> {
  const em = orm.em.fork();
  if ((await em.count(BenefitStatementEntity)) > 0) return 0;
  const people = await em.execute<Followed[]>(
    `select a.participant_id, a.arm, l.health_insurer, to_char(date_trunc('month', min(pp.started_on)), 'YYYY-MM-DD') as first_month
     from research.published_allocation a
     join access.ledger l on l.participant_id = a.participant_id
     join pathways.published_pathway_period pp on pp.participant_id = a.participant_id
     group by a.participant_id, a.arm, l.health_insurer order by min(pp.started_on), l.health_insurer, a.participant_id`,
  );
  const episodes = await em.execute<Episode[]>(
    `select participant_id, to_char(starts_on, 'YYYY-MM-DD') as starts_on, to_char(ends_on, 'YYYY-MM-DD') as ends_on, weekly_hours, contract_type
     from pathways.published_employment_episode`,
  );
  const jobsOf = new Map<string, Episode[]>();
  for (const episode of episodes) jobsOf.set(episode.participant_id, [...(jobsOf.get(episode.participant_id) ?? []), episode]);
  const lastMonth = addMonths(`${belgianToday().slice(0, 7)}-01`, -1);
  const streams = { IPS: new DemoRandom(20190401), CONTROL: new DemoRandom(20190402) };
  let added = 0;
  for (const person of people) {
    const random = streams[person.arm];
    const dailyCents = random.integer(42, 62) * 100; // 42–62 € a day
    const primaryMonths = random.next() < 0.4 ? random.integer(1, 12) : 0; // then invalidity
    for (let m = 0; m < FOLLOW_UP_MONTHS; m++) {
      const month = addMonths(person.first_month, m);
      if (month > lastMonth) break;
      const monthEnd = addMonths(month, 1);
      const job = (jobsOf.get(person.participant_id) ?? []).find(
        (e) => e.contract_type !== 'IN_COMPANY_TRAINING' && e.starts_on < monthEnd && (e.ends_on === null || e.ends_on >= month),
      );
      if (job && job.weekly_hours >= 32) continue; // full-time work: the benefit stops
      const days = benefitDays(month);
      const reduction = job ? Math.min(0.8, 0.1 + (0.7 * job.weekly_hours) / 38) : 0;
      em.create(BenefitStatementEntity, {
        participantId: person.participant_id,
        healthInsurer: person.health_insurer,
        month,
        benefitType: m < primaryMonths ? BenefitType.PRIMARY_INCAPACITY : BenefitType.INVALIDITY,
        amountCents: Math.round(dailyCents * days * (1 - reduction)),
        days,
        partialWorkAuthorised: Boolean(job) && random.next() < 0.95, // a few jobs were never authorised (R15)
        recordedBy: `${person.health_insurer.toLowerCase()}-demo`,
        recordedAt: new Date(`${addMonths(month, 1)}T09:00:00Z`),
      });
      added += 1;
    }
  }
  await em.flush();
  return added;
}
