/**
 * Demo outcomes and courses, once every subgraph has seeded and each person has their arm: each arm's
 * referent (R9, R11) and the intervention's first step (the IPS coach's first meeting, the control
 * group's reference interview), each randomised person's jobs over the 30 months after randomisation
 * — while the pathway is open and after it ended (intention to treat) — and the end of the pathways
 * that ended, with every reason. The course is the demo model's (kit/demo-model.ts): the jobs follow
 * the arm drawn, with the model's stated effect; pathway ends, withdrawals and deaths do not depend on it.
 * Set-based: one insert per table.
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import { ledgerColumn } from '../kit/access/decide.js';
import {
  addDays,
  DEMO_MODEL,
  demoJobs,
  demoLife,
  type DemoArm,
  monthsBetween,
  monthStart,
  personRandom,
} from '../kit/demo-model.js';
import { belgianToday, DataCategoryValue } from '../kit/domain.js';
import { PathwayEndReason } from './entities/pathway.entity.js';
import { ContractType, EmploymentContractEntity, EmploymentEndReason } from './entities/work-authorisation.entity.js';

/** Enterprise number (BCE/KBO) from its first eight digits: check = 97 − (first eight mod 97). */
const enterpriseNumber = (first8: number) =>
  `${String(first8).padStart(8, '0')}${String(97 - (first8 % 97)).padStart(2, '0')}`;
const OPEN_MARKET = [
  'Colruyt',
  'Delhaize',
  'bpost',
  'Decathlon',
  'Stad Gent',
  'CHU de Liège',
  'UZ Leuven',
  'Brussels Airport Company',
  'Lidl Belgium',
  'Securitas',
].map((name, i) => ({ name, number: enterpriseNumber(4_020_000 + 7919 * i) }));
const SHELTERED = ['ETA Les Ateliers du Monceau', 'Maatwerkbedrijf Waasland'].map((name, i) => ({
  name,
  number: enterpriseNumber(4_500_000 + 104_729 * i),
}));
const FUNCTIONS = [
  'Magasinier',
  'Caissier',
  'Aide-cuisinier',
  'Employé administratif',
  'Technicien de surface',
  'Magazijnier',
  'Kassamedewerker',
  'Keukenhulp',
  'Administratief medewerker',
  'Onderhoudsmedewerker',
];
const QUIT_REASONS = [
  EmploymentEndReason.RESIGNATION,
  EmploymentEndReason.DISMISSAL,
  EmploymentEndReason.MUTUAL_AGREEMENT,
  EmploymentEndReason.HEALTH,
  EmploymentEndReason.EMPLOYER_CLOSED,
  EmploymentEndReason.OTHER,
];
const SRE_OF_PARTNER: Record<string, string> = {
  'VDAB-GTB': 'vdab',
  'ARTICLE-23': 'forem',
  ISPPC: 'forem',
  'EQUIPE-MASS': 'actiris',
};

interface Followed {
  pathway_id: string;
  participant_id: string;
  registry_number: string;
  registered_on: string;
  allocated_on: string;
  job_coach: string | null;
  ips_partner: string;
  arm: DemoArm;
  physician_subject: string | null;
}

const counsellorOf = (person: Followed) => `counsellor-${SRE_OF_PARTNER[person.ips_partner] ?? 'forem'}-1`;
const dayOf = (monthFirst: string, day: number) => `${monthFirst.slice(0, 8)}${String(day).padStart(2, '0')}`;

