/**
 * What the page decides without the DOM (R12): which wave is the person's current one, what an
 * answer looks like on the wire, and how a refusal of the graph is read (which item it names).
 */
import type { InstrumentQuery, QuestionnaireAnswerInput, WaveFieldsFragment } from '../generated/questionnaire.js';
import { GraphRequestError, type GraphErrorShape } from '../shared/graphql.js';

export type Wave = WaveFieldsFragment;
export type Instrument = InstrumentQuery['questionnaireInstrument'];
export type Item = Instrument['items'][number];
export type AnswerValue = string | number | boolean;

/** What the page shows: the wave to answer (due or open), else the last wave's outcome and the next one's dates. */
export type CurrentWave =
  { kind: 'none' } | { kind: 'due' | 'open'; wave: Wave } | { kind: 'between'; last: Wave | null; next: Wave | null };

export function currentWave(waves: readonly Wave[]): CurrentWave {
  if (waves.length === 0) return { kind: 'none' };
  const open = waves.find((w) => w.state === 'OPEN');
  if (open) return { kind: 'open', wave: open };
  const due = waves.find((w) => w.state === 'DUE');
  if (due) return { kind: 'due', wave: due };
  const past = waves.filter((w) => w.state === 'COMPLETED' || w.state === 'MISSED');
  return {
    kind: 'between',
    last: past[past.length - 1] ?? null,
    next: waves.find((w) => w.state === 'SCHEDULED') ?? null,
  };
}

/** The saved answers of a wave, by item. */
export function answersOf(wave: Wave): Map<string, AnswerValue> {
  const values = new Map<string, AnswerValue>();
  for (const a of wave.answers) {
    const value = a.valueCode ?? a.valueInteger ?? a.valueBoolean;
    if (value !== null) values.set(a.linkId, value);
  }
  return values;
}

/** An answer as the graph takes it: the item's linkId and exactly one value, of the item's type. */
export function answerInput(item: Item, value: AnswerValue): QuestionnaireAnswerInput {
  switch (item.type) {
    case 'CHOICE':
      return { linkId: item.linkId, valueCode: String(value) };
    case 'INTEGER':
      return { linkId: item.linkId, valueInteger: Number(value) };
    case 'BOOLEAN':
      return { linkId: item.linkId, valueBoolean: value === true };
  }
}

/** The required items with no saved answer (or whose last answer was refused), in the instrument's order. */
export function unanswered(
  items: readonly Item[],
  saved: ReadonlyMap<string, AnswerValue>,
  refused: ReadonlySet<string>,
): Item[] {
  return items.filter((item) => item.required && (!saved.has(item.linkId) || refused.has(item.linkId)));
}

/** A failure worth sending the very same request again (same idempotency key): the network or a gateway that is not there. */
export function isRetryable(error: unknown): boolean {
  return error instanceof GraphRequestError && (error.code === 'NETWORK' || /^HTTP_5\d\d$/.test(error.code));
}

/** The caller's token is missing, expired or not accepted: the person signs in again. */
export function isUnauthenticated(error: unknown): boolean {
  return error instanceof GraphRequestError && (error.code === 'UNAUTHENTICATED' || error.code === 'HTTP_401');
}

/**
 * The item a refusal names: `input.answers.N` is the N-th answer sent; a completion refused for a
 * required item names it in the message only (`field: input.answers`), so its linkId is looked for there.
 */
export function refusedItem(
  error: GraphErrorShape,
  sent: readonly QuestionnaireAnswerInput[],
  items: readonly Item[],
): string | null {
  if (error.extensions?.code !== 'BAD_USER_INPUT') return null;
  const index = /^input\.answers\.(\d+)$/.exec(error.extensions.field ?? '')?.[1];
  if (index !== undefined) return sent[Number(index)]?.linkId ?? null;
  if (error.extensions.field !== 'input.answers') return null;
  const named = items.filter((item) =>
    new RegExp(`(^|[^\\w-])${escapeRegExp(item.linkId)}([^\\w-]|$)`).test(error.message),
  );
  return named[0]?.linkId ?? null;
}

/** The graph's message (already in the page's language) without the field it is told after (`input.answers.0 : …`). */
export function messageForPerson(error: GraphErrorShape): string {
  const field = error.extensions?.field;
  if (!field) return error.message;
  const prefix = new RegExp(`^${escapeRegExp(field)}\\s*:\\s*`);
  return error.message.replace(prefix, '');
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');

/** A fresh idempotency key per change (R12's mutations take one); getRandomValues where randomUUID is missing (a page not in a secure context). */
export function newKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Sends one change until it gets an answer: after a network failure the very same request (same
 * idempotency key and arguments) goes again, so a change that did reach the graph is not made twice.
 */
export async function withRetries<T>(send: () => Promise<T>, onRetry: () => void, stopped: () => boolean): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await send();
    } catch (error) {
      if (!isRetryable(error) || stopped()) throw error;
      onRetry();
      await sleep(Math.min(500 * 2 ** attempt, 15_000));
    }
  }
}
