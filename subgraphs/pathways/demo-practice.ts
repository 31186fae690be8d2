/**
 * Demo practice (IPS principles 5–8), once the outcomes demo has given each IPS person a first meeting, jobs and an end:
 * the coaches' employer contacts on each person's behalf (the first one some days or weeks after the first meeting, then
 * follow-ups while the pathway runs), each team's job development not tied to a person (a few contacts a week), benefits
 * counselling for most people, and follow-along support in most months of each job — after the pathway's end too
 * (time-unlimited). Every team shows every indicator (practiceIndicators). Deterministic per person; one insert per table.
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import { addDays, personRandom } from '../kit/demo-model.js';
import { belgianToday } from '../kit/domain.js';
import { BenefitsCounsellingTopic, EmployerContactKind, FollowAlongKind } from './entities/practice.entity.js';
import { EmployerContactEntity } from './entities/practice.entity.js';

const EMPLOYERS = [
  'Colruyt',
  'Delhaize',
  'bpost',
  'Decathlon',
  'Stad Gent',
  'CHU de Liège',
  'UZ Leuven',
  'Lidl Belgium',
  'Securitas',
  'Ikea',
  'Carrefour',
  'Brico',
  'Torfs',
  'De Lijn',
  'TEC',
  'STIB-MIVB',
];
const FOLLOW_UPS = [EmployerContactKind.FOLLOW_UP, EmployerContactKind.JOB_DEVELOPMENT_VISIT];

interface Person {
  pathway_id: string;
  participant_id: string;
  ips_partner: string;
  job_coach: string;
  first_meeting_on: string | null;
  ended_on: string | null;
}
interface Job {
  pathway_id: string;
  participant_id: string;
  job_coach: string;
  starts_on: string;
  last_day: string | null;
}

export async function seedPathwaysPracticeDemo(orm: MikroORM): Promise<number> {
  const em = orm.em.fork();
  if ((await em.count(EmployerContactEntity)) > 0) return 0;
  const today = belgianToday();
  const people = await em.execute<Person[]>(
    `select p.id as pathway_id, p.participant_id, p.ips_partner, p.job_coach, to_char(p.ended_on, 'YYYY-MM-DD') as ended_on,
       (select to_char(min(m.held_on), 'YYYY-MM-DD') from pathways.individual_meeting m where m.pathway_id = p.id and m.kind = 'FIRST') as first_meeting_on
     from pathways.pathway p join research.published_allocation a on a.participant_id = p.participant_id
     where a.arm = 'IPS' and p.job_coach is not null order by p.registry_number`,
  );
  const jobs = await em.execute<Job[]>(
    `select c.pathway_id, c.participant_id, p.job_coach, to_char(c.starts_on, 'YYYY-MM-DD') as starts_on,
       to_char(coalesce(c.ended_on, c.ends_on), 'YYYY-MM-DD') as last_day
     from pathways.employment_contract c join pathways.pathway p on p.id = c.pathway_id
       join research.published_allocation a on a.participant_id = p.participant_id
     where a.arm = 'IPS' and p.job_coach is not null order by c.starts_on, c.id`,
  );
  const contacts: Record<string, unknown>[] = [];
  const sessions: Record<string, unknown>[] = [];
  const support: Record<string, unknown>[] = [];
  const openUntil = (person: Person) => (person.ended_on !== null && person.ended_on < today ? person.ended_on : today);

  for (const person of people) {
    if (!person.first_meeting_on) continue;
    const random = personRandom(person.participant_id, 'practice');
    const until = openUntil(person);
    // Rapid job search (principle 5): most people's first employer contact within weeks of the first meeting.
    if (random.next() < 0.85) {
      let on = addDays(person.first_meeting_on, random.integer(2, 45));
      let kind = EmployerContactKind.FIRST_CONTACT;
      for (let n = 0; n < 8 && on <= until; n++) {
        contacts.push({
          ips_partner: person.ips_partner,
          pathway_id: person.pathway_id,
          participant_id: person.participant_id,
          contacted_on: on,
          employer: random.pick(EMPLOYERS),
          kind,
          job_coach: person.job_coach,
        });
        kind = random.pick(FOLLOW_UPS);
        on = addDays(on, random.integer(10, 40));
      }
    }
    // Benefits counselling (principle 7): most people, some weeks after the first meeting, a second session for some.
    if (random.next() < 0.75) {
      const on = addDays(person.first_meeting_on, random.integer(5, 60));
      if (on <= until)
        sessions.push({
          pathway_id: person.pathway_id,
          participant_id: person.participant_id,
          held_on: on,
          topic: BenefitsCounsellingTopic.WORK_INCENTIVES_PLAN,
          counsellor: person.job_coach,
        });
      const again = addDays(on, random.integer(60, 200));
      if (random.next() < 0.4 && again <= until)
        sessions.push({
          pathway_id: person.pathway_id,
          participant_id: person.participant_id,
          held_on: again,
          topic: random.pick([
            BenefitsCounsellingTopic.PARTIAL_WORK_AUTHORISATION,
            BenefitsCounsellingTopic.EARNINGS_AND_BENEFIT,
            BenefitsCounsellingTopic.BENEFIT_AFTER_JOB_ENDS,
          ]),
          counsellor: person.job_coach,
        });
    }
  }

  // Follow-along (principle 6): in most months of each job, after the pathway's end too (time-unlimited).
  const ended = new Map(people.map((p) => [p.pathway_id, p.ended_on]));
  for (const job of jobs) {
    const random = personRandom(`${job.pathway_id}:${job.starts_on}`, 'follow-along');
    const last = job.last_day !== null && job.last_day < today ? job.last_day : today;
    for (let on = addDays(job.starts_on, random.integer(3, 20)); on <= last; on = addDays(on, random.integer(20, 45))) {
      if (random.next() < 0.2) continue;
      const endedOn = ended.get(job.pathway_id) ?? null;
      support.push({
        pathway_id: job.pathway_id,
        participant_id: job.participant_id,
        supported_on: on,
        kind: random.pick([
          FollowAlongKind.CONTACT_WITH_PERSON,
          FollowAlongKind.CONTACT_WITH_PERSON,
          FollowAlongKind.CONTACT_WITH_EMPLOYER,
          FollowAlongKind.WORKPLACE_VISIT,
          FollowAlongKind.CAREER_DEVELOPMENT,
        ]),
        after_pathway_end: endedOn !== null && on > endedOn,
        job_coach: job.job_coach,
      });
    }
  }

  // Job development not tied to a person (principle 8): each team's coaches, a few contacts a week since its first pathway.
  const teams = new Map<string, { coaches: Set<string>; since: string }>();
  for (const person of people) {
    const team = teams.get(person.ips_partner) ?? {
      coaches: new Set<string>(),
      since: person.first_meeting_on ?? today,
    };
    team.coaches.add(person.job_coach);
    if (person.first_meeting_on && person.first_meeting_on < team.since) team.since = person.first_meeting_on;
    teams.set(person.ips_partner, team);
  }
  for (const [code, team] of teams) {
    const random = personRandom(code, 'job-development');
    const coaches = [...team.coaches].sort();
    for (let on = team.since; on <= today; on = addDays(on, 7))
      for (const coach of coaches)
        for (let n = random.integer(0, 3); n > 0; n--) {
          const day = addDays(on, random.integer(0, 4));
          if (day <= today)
            contacts.push({
              ips_partner: code,
              pathway_id: null,
              participant_id: null,
              contacted_on: day,
              employer: random.pick(EMPLOYERS),
              kind: random.pick([EmployerContactKind.FIRST_CONTACT, ...FOLLOW_UPS]),
              job_coach: coach,
            });
        }
  }

  await em.begin();
  try {
    await em.execute(
      `insert into pathways.employer_contact (id, ips_partner, pathway_id, participant_id, contacted_on, employer, kind, job_coach, recorded_at)
       select gen_random_uuid(), x.ips_partner, x.pathway_id, x.participant_id, x.contacted_on, x.employer, x.kind, x.job_coach, x.contacted_on + time '16:00'
       from jsonb_to_recordset(?::jsonb) as x(ips_partner text, pathway_id uuid, participant_id uuid, contacted_on date, employer text, kind text, job_coach text)`,
      [JSON.stringify(contacts)],
    );
    await em.execute(
      `insert into pathways.benefits_counselling (id, pathway_id, participant_id, held_on, topic, counsellor, recorded_at)
       select gen_random_uuid(), x.pathway_id, x.participant_id, x.held_on, x.topic, x.counsellor, x.held_on + time '16:00'
       from jsonb_to_recordset(?::jsonb) as x(pathway_id uuid, participant_id uuid, held_on date, topic text, counsellor text)`,
      [JSON.stringify(sessions)],
    );
    await em.execute(
      `insert into pathways.follow_along_support (id, pathway_id, participant_id, supported_on, kind, after_pathway_end, job_coach, recorded_at)
       select gen_random_uuid(), x.pathway_id, x.participant_id, x.supported_on, x.kind, x.after_pathway_end, x.job_coach, x.supported_on + time '16:00'
       from jsonb_to_recordset(?::jsonb) as x(pathway_id uuid, participant_id uuid, supported_on date, kind text, after_pathway_end boolean, job_coach text)`,
      [JSON.stringify(support)],
    );
    await em.commit();
  } catch (error) {
    await em.rollback();
    throw error;
  }
  return contacts.length + sessions.length + support.length;
}
