/**
 * Demo benefit statements, once every subgraph has seeded: each randomised demo person's health
 * insurer states every month from the month of randomisation to 30 months after it (up to last
 * month, and not after the person's death), whatever happened to the pathway (intention to treat).
 * A month with a job (the pathways subgraph's published episodes) is a month of partial work with the
 * benefit reduced by the hours worked; full-time work stops it (no statement). The amounts follow the
 * demo model (kit/demo-model.ts: the person's daily rate, the reduction). One insert.
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import { addDays, DEMO_MODEL, demoLife, FULL_TIME_HOURS, monthStart } from '../kit/demo-model.js';
import { DemoRandom } from '../kit/demo-random.js';
import { belgianToday } from '../kit/domain.js';
import { BenefitStatementEntity, BenefitType } from './entities/benefit-statement.entity.js';

interface Followed {
  participant_id: string;
  arm: 'IPS' | 'CONTROL';
  health_insurer: string;
  allocated_on: string;
}
interface Episode {
  participant_id: string;
  starts_on: string;
  ends_on: string | null;
  weekly_hours: number;
  contract_type: string;
}

/** Benefit days of a month: the six-day week of the incapacity insurance (every day but Sundays). */
function benefitDays(firstDay: string): number {
  const date = new Date(`${firstDay}T00:00:00Z`);
  let days = 0;
  for (const month = date.getUTCMonth(); date.getUTCMonth() === month; date.setUTCDate(date.getUTCDate() + 1))
    if (date.getUTCDay() !== 0) days += 1;
  return days;
}

export async function seedBillingDemo(orm: MikroORM): Promise<number> {
  const em = orm.em.fork();
  if ((await em.count(BenefitStatementEntity)) > 0) return 0;
  const people = await em.execute<Followed[]>(
    `select a.participant_id, a.arm, l.health_insurer, to_char(a.allocated_at at time zone 'Europe/Brussels', 'YYYY-MM-DD') as allocated_on
     from research.published_allocation a join access.ledger l on l.participant_id = a.participant_id
     order by a.allocated_at, a.participant_id`,
  );
  const episodes = await em.execute<Episode[]>(
    `select participant_id, to_char(starts_on, 'YYYY-MM-DD') as starts_on, to_char(ends_on, 'YYYY-MM-DD') as ends_on, weekly_hours, contract_type
     from pathways.published_employment_episode`,
  );
  const jobsOf = new Map<string, Episode[]>();
  for (const episode of episodes)
    jobsOf.set(episode.participant_id, [...(jobsOf.get(episode.participant_id) ?? []), episode]);
  const today = belgianToday();
  const lastMonth = monthStart(today, -1);
  const random = new DemoRandom(20190401);
  const rows: Record<string, unknown>[] = [];
  for (const person of people) {
    const life = demoLife(person.participant_id);
    const diesOn = life.diesAfterDays === null ? null : addDays(person.allocated_on, life.diesAfterDays);
    const primaryMonths = random.next() < 0.4 ? random.integer(1, 12) : 0; // then invalidity
    for (let m = 0; m <= DEMO_MODEL.followUpMonths; m++) {
      const month = monthStart(person.allocated_on, m);
      if (month > lastMonth || (diesOn !== null && diesOn < month)) break;
      const monthEnd = monthStart(month, 1);
      const job = (jobsOf.get(person.participant_id) ?? []).find(
        (e) =>
          e.contract_type !== 'IN_COMPANY_TRAINING' &&
          e.starts_on < monthEnd &&
          (e.ends_on === null || e.ends_on >= month),
      );
      if (job && job.weekly_hours >= FULL_TIME_HOURS) continue; // full-time work: the benefit stops
      const days = benefitDays(month);
      const reduction = job ? DEMO_MODEL.benefit.reductionAt(job.weekly_hours) : 0;
      rows.push({
        participant_id: person.participant_id,
        health_insurer: person.health_insurer,
        month,
        benefit_type: m < primaryMonths ? BenefitType.PRIMARY_INCAPACITY : BenefitType.INVALIDITY,
        amount_cents: Math.round(life.dailyCents * days * (1 - reduction)),
        days,
        partial_work_authorised: Boolean(job) && random.next() < 0.95, // a few jobs were never authorised (R15)
        recorded_by: `${person.health_insurer.toLowerCase()}-demo`,
        recorded_at: `${monthEnd}T09:00:00Z`,
      });
    }
  }
  await em.execute(
    `insert into billing.benefit_statement (id, participant_id, health_insurer, month, benefit_type, amount_cents, days, partial_work_authorised, recorded_by, recorded_at)
     select gen_random_uuid(), x.participant_id, x.health_insurer, x.month, x.benefit_type, x.amount_cents, x.days, x.partial_work_authorised, x.recorded_by, x.recorded_at
     from jsonb_to_recordset(?::jsonb) as x(participant_id uuid, health_insurer text, month date, benefit_type text, amount_cents int, days int,
       partial_work_authorised boolean, recorded_by text, recorded_at timestamptz)`,
    [JSON.stringify(rows)],
  );
  return rows.length;
}
