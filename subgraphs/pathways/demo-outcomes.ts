/**
 * Demo outcomes, once every subgraph has seeded: the jobs of the randomised demo people, in both
 * arms, recorded by their referent (the coach in IPS, the SRE's counsellor in the control group),
 * over the 24 months after their pathway's registration. IPS people find work sooner and more
 * often competitive work (the trial's direction, not its data). Deterministic: one seeded stream
 * per arm, people taken in registry order.
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import { writeLedgerFacts } from '../kit/access/ledger.js';
import { DemoRandom } from '../kit/demo-random.js';
import { SqlStatementCounter } from '../kit/orm.js';
import { belgianToday } from '../kit/domain.js';
import { ContractType, EmploymentContractEntity, EmploymentEndReason } from './entities/work-authorisation.entity.js';

/** Months after registration the demo follows, and each arm's monthly chance of starting a job and of its being competitive. */
const FOLLOW_UP_MONTHS = 24;
const ARM_MODEL = {
  IPS: { startPerMonth: 0.085, competitive: 0.85, seed: 20190301 },
  CONTROL: { startPerMonth: 0.05, competitive: 0.6, seed: 20190302 },
} as const;

/** Enterprise number (BCE/KBO) from its first eight digits: check = 97 − (first eight mod 97). */
const enterpriseNumber = (first8: number) => `${String(first8).padStart(8, '0')}${String(97 - (first8 % 97)).padStart(2, '0')}`;
const OPEN_MARKET = ['Colruyt', 'Delhaize', 'bpost', 'Decathlon', 'Stad Gent', 'CHU de Liège', 'UZ Leuven', 'Brussels Airport Company', 'Lidl Belgium', 'Securitas'].map((name, i) => ({ name, number: enterpriseNumber(4_020_000 + 7919 * i) }));
const SHELTERED = ['ETA Les Ateliers du Monceau', 'Maatwerkbedrijf Waasland'].map((name, i) => ({ name, number: enterpriseNumber(4_500_000 + 104_729 * i) }));
const FUNCTIONS = ['Magasinier', 'Caissier', 'Aide-cuisinier', 'Employé administratif', 'Technicien de surface', 'Magazijnier', 'Kassamedewerker', 'Keukenhulp', 'Administratief medewerker', 'Onderhoudsmedewerker'];
const END_REASONS = [EmploymentEndReason.END_OF_TERM, EmploymentEndReason.END_OF_TERM, EmploymentEndReason.RESIGNATION, EmploymentEndReason.DISMISSAL, EmploymentEndReason.MUTUAL_AGREEMENT, EmploymentEndReason.HEALTH, EmploymentEndReason.OTHER];
const SRE_OF_PARTNER: Record<string, string> = { 'VDAB-GTB': 'vdab', 'ARTICLE-23': 'forem', ISPPC: 'forem', 'EQUIPE-MASS': 'actiris' };

const day = (date: Date) => date.toISOString().slice(0, 10);
function addMonths(iso: string, months: number, days = 0): string {
  const date = new Date(`${iso}T00:00:00Z`);
  date.setUTCMonth(date.getUTCMonth() + months);
  date.setUTCDate(date.getUTCDate() + days);
  return day(date);
}

interface Followed {
  pathway_id: string;
  participant_id: string;
  registered_on: string;
  job_coach: string | null;
  ips_partner: string;
  arm: 'IPS' | 'CONTROL';
}

