/**
 * Demo questionnaire waves (R12), consistent with the demo allocations (all drawn on the day the demo
 * is seeded, so only the baseline wave's window is running): of the people whose research consent
 * holds, some completed the baseline at home, some at their IPS partner's (or, in the control arm,
 * their reference counsellor's) computer, some have it open with part of the answers, the rest have
 * it due. Answers are drawn among each item's own options and bounds (instrument v1).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { DemoRandom } from '../kit/demo-random.js';
import { CURRENT_INSTRUMENT_VERSION, instrumentResource } from './instrument/instrument.js';

type Answers = Record<string, string | number | boolean>;

function demoAnswers(random: DemoRandom, share: number): Answers {
  const instrument = instrumentResource(CURRENT_INSTRUMENT_VERSION)!;
  const answers: Answers = {};
  for (const item of instrument.item) {
    if (random.next() > share) continue;
    if (item.type === 'choice') answers[item.linkId] = random.pick(item.answerOption!.map((option) => option.valueCoding.code));
    else if (item.type === 'boolean') answers[item.linkId] = random.next() < 0.5;
    else {
      const [min, max] = [item.extension!.find((e) => e.url.endsWith('minValue'))!.valueInteger, item.extension!.find((e) => e.url.endsWith('maxValue'))!.valueInteger];
      answers[item.linkId] = item.linkId === 'work-hours' ? (answers['work-status'] === 'none' ? 0 : random.integer(8, 38)) : random.integer(Math.max(min, 30), max);
    }
  }
  return answers;
}

export async function seedQuestionnaireDemo(em: EntityManager): Promise<number> {
  const [{ waves }] = (await em.execute<{ waves: string }[]>('select count(*) as waves from research.questionnaire_wave')) as [{ waves: string }];
  if (Number(waves) > 0) return 0;
  const people = await em.execute<{ participant_id: string; arm: string }[]>(
    `select a.participant_id, a.arm from research.allocation a join access.ledger l on l.participant_id = a.participant_id
     where l.research_consent order by a.allocated_at, a.participant_id`,
  );
  const random = new DemoRandom(20260512);
  let written = 0;
  for (const person of people) {
    const roll = random.next();
    if (roll >= 0.75) continue; // still due
    const completed = roll < 0.55;
    const where = roll < 0.35 ? 'HOME' : roll < 0.55 ? 'PARTNER' : 'HOME';
    const openedBy = where === 'HOME' ? 'PARTICIPANT:self' : person.arm === 'IPS' ? 'JOB_COACH:demo' : 'SRE:demo';
    await em.execute(
      `insert into research.questionnaire_wave (participant_id, wave, instrument_version, opened_at, opened_where, opened_by, answers, answered_at, completed_at)
       values (?, 0, ?, now() - interval '2 hours', ?, ?, ?::jsonb, now() - interval '1 hour', ${completed ? "now() - interval '1 hour'" : 'null'})`,
      [person.participant_id, CURRENT_INSTRUMENT_VERSION, where, openedBy, JSON.stringify(demoAnswers(random, completed ? 1 : 0.4))],
    );
    written += 1;
  }
  return written;
}
