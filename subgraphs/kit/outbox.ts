/**
 * The transactional outbox (DESIGN.md "Data"; schema/policy.ts ON_CONSENT_WITHDRAWN): how a change
 * owned by one subgraph has its consequences in another without either writing the other's schema.
 *
 * - The producer calls `publishEvent` inside the transaction of its change: the event exists
 *   exactly when the change committed (never lost, never phantom), and a NOTIFY (delivered at
 *   commit) wakes the consumers at once.
 * - Each consumer (`startOutboxConsumer`, run by every instance of the consuming subgraph) applies
 *   each event of its topics in its own transaction, which first claims (consumer, event id) in
 *   access.outbox_applied: a second instance, a replayed notification or a restart finds the claim
 *   and skips, so an event is applied once. A failed application rolls back, claim included, and is
 *   retried at the next wake-up.
 * - It drains at start-up and every `pollMs` too: an event committed while no instance listened is
 *   applied as soon as one runs.
 */
import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import { logger } from '../../runtime/logger.js';
import type { SubgraphName } from '../../schema/subgraphs.js';
import { SqlStatementCounter } from './orm.js';
import { queryRows, type SqlRunner } from './raw-sql.js';

export const OUTBOX_CHANNEL = 'ips_outbox';

export interface OutboxEvent<P = Record<string, unknown>> {
  id: string;
  topic: string;
  producer: string;
  participantId: string | null;
  payload: P;
  recordedAt: Date;
}

/** Writes an event in the caller's transaction (the runner's EntityManager must be the transaction's). */
export async function publishEvent(
  runner: SqlRunner,
  producer: SubgraphName,
  topic: string,
  participantId: string | null,
  payload: Record<string, unknown>,
): Promise<string> {
  const id = randomUUID();
  await queryRows(
    runner,
    'insert into access.outbox (id, topic, producer, participant_id, payload) values (?, ?, ?, ?, ?::jsonb)',
    [id, topic, producer, participantId, JSON.stringify(payload)],
  );
  await queryRows(runner, 'select pg_notify(?, ?)', [OUTBOX_CHANNEL, topic]);
  return id;
}

/** Applies one event inside the consumer's transaction; must itself be safe to run on any state. */
export type OutboxHandler = (tx: SqlRunner, event: OutboxEvent) => Promise<void>;

export interface OutboxConsumerDefinition {
  /** The topics this subgraph applies, each with its handler. */
  handlers: Readonly<Record<string, OutboxHandler>>;
}

export interface RunningOutboxConsumer {
  /** Applies every event not yet applied by this consumer; resolves when none is left (tests, start-up). */
  drain(): Promise<number>;
  stop(): Promise<void>;
}

const BATCH = 100;

/** Some events could not be applied in this drain (each logged); they are retried at the next. */
export class OutboxApplyError extends Error {
  constructor(readonly eventIds: string[]) {
    super(`${eventIds.length} outbox event(s) could not be applied; they will be retried`);
  }
}
const DEFAULT_POLL_MS = 5_000;

/** Applies, once each, the events of `consumer`'s topics not applied yet; returns how many it applied. */
export async function applyPendingEvents(
  orm: MikroORM,
  consumer: SubgraphName,
  definition: OutboxConsumerDefinition,
): Promise<number> {
  const topics = Object.keys(definition.handlers);
  if (topics.length === 0) return 0;
  const sqlCounter = new SqlStatementCounter(true);
  let applied = 0;
  // An event whose application fails is left for the next drain, and does not hold up the others.
  const failed: string[] = [];
  for (;;) {
    const em = orm.em.fork({ clear: true });
    const pending = await queryRows<{ id: string }>(
      { em, sqlCounter },
      `select o.id from access.outbox o where o.topic in (?) and not (o.id = any(?::uuid[]))
         and not exists (select 1 from access.outbox_applied a where a.consumer = ? and a.event_id = o.id)
       order by o.seq limit ?`,
      [topics, `{${failed.join(',')}}`, consumer, BATCH],
    );
    if (pending.length === 0) {
      if (failed.length > 0) throw new OutboxApplyError(failed);
      return applied;
    }
    for (const { id } of pending) {
      const done = await em
        .fork({ clear: true })
        .transactional(async (tx) => {
          const runner: SqlRunner = { em: tx, sqlCounter };
          // The claim: a concurrent instance waits on this row, then finds it and skips.
          const [claimed] = await queryRows<{ event_id: string }>(
            runner,
            'insert into access.outbox_applied (consumer, event_id) values (?, ?) on conflict do nothing returning event_id',
            [consumer, id],
          );
          if (!claimed) return false;
          const [row] = await queryRows<{
            id: string;
            topic: string;
            producer: string;
            participant_id: string | null;
            payload: Record<string, unknown>;
            recorded_at: Date | string;
          }>(
            runner,
            'select id, topic, producer, participant_id, payload, recorded_at from access.outbox where id = ?',
            [id],
          );
          const event: OutboxEvent = {
            id: row!.id,
            topic: row!.topic,
            producer: row!.producer,
            participantId: row!.participant_id,
            payload: row!.payload,
            recordedAt: new Date(row!.recorded_at),
          };
          await definition.handlers[event.topic]!(runner, event);
          await tx.flush();
          return true;
        })
        .catch((error: unknown) => {
          logger().error(
            { subgraph: consumer, component: 'outbox', event: id, err: error },
            'an outbox event could not be applied; it will be retried',
          );
          failed.push(id);
          return false;
        });
      if (done) applied += 1;
    }
  }
}

/**
 * Listens for events on the owner's connection (LISTEN needs a session of its own, outside the
 * pool) and drains at start-up, on each notification and every `pollMs`. One drain at a time per
 * instance; a wake-up during a drain runs one more after it.
 */
export async function startOutboxConsumer(
  orm: MikroORM,
  databaseUrl: string,
  consumer: SubgraphName,
  definition: OutboxConsumerDefinition,
  options: { pollMs?: number } = {},
): Promise<RunningOutboxConsumer> {
  const log = logger().child({ subgraph: consumer, component: 'outbox' });
  let running: Promise<number> | undefined;
  let again = false;
  let stopped = false;
  const drain = (): Promise<number> => {
    if (running) {
      again = true; // the running drain goes round once more
      return running;
    }
    running = (async () => {
      let total = 0;
      do {
        again = false;
        try {
          total += await applyPendingEvents(orm, consumer, definition);
        } catch (error) {
          // Left unapplied: the next wake-up or poll retries it (each failure was logged with its event).
          if (!(error instanceof OutboxApplyError))
            log.error({ err: error }, 'the outbox could not be read; the next wake-up retries');
          break;
        }
      } while (again && !stopped);
      return total;
    })().finally(() => {
      running = undefined;
    });
    return running;
  };
  const listener = new pg.Client({ connectionString: databaseUrl });
  listener.on('error', (error) => log.warn({ err: error }, 'outbox listener connection lost; polling goes on'));
  listener.on('notification', () => void drain());
  try {
    await listener.connect();
    await listener.query(`listen ${OUTBOX_CHANNEL}`);
  } catch (error) {
    log.warn({ err: error }, 'outbox listener unavailable; polling only');
  }
  const timer = setInterval(() => void drain(), options.pollMs ?? DEFAULT_POLL_MS);
  timer.unref();
  await drain();
  return {
    drain,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running?.catch(() => 0);
      // pg's end() of a connection the server already dropped (a restart) may never settle: bounded.
      await Promise.race([
        listener.end().catch(() => undefined),
        new Promise((resolve) => setTimeout(resolve, 1_000).unref()),
      ]);
    },
  };
}
