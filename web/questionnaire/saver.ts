/**
 * Saves the person's answers as they go (R12): each change waits a moment for the next, then the
 * changed answers go in one `saveQuestionnaireAnswers`, one request at a time, each with its own
 * idempotency key (the same key again only when the very same request is retried after a network
 * failure). An answer the graph refuses is reported against its item and left out; the others of
 * that request are sent again at once (the graph writes none of a refused request).
 */
import { SaveAnswersDocument, type QuestionnaireAnswerInput } from '../generated/questionnaire.js';
import { graphql, GraphRequestError, type GraphErrorShape } from '../shared/graphql.js';
import type { Language } from './texts.js';
import { newKey, refusedItem, withRetries, type Item, type Wave } from './wave.js';

/** `saved`: everything sent is answered (an answer refused on the way was reported by `refused`). */
export type SaveStatus = 'saving' | 'saved' | 'offline' | 'failed';

export interface SaverEvents {
  status(status: SaveStatus): void;
  saved(wave: Wave): void;
  /** The graph refused this answer (the one sent, which the person may have changed since). */
  refused(answer: QuestionnaireAnswerInput, error: GraphErrorShape): void;
  /** A refusal that names no item (the wave closed, the consent withdrawn, the token expired). */
  failed(error: unknown): void;
}

export class AnswerSaver {
  private readonly pending = new Map<string, QuestionnaireAnswerInput>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private chain: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly target: { participantId: string; wave: number },
    private readonly items: readonly Item[],
    private readonly language: () => Language,
    private readonly events: SaverEvents,
  ) {}

  /** An answer changed: saved after `delayMs` without a further change. */
  queue(answer: QuestionnaireAnswerInput, delayMs: number): void {
    if (this.stopped) return;
    this.pending.set(answer.linkId, answer);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), delayMs);
  }

  /** An answer taken back before it was sent (the person cleared a number, or typed one that is not whole). */
  drop(linkId: string): void {
    this.pending.delete(linkId);
  }

  /** Sends everything waiting now; resolves once it is all answered (saved or refused). */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.chain = this.chain.then(() => this.drain());
    return this.chain;
  }

  get idle(): boolean {
    return this.pending.size === 0;
  }

  /** Nothing more is sent (signing out, or leaving the wave). */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.pending.clear();
  }

  private async drain(): Promise<void> {
    while (this.pending.size > 0 && !this.stopped) {
      const answers = [...this.pending.values()];
      this.pending.clear();
      this.events.status('saving');
      const variables = { idempotencyKey: newKey(), input: { ...this.target, answers } };
      try {
        const result = await withRetries(
          () => graphql(SaveAnswersDocument, variables, { language: this.language() }),
          () => this.events.status('offline'),
          () => this.stopped,
        );
        if (!result.data) throw new Error('The graph answered no saved answers');
        this.events.saved(result.data.saveQuestionnaireAnswers);
      } catch (error) {
        const first = error instanceof GraphRequestError ? error.errors[0] : undefined;
        const linkId = first ? refusedItem(first, answers, this.items) : null;
        const refused = linkId === null ? undefined : answers.find((a) => a.linkId === linkId);
        if (!first || !refused) {
          // Keep what was not saved, unless changed since: a later flush sends it again.
          for (const answer of answers) if (!this.pending.has(answer.linkId)) this.pending.set(answer.linkId, answer);
          this.events.status('failed');
          this.events.failed(error);
          return;
        }
        this.events.refused(refused, first);
        for (const answer of answers)
          if (answer.linkId !== linkId && !this.pending.has(answer.linkId)) this.pending.set(answer.linkId, answer);
      }
    }
    if (!this.stopped) this.events.status('saved');
  }
}