export async function seedPathwaysOutcomesDemo(orm: MikroORM): Promise<number> {
  const em = orm.em.fork();
  if ((await em.count(EmploymentContractEntity)) > 0) return 0;
  const people = await em.execute<Followed[]>(
    `select p.id as pathway_id, p.participant_id, to_char(p.registered_at at time zone 'Europe/Brussels', 'YYYY-MM-DD') as registered_on, p.job_coach, p.ips_partner, a.arm
     from pathways.pathway p join research.published_allocation a on a.participant_id = p.participant_id
     order by p.registry_number`,
  );
  await referentsByArm(em, people);
  const today = belgianToday();
  const streams = { IPS: new DemoRandom(ARM_MODEL.IPS.seed), CONTROL: new DemoRandom(ARM_MODEL.CONTROL.seed) };
  let added = 0;
  for (const person of people) {
    const random = streams[person.arm];
    const model = ARM_MODEL[person.arm];
    const recordedBy = person.arm === 'IPS' ? (person.job_coach ?? `coach-${person.ips_partner.toLowerCase()}-1`) : counsellorOf(person);
    const horizon = addMonths(person.registered_on, FOLLOW_UP_MONTHS);
    let cursor = person.registered_on;
    for (;;) {
      let wait = 0;
      while (random.next() > model.startPerMonth && wait < FOLLOW_UP_MONTHS) wait += 1;
      const startsOn = addMonths(cursor, wait, random.integer(0, 27));
      if (startsOn >= horizon || startsOn > today) break;
      const training = random.next() < 0.08;
      const competitive = !training && random.next() < model.competitive;
      const sheltered = !training && !competitive && random.next() < 0.6;
      const employer = sheltered ? random.pick(SHELTERED) : random.pick(OPEN_MARKET);
      const contractType = training ? ContractType.IN_COMPANY_TRAINING : random.pick([ContractType.OPEN_ENDED, ContractType.OPEN_ENDED, ContractType.FIXED_TERM, ContractType.FIXED_TERM, ContractType.REPLACEMENT]);
      const lastDay = addMonths(startsOn, training ? 3 : random.integer(2, 16), -1);
      const ended = lastDay < horizon && lastDay <= today;
      em.create(EmploymentContractEntity, {
        pathwayId: person.pathway_id,
        participantId: person.participant_id,
        employer: employer.name,
        employerNumber: employer.number,
        jobFunction: random.pick(FUNCTIONS),
        startsOn,
        endsOn: contractType === ContractType.OPEN_ENDED ? undefined : lastDay,
        weeklyHours: random.pick([12, 15, 19, 19, 22.8, 24, 30, 38]),
        contractType,
        recordedBy,
        recordedAt: new Date(`${startsOn}T12:00:00Z`),
        // Not competitive: a sheltered job reserved for disabled people, or one paid under the minimum wage.
        openLabourMarket: !sheltered,
        paidAtLeastMinimumWage: competitive || sheltered,
        reservedForDisabledPeople: sheltered,
        ...(ended ? { endedOn: lastDay, endReason: contractType === ContractType.OPEN_ENDED ? random.pick(END_REASONS.slice(2)) : random.pick(END_REASONS), endedBy: recordedBy } : {}),
      });
      added += 1;
      if (!ended) break;
      cursor = addMonths(lastDay, 0, 1);
    }
  }
  await em.flush();
  return added;
}

const counsellorOf = (person: Followed) => `counsellor-${SRE_OF_PARTNER[person.ips_partner] ?? 'forem'}-1`;

/**
 * Each arm's referent, once the allocation is known (R9, R11): the demo registered pathways before
 * randomising them, so a control-group person may have been given a coach. The control group has
 * no coach; the SRE's reference counsellor is their referent, in the pathway and in the ledger.
 */
async function referentsByArm(em: ReturnType<MikroORM['em']['fork']>, people: Followed[]): Promise<void> {
  const runner = { em, sqlCounter: new SqlStatementCounter() };
  for (const person of people.filter((p) => p.arm === 'CONTROL')) {
    const counsellor = counsellorOf(person);
    await em.execute('update pathways.pathway set job_coach = null, reference_counsellor = ? where id = ?', [counsellor, person.pathway_id]);
    await writeLedgerFacts(runner, 'pathways', person.participant_id, { jobCoachSubject: null, counsellorSubject: counsellor });
    person.job_coach = null;
  }
}