export async function seedPathwaysOutcomesDemo(orm: MikroORM): Promise<number> {
  const em = orm.em.fork();
  if ((await em.count(EmploymentContractEntity)) > 0) return 0;
  const people = await em.execute<Followed[]>(
    `select p.id as pathway_id, p.participant_id, p.registry_number, to_char(p.registered_at at time zone 'Europe/Brussels', 'YYYY-MM-DD') as registered_on,
       to_char(a.allocated_at at time zone 'Europe/Brussels', 'YYYY-MM-DD') as allocated_on, p.job_coach, p.ips_partner, a.arm, l.physician_subject
     from pathways.pathway p join research.published_allocation a on a.participant_id = p.participant_id
       left join access.ledger l on l.participant_id = p.participant_id
     order by p.registry_number`,
  );
  await em.begin();
  try {
    await referentsByArm(em, people);
    const today = belgianToday();
    const contracts: Record<string, unknown>[] = [];
    const ends: Record<string, unknown>[] = [];
    const messages: Record<string, unknown>[] = [];
    const firstSteps: Record<string, unknown>[] = [];
    const acts: Record<string, unknown>[] = [];
    for (const person of people) {
      const life = demoLife(person.participant_id);
      const random = personRandom(person.participant_id, 'pathway');
      const referent = person.arm === 'IPS' ? person.job_coach : counsellorOf(person);
      const diesOn = life.diesAfterDays === null ? null : addDays(person.allocated_on, life.diesAfterDays);
      const died = diesOn !== null && diesOn < today ? diesOn : null;
      const lastMonth = Math.min(DEMO_MODEL.followUpMonths, monthsBetween(person.allocated_on, died ?? today));
      const jobs = demoJobs(person.participant_id, person.arm, lastMonth);

      // The pathway's end: the earliest of its possible ends, if before today (R16).
      const candidates: { on: string; reason: PathwayEndReason; by: string | null }[] = [];
      if (life.consentWithdrawnAfterDays !== null)
        candidates.push({
          on: addDays(person.registered_on, life.consentWithdrawnAfterDays),
          reason: PathwayEndReason.CONSENT_WITHDRAWN,
          by: person.physician_subject,
        });
      if (died) candidates.push({ on: died, reason: PathwayEndReason.DECEASED, by: referent });
      if (life.pathwayEnd)
        candidates.push({
          on: addDays(person.registered_on, life.pathwayEnd.afterDays),
          reason: life.pathwayEnd.reason as PathwayEndReason,
          by: referent,
        });
      candidates.push({
        on: addDays(
          monthStart(person.registered_on, DEMO_MODEL.life.pathwayTermMonths),
          Number(person.registered_on.slice(8, 10)) - 1,
        ),
        reason: PathwayEndReason.PILOT_ENDED,
        by: referent,
      });
      // Half the people who keep a job for the model's months end the pathway then: employment sustained.
      for (const job of jobs) {
        const sustainedMonth = job.firstMonth + DEMO_MODEL.life.sustainedAfterMonths;
        if ((job.lastMonth === null || job.lastMonth >= sustainedMonth) && random.next() < 0.5) {
          candidates.push({
            on: dayOf(monthStart(person.allocated_on, sustainedMonth), job.startDay),
            reason: PathwayEndReason.EMPLOYMENT_SUSTAINED,
            by: referent,
          });
          break;
        }
      }
      const end = candidates
        .filter((c) => c.on < today && c.on >= person.registered_on)
        .sort((a, b) => a.on.localeCompare(b.on))[0];
      if (end) {
        const endedBy = end.by ?? 'inami-demo';
        const endedAt = `${end.on}T16:00:00+01:00`;
        ends.push({
          id: person.pathway_id,
          ended_on: end.on,
          end_reason: end.reason,
          ended_by: endedBy,
          ended_at: endedAt,
        });
        if (person.physician_subject) {
          messages.push({
            participant_id: person.participant_id,
            pathway_id: person.pathway_id,
            physician_subject: person.physician_subject,
            body: `Pathway ${person.registry_number} ended on ${end.on} (${end.reason}).`,
            message_params: { registryNumber: person.registry_number, on: end.on, reason: end.reason, note: '' },
            sent_at: endedAt,
            sent_by: endedBy,
            notice: end.reason === PathwayEndReason.CONSENT_WITHDRAWN,
          });
        }
      }
      const openUntil = end?.on ?? today;

      // The intervention's first step (CONSORT "received"): the coach's first meeting, the counsellor's reference interview.
      const firstOn = addDays(person.registered_on, random.integer(7, 25));
      if (person.arm === 'IPS' && person.job_coach) {
        firstSteps.push({
          pathway_id: person.pathway_id,
          participant_id: person.participant_id,
          scheduled_for: firstOn,
          held_on: firstOn < openUntil && firstOn < today ? firstOn : null,
          scheduled_by: person.job_coach,
        });
      } else if (person.arm === 'CONTROL' && firstOn < openUntil && firstOn < today) {
        acts.push({
          pathway_id: person.pathway_id,
          participant_id: person.participant_id,
          act_on: firstOn,
          person: counsellorOf(person),
          actor: counsellorOf(person),
          recorded_at: `${firstOn}T15:00:00+01:00`,
        });
      }

      // The jobs, in both arms and after the pathway's end (intention to treat), recorded by the referent.
      const recordedBy = referent ?? `coach-${person.ips_partner.toLowerCase()}-1`;
      for (const job of jobs) {
        const startsOn = dayOf(monthStart(person.allocated_on, job.firstMonth), job.startDay);
        if (startsOn >= today) continue;
        let endedOn = job.lastMonth === null ? null : dayOf(monthStart(person.allocated_on, job.lastMonth), job.endDay);
        if (endedOn !== null && endedOn >= today) endedOn = null;
        if (died && (endedOn === null || endedOn > died)) endedOn = died;
        const sheltered = !job.competitive && random.next() < 0.6;
        const employer = sheltered ? random.pick(SHELTERED) : random.pick(OPEN_MARKET);
        const contractType =
          endedOn === null
            ? ContractType.OPEN_ENDED
            : random.pick([
                ContractType.OPEN_ENDED,
                ContractType.FIXED_TERM,
                ContractType.FIXED_TERM,
                ContractType.REPLACEMENT,
              ]);
        const endReason =
          endedOn === null
            ? null
            : endedOn === died
              ? EmploymentEndReason.OTHER
              : contractType === ContractType.OPEN_ENDED
                ? random.pick(QUIT_REASONS)
                : random.next() < 0.7
                  ? EmploymentEndReason.END_OF_TERM
                  : random.pick(QUIT_REASONS);
        contracts.push({
          pathway_id: person.pathway_id,
          participant_id: person.participant_id,
          employer: employer.name,
          employer_number: employer.number,
          job_function: random.pick(FUNCTIONS),
          starts_on: startsOn,
          ends_on: contractType === ContractType.OPEN_ENDED ? null : endedOn,
          weekly_hours: job.weeklyHours,
          contract_type: contractType,
          recorded_at: `${startsOn}T12:00:00Z`,
          recorded_by: recordedBy,
          // Not competitive: a sheltered job reserved for disabled people, or one on the open market paid under the minimum wage.
          open_labour_market: !sheltered,
          paid_at_least_minimum_wage: job.competitive || sheltered,
          reserved_for_disabled_people: sheltered,
          ended_on: endedOn,
          end_reason: endReason,
          ended_by: endedOn === null ? null : recordedBy,
        });
      }
    }
    await em.execute(
      `update pathways.pathway p set status = 'ENDED', ended_on = x.ended_on, end_reason = x.end_reason, ended_by = x.ended_by, ended_at = x.ended_at
       from jsonb_to_recordset(?::jsonb) as x(id uuid, ended_on date, end_reason text, ended_by text, ended_at timestamptz) where p.id = x.id`,
      [JSON.stringify(ends)],
    );
    await em.execute(
      `insert into pathways.physician_message (id, participant_id, pathway_id, physician_subject, kind, body, message_id, message_params, body_category, sent_at, sent_by, notice)
       select gen_random_uuid(), x.participant_id, x.pathway_id, x.physician_subject, 'PATHWAY_ENDED', x.body, 'physicianMessage.pathwayEnded', x.message_params, ?, x.sent_at, x.sent_by, x.notice
       from jsonb_to_recordset(?::jsonb) as x(participant_id uuid, pathway_id uuid, physician_subject text, body text, message_params jsonb, sent_at timestamptz, sent_by text, notice boolean)`,
      [DataCategoryValue.ADMINISTRATIVE, JSON.stringify(messages)],
    );
    await em.execute(
      `insert into pathways.individual_meeting (id, pathway_id, participant_id, kind, scheduled_for, held_on, scheduled_by, planned_at, held_by, held_recorded_at)
       select gen_random_uuid(), x.pathway_id, x.participant_id, 'FIRST', x.scheduled_for, x.held_on, x.scheduled_by, x.scheduled_for - 5, case when x.held_on is not null then x.scheduled_by end, x.held_on + time '17:00'
       from jsonb_to_recordset(?::jsonb) as x(pathway_id uuid, participant_id uuid, scheduled_for date, held_on date, scheduled_by text)`,
      [JSON.stringify(firstSteps)],
    );
    await em.execute(
      `insert into pathways.pathway_act (id, pathway_id, participant_id, kind, act_on, person, detail, detail_category, actor, recorded_at)
       select gen_random_uuid(), x.pathway_id, x.participant_id, 'REFERENCE_INTERVIEW_HELD', x.act_on, x.person, 'Reference interview held (demo).', ?, x.actor, x.recorded_at
       from jsonb_to_recordset(?::jsonb) as x(pathway_id uuid, participant_id uuid, act_on date, person text, actor text, recorded_at timestamptz)`,
      [DataCategoryValue.ADMINISTRATIVE, JSON.stringify(acts)],
    );
    await em.execute(
      `insert into pathways.employment_contract (id, pathway_id, participant_id, employer, employer_number, job_function, starts_on, ends_on, weekly_hours, contract_type,
         recorded_at, recorded_by, open_labour_market, paid_at_least_minimum_wage, reserved_for_disabled_people, ended_on, end_reason, ended_by)
       select gen_random_uuid(), x.pathway_id, x.participant_id, x.employer, x.employer_number, x.job_function, x.starts_on, x.ends_on, x.weekly_hours, x.contract_type,
         x.recorded_at, x.recorded_by, x.open_labour_market, x.paid_at_least_minimum_wage, x.reserved_for_disabled_people, x.ended_on, x.end_reason, x.ended_by
       from jsonb_to_recordset(?::jsonb) as x(pathway_id uuid, participant_id uuid, employer text, employer_number text, job_function text, starts_on date, ends_on date,
         weekly_hours double precision, contract_type text, recorded_at timestamptz, recorded_by text, open_labour_market boolean, paid_at_least_minimum_wage boolean,
         reserved_for_disabled_people boolean, ended_on date, end_reason text, ended_by text)`,
      [JSON.stringify(contracts)],
    );
    await em.commit();
    return contracts.length + ends.length + messages.length + firstSteps.length + acts.length;
  } catch (error) {
    await em.rollback();
    throw error;
  }
}

