/**
 * R12 questionnaire waves, in both arms: baseline at allocation, then every six months up to
 * 30 months. The person opens a wave at home, or the partner opens it at its computer (the IPS
 * partner's coach or supervisor; in the control arm, where no IPS partner follows the person, the
 * SRE's reference counsellor, R9); only the person answers — saved as they go, each answer checked
 * against the wave's instrument version — and completes it, once. Who may do what, in which state
 * (allocated, research consent R1f in force, within the window), is ACTIONS' (schema/policy.ts).
 * The state of each wave is the view research.questionnaire_wave_status (migration 004).
 */
import { InvalidInputError } from '../../../schema/errors.js';
import type { Language } from '../../../schema/i18n/index.js';
import { callerKey, runCommand, type CommandTx } from '../../kit/command.js';
import { groupedBy, type SubgraphContext } from '../../kit/context.js';
import type { TargetFacts } from '../../kit/access/decide.js';
import { queryRows, type SqlRunner } from '../../kit/raw-sql.js';
import { assertUuid } from '../../kit/validation.js';
import {
  QuestionnaireWaveEntity,
  QuestionnaireWaveState,
  QuestionnaireWhere,
  type StoredAnswer,
} from '../entities/questionnaire-wave.entity.js';
import {
  CURRENT_INSTRUMENT_VERSION,
  firstUnanswered,
  instrumentResource,
  localisedInstrument,
  validateAnswers,
  type AnswerInput,
  type Instrument,
} from '../instrument/instrument.js';

export const WAVES = [0, 1, 2, 3, 4, 5] as const;
/** The window around a wave's due date (the view computes the state with the same numbers). */
export const WINDOW_OPENS_DAYS_BEFORE = 14;
export const WINDOW_CLOSES_DAYS_AFTER = 56;

const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const isoDay = (value: Date | string | null) =>
  value === null ? null : typeof value === 'string' ? value.slice(0, 10) : value.toISOString().slice(0, 10);

/** One answer of a wave, typed by its item (FHIR QuestionnaireResponse.item.answer). */
export interface AnswerView {
  participantId: string;
  linkId: string;
  valueCode?: string | null;
  valueInteger?: number | null;
  valueBoolean?: boolean | null;
}

/** A wave of the follow-up questionnaire (R12) with its window and answers; the GraphQL type implements it. */
export interface WaveView {
  participantId: string;
  wave: number;
  dueOn: string;
  windowOpensOn: string;
  windowClosesOn: string;
  state: QuestionnaireWaveState;
  openedWhere?: QuestionnaireWhere | null;
  instrumentVersion?: string | null;
  completedOn?: string | null;
  answers: AnswerView[];
}

interface WaveRow {
  participantId: string;
  wave: number;
  dueOn: Date | string;
  state: QuestionnaireWaveState;
  openedWhere: QuestionnaireWhere | null;
  completedOn: Date | string | null;
  instrumentVersion: string | null;
  answers: Record<string, StoredAnswer> | null;
}

const WAVE_SELECT = `select s.participant_id as "participantId", s.wave, to_char(s.due_on, 'YYYY-MM-DD') as "dueOn", s.state, s.opened_where as "openedWhere",
    to_char(s.completed_on, 'YYYY-MM-DD') as "completedOn", q.instrument_version as "instrumentVersion", q.answers
  from research.questionnaire_wave_status s
  left join research.questionnaire_wave q on q.participant_id = s.participant_id and q.wave = s.wave`;

function toWave(row: WaveRow): WaveView {
  const dueOn = isoDay(row.dueOn)!;
  const answers: AnswerView[] = Object.entries(row.answers ?? {}).map(([linkId, value]) => ({
    participantId: row.participantId,
    linkId,
    valueCode: typeof value === 'string' ? value : null,
    valueInteger: typeof value === 'number' ? value : null,
    valueBoolean: typeof value === 'boolean' ? value : null,
  }));
  return {
    participantId: row.participantId,
    wave: Number(row.wave),
    dueOn,
    windowOpensOn: addDays(dueOn, -WINDOW_OPENS_DAYS_BEFORE),
    windowClosesOn: addDays(dueOn, WINDOW_CLOSES_DAYS_AFTER),
    state: row.state,
    openedWhere: row.openedWhere,
    instrumentVersion: row.instrumentVersion,
    completedOn: isoDay(row.completedOn),
    answers,
  };
}

/** Every wave of many participants in one statement (a caseload, a registry page): none for someone not allocated. */
export const wavesByParticipant = groupedBy<string, WaveView>(
  async (participantIds, context) =>
    (
      await queryRows<WaveRow>(
        context,
        `${WAVE_SELECT} where s.participant_id in (?) order by s.participant_id, s.wave`,
        [[...participantIds]],
      )
    ).map(toWave),
  (wave) => wave.participantId,
);

/** The wave's instrument, in a language; BAD_USER_INPUT for a version that does not exist. */
export function instrument(language: Language, version?: string | null): Instrument {
  const resource = instrumentResource(version ?? CURRENT_INSTRUMENT_VERSION);
  if (!resource)
    throw new InvalidInputError('version', { id: 'questionnaire.unknownVersion', params: { version: version ?? '' } });
  return localisedInstrument(resource, language);
}

interface WaveKey {
  participantId: string;
  wave: number;
}

function validWave(input: WaveKey): WaveKey {
  const participantId = assertUuid('input.participantId', input.participantId);
  if (!(WAVES as readonly number[]).includes(input.wave))
    throw new InvalidInputError('input.wave', { id: 'questionnaire.waveNumber' });
  return { participantId, wave: input.wave };
}

