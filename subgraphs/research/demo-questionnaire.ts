/**
 * Demo questionnaire waves (R12), consistent with the demo allocations (drawn at each person's
 * registration over four years): completed at home or at the IPS partner's (in the control arm, the
 * reference counsellor's) computer, on time or late, left unfinished, or never opened. Answers are
 * drawn among each item's own options and bounds (instrument v1).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { addDays, DEMO_MODEL, demoLife, monthStart, personRandom } from '../kit/demo-model.js';
import type { DemoRandom } from '../kit/demo-random.js';
import { belgianToday } from '../kit/domain.js';
import { CURRENT_INSTRUMENT_VERSION, instrumentResource } from './instrument/instrument.js';

type Answers = Record<string, string | number | boolean>;

function demoAnswers(random: DemoRandom, share: number): Answers {
  const instrument = instrumentResource(CURRENT_INSTRUMENT_VERSION)!;
  const answers: Answers = {};
  for (const item of instrument.item) {
    if (random.next() > share) continue;
    if (item.type === 'choice')
      answers[item.linkId] = random.pick(item.answerOption!.map((option) => option.valueCoding.code));
    else if (item.type === 'boolean') answers[item.linkId] = random.next() < 0.5;
    else {
      const [min, max] = [
        item.extension!.find((e) => e.url.endsWith('minValue'))!.valueInteger,
        item.extension!.find((e) => e.url.endsWith('maxValue'))!.valueInteger,
      ];
      answers[item.linkId] =
        item.linkId === 'work-hours'
          ? answers['work-status'] === 'none'
            ? 0
            : random.integer(8, 38)
          : random.integer(Math.max(min, 30), max);
    }
  }
  return answers;
}

/** The day `months` after `iso`, as PostgreSQL adds months to a date (the 31st becomes the month's last day). */
function addMonthsDay(iso: string, months: number): string {
  const first = monthStart(iso, months);
  const lastDay = new Date(Date.UTC(Number(first.slice(0, 4)), Number(first.slice(5, 7)), 0)).getUTCDate();
  return `${first.slice(0, 8)}${String(Math.min(Number(iso.slice(8, 10)), lastDay)).padStart(2, '0')}`;
}

interface WaveRow {
  participant_id: string;
  wave: number;
  opened_at: string;
  opened_where: 'HOME' | 'PARTNER';
  opened_by: string;
  answers: Answers;
  answered_at: string;
  completed_at: string | null;
}

/**
 * Every wave whose window has opened (R12: at randomisation, then every six months up to 30), for each
 * person while alive and in the study (research consent not withdrawn before the wave was due), at the
 * model's rates (kit/demo-model.ts): completed on time or late (within the window's eight weeks), opened
 * and left unfinished, or never opened — the last two MISSED once the window closed, so the CONSORT flow
 * counts people lost to follow-up at each wave. One insert.
 */
export async function seedQuestionnaireDemo(em: EntityManager): Promise<number> {
  const [{ waves }] = (await em.execute<{ waves: string }[]>(
    'select count(*) as waves from research.questionnaire_wave',
  )) as [{ waves: string }];
  if (Number(waves) > 0) return 0;
  const people = await em.execute<{ participant_id: string; arm: string; allocated_on: string }[]>(
    `select a.participant_id, a.arm, to_char(a.allocated_at at time zone 'Europe/Brussels', 'YYYY-MM-DD') as allocated_on
     from research.allocation a order by a.allocated_at, a.participant_id`,
  );
  const today = belgianToday();
  const { questionnaire } = DEMO_MODEL;
  const at = (day: string, hour: number) => `${day}T${String(hour).padStart(2, '0')}:00:00+01:00`;
  const rows: WaveRow[] = [];
  for (const person of people) {
    const life = demoLife(person.participant_id);
    const random = personRandom(person.participant_id, 'questionnaire');
    const leftOn = [life.diesAfterDays, life.researchWithdrawnAfterDays]
      .filter((days): days is number => days !== null)
      .map((days) => addDays(person.allocated_on, days))
      .sort()[0];
    for (let wave = 0; wave <= 5; wave++) {
      const due = addMonthsDay(person.allocated_on, 6 * wave);
      const [roll, lateRoll, abandonRoll, offsetRoll, where] = [
        random.next(),
        random.next(),
        random.next(),
        random.next(),
        random.next(),
      ];
      if (addDays(due, -14) >= today || (leftOn !== undefined && leftOn <= due)) continue; // not open yet, or no longer in the study
      const openedWhere = where < 0.6 ? 'HOME' : 'PARTNER';
      const openedBy =
        openedWhere === 'HOME' ? 'PARTICIPANT:self' : person.arm === 'IPS' ? 'JOB_COACH:demo' : 'SRE:demo';
      const earliest = wave === 0 ? person.allocated_on : addDays(due, -14);
      if (roll < questionnaire.completed[wave]!) {
        const late = lateRoll < questionnaire.late;
        let completedOn = addDays(due, late ? 15 + Math.floor(offsetRoll * 36) : -10 + Math.floor(offsetRoll * 25));
        if (completedOn < earliest) completedOn = earliest;
        if (completedOn < today) {
          rows.push({
            participant_id: person.participant_id,
            wave,
            opened_at: at(completedOn, 9),
            opened_where: openedWhere,
            opened_by: openedBy,
            answers: demoAnswers(random, 1),
            answered_at: at(completedOn, 10),
            completed_at: at(completedOn, 10),
          });
          continue;
        }
        // Its day is still to come: started already, or still due.
        if (abandonRoll < 0.5)
          rows.push({
            participant_id: person.participant_id,
            wave,
            opened_at: at(addDays(today, -1), 9),
            opened_where: openedWhere,
            opened_by: openedBy,
            answers: demoAnswers(random, 0.4),
            answered_at: at(addDays(today, -1), 10),
            completed_at: null,
          });
        continue;
      }
      if (abandonRoll < questionnaire.abandoned) {
        const openedOn = addDays(earliest, Math.floor(offsetRoll * 40));
        if (openedOn < today)
          rows.push({
            participant_id: person.participant_id,
            wave,
            opened_at: at(openedOn, 9),
            opened_where: openedWhere,
            opened_by: openedBy,
            answers: demoAnswers(random, 0.4),
            answered_at: at(openedOn, 10),
            completed_at: null,
          });
      }
    }
  }
  await em.execute(
    `insert into research.questionnaire_wave (participant_id, wave, instrument_version, opened_at, opened_where, opened_by, answers, answered_at, completed_at)
     select x.participant_id, x.wave, ?, x.opened_at, x.opened_where, x.opened_by, x.answers, x.answered_at, x.completed_at
     from jsonb_to_recordset(?::jsonb) as x(participant_id uuid, wave int, opened_at timestamptz, opened_where text, opened_by text, answers jsonb, answered_at timestamptz, completed_at timestamptz)`,
    [CURRENT_INSTRUMENT_VERSION, JSON.stringify(rows)],
  );
  return rows.length;
}