/**
 * Each arm's referent, once the allocation is known (R9, R11): the demo registered pathways before
 * randomising them, so a control-group person may have been given a coach. The control group has
 * no coach; the SRE's reference counsellor is their referent, in the pathway and in the ledger.
 */
async function referentsByArm(em: ReturnType<MikroORM['em']['fork']>, people: Followed[]): Promise<void> {
  const control = people.filter((p) => p.arm === 'CONTROL');
  const rows = JSON.stringify(
    control.map((person) => ({
      id: person.pathway_id,
      participant_id: person.participant_id,
      counsellor: counsellorOf(person),
    })),
  );
  await em.execute(
    `update pathways.pathway p set job_coach = null, reference_counsellor = x.counsellor from jsonb_to_recordset(?::jsonb) as x(id uuid, counsellor text) where p.id = x.id`,
    [rows],
  );
  // The ledger says the same (LEDGER_FACTS: jobCoachSubject, counsellorSubject), as assigning a referent writes it.
  const [coach, counsellor] = [ledgerColumn('jobCoachSubject'), ledgerColumn('counsellorSubject')];
  await em.execute(
    `update access.ledger l set ${coach} = null, ${counsellor} = x.counsellor, updated_at = now() from jsonb_to_recordset(?::jsonb) as x(participant_id uuid, counsellor text) where l.participant_id = x.participant_id`,
    [rows],
  );
  for (const person of control) person.job_coach = null;
}