/**
 * The wave as the command decides on it: one wave at a time (a transaction-scoped lock on the
 * participant and wave, taken before the row may exist), then its state read from the view.
 * Someone not allocated has no wave: the ledger's arm tells the `randomised` precondition.
 */
async function waveTarget(tx: CommandTx, { participantId, wave }: WaveKey): Promise<TargetFacts> {
  await queryRows(tx, 'select pg_advisory_xact_lock(hashtext(?))', [
    `research.questionnaire_wave:${participantId}:${wave}`,
  ]);
  const [row] = await queryRows<{ state: QuestionnaireWaveState }>(
    tx,
    'select state from research.questionnaire_wave_status where participant_id = ? and wave = ?',
    [participantId, wave],
  );
  const state = row?.state;
  return {
    participantId,
    state: {
      waveWindowOpen: state === QuestionnaireWaveState.DUE || state === QuestionnaireWaveState.OPEN,
      waveNotCompleted: state !== QuestionnaireWaveState.COMPLETED,
      waveOpen: state === QuestionnaireWaveState.OPEN,
    },
  };
}

async function loadWave(runner: SqlRunner, { participantId, wave }: WaveKey): Promise<WaveView> {
  const [row] = await queryRows<WaveRow>(runner, `${WAVE_SELECT} where s.participant_id = ? and s.wave = ?`, [
    participantId,
    wave,
  ]);
  return toWave(row!);
}

const resultId = ({ participantId, wave }: WaveKey) => `${participantId}:${wave}`;
function parseResultId(id: string): WaveKey {
  const [participantId, wave] = id.split(':');
  return { participantId: participantId!, wave: Number(wave) };
}

/** Answers checked against the version the wave is answered on, merged into those saved. */
async function saveAnswers(
  tx: CommandTx,
  key: WaveKey,
  answers: readonly AnswerInput[],
  field: string,
): Promise<QuestionnaireWaveEntity> {
  const entity = await tx.em.findOneOrFail(
    QuestionnaireWaveEntity,
    { participantId: key.participantId, wave: key.wave },
    { refresh: true },
  );
  const resource = instrumentResource(entity.instrumentVersion)!;
  const values = validateAnswers(resource, answers, field);
  if (answers.length > 0) {
    entity.answers = { ...entity.answers, ...values };
    entity.answeredAt = new Date();
  }
  return entity;
}

export class QuestionnaireService {
  constructor(private readonly context: SubgraphContext) {}

  /** Opens a wave: at home by the person, at the partner's computer by the referent's side (R12). Re-opening an open wave records where it is now. */
  open(input: WaveKey, idempotencyKey: string): Promise<WaveView> {
    return runCommand(this.context, {
      action: 'openQuestionnaireWave',
      idempotencyKey,
      args: input,
      validate: () => validWave(input),
      target: waveTarget,
      apply: async (tx, key) => {
        const where = tx.identity.role === 'PARTICIPANT' ? QuestionnaireWhere.HOME : QuestionnaireWhere.PARTNER;
        // Who opened it: the partner's staff member by role, organisation and subject; the person as "self" (their NISS stays out of research data, R19).
        const openedBy = where === QuestionnaireWhere.HOME ? 'PARTICIPANT:self' : callerKey(tx.identity);
        const existing = await tx.em.findOne(
          QuestionnaireWaveEntity,
          { participantId: key.participantId, wave: key.wave },
          { refresh: true },
        );
        if (existing) {
          existing.openedWhere = where;
          existing.openedBy = openedBy;
          existing.openedAt = new Date();
        } else {
          tx.em.create(QuestionnaireWaveEntity, {
            ...key,
            instrumentVersion: CURRENT_INSTRUMENT_VERSION,
            openedAt: new Date(),
            openedWhere: where,
            openedBy,
          });
        }
        return resultId(key);
      },
      answer: (id) => loadWave(this.context, parseResultId(id)),
    });
  }

  /** The person saves answers as they go: partial answers allowed, each checked against its item. */
  save(input: WaveKey & { answers: readonly AnswerInput[] }, idempotencyKey: string): Promise<WaveView> {
    return runCommand(this.context, {
      action: 'saveQuestionnaireAnswers',
      idempotencyKey,
      args: input,
      validate: () => {
        const key = validWave(input);
        if (input.answers.length === 0) throw new InvalidInputError('input.answers', { id: 'questionnaire.noAnswers' });
        return key;
      },
      target: waveTarget,
      apply: async (tx, key) => {
        await saveAnswers(tx, key, input.answers, 'input.answers');
        return resultId(key);
      },
      answer: (id) => loadWave(this.context, parseResultId(id)),
    });
  }

  /** The person completes the wave, once: every required item answered (the coach's reminder closes). */
  complete(input: WaveKey & { answers?: readonly AnswerInput[] | null }, idempotencyKey: string): Promise<WaveView> {
    return runCommand(this.context, {
      action: 'completeQuestionnaireWave',
      idempotencyKey,
      args: input,
      validate: () => validWave(input),
      target: waveTarget,
      apply: async (tx, key) => {
        const entity = await saveAnswers(tx, key, input.answers ?? [], 'input.answers');
        const missing = firstUnanswered(instrumentResource(entity.instrumentVersion)!, entity.answers);
        if (missing)
          throw new InvalidInputError('input.answers', {
            id: 'questionnaire.requiredUnanswered',
            params: { item: missing },
          });
        entity.completedAt = new Date();
        return resultId(key);
      },
      answer: (id) => loadWave(this.context, parseResultId(id)),
    });
  }
}
