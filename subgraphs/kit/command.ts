/**
 * The one path every mutation takes (DESIGN.md "Data", STYLE.md 13):
 * validate (pure) → begin the transaction → claim the idempotency key → load and lock the
 * target → lock the person's ledger row and decide from the ACTIONS table on facts read on
 * this transaction's own connection → apply the domain rule → commit.
 *
 * - A retry with the same key and arguments gets the first answer; the same key with other
 *   arguments is a CONFLICT. Concurrent retries queue on the key's row and then replay.
 * - Whatever loses a race (a state another write changed first, a deadlock, a lock or
 *   statement timeout) is a CONFLICT, never a second success and never an internal error.
 * - Nothing inside the transaction reads through the request's loaders: they use another
 *   connection, and a transaction waiting on its own pool can freeze a subgraph.
 */
import {
  DriverException,
  LockMode,
  UniqueConstraintViolationException,
  type EntityManager,
} from '@mikro-orm/postgresql';
import type { EntityClass } from '@mikro-orm/core';
import { GraphQLError } from 'graphql';
import {
  ConflictError,
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
  type Localised,
} from '../../schema/errors.js';
import type { Identity } from '../../schema/identity.js';
import {
  ACTIONS,
  DATA_CATEGORIES,
  FREE_TEXT_CATEGORIES,
  categoryOf,
  freeTextAddressees,
  mayEverRead,
  type ActionGrant,
  type ActionRule,
  type DataCategory,
} from '../../schema/policy.js';
import { decideAction, type LedgerRow, type TargetFacts } from './access/decide.js';
import { callerOf, ledgerByParticipant, ledgerColumns } from './access/ledger.js';
import type { SubgraphContext } from './context.js';
import { assertIdempotencyKey, fingerprint } from './idempotency.js';
import { queryRows, type SqlRunner } from './raw-sql.js';

/** What the transaction offers a command's target loader and domain rule. */
export interface CommandTx extends SqlRunner {
  identity: Identity;
  /** The key, caller and fingerprint to store on a record the command creates. */
  idempotency: { idempotencyKey: string; requestedBy: string; requestFingerprint: string };
  /** Ledger rows read and locked by this transaction (after the decision). */
  ledger(participantId: string): LedgerRow | undefined;
}

/** What was decided, for the domain rule. */
export interface Decision {
  grant: ActionGrant;
  targets: TargetFacts[];
}

export interface Command<V, R> {
  /** The mutation: its entry in ACTIONS. */
  action: string;
  idempotencyKey: string;
  /**
   * The arguments as sent: their fingerprint tells a retry from a reuse of the key. Either the mutation's
   * arguments or its `input` argument alone: the action's free-text category (ACTIONS freeText) is read here.
   */
  args: unknown;
  /** Pure checks of the input: BAD_USER_INPUT naming the field. */
  validate(): V;
  /** The value of the action's variant argument (e.g. the act's kind). */
  variant?(input: V): string;
  /** Loads and locks the target(s) in the transaction; undefined where there is none. */
  target(tx: CommandTx, input: V): Promise<TargetFacts | undefined | (TargetFacts | undefined)[]>;
  /** The domain rule, inside the transaction; returns the id the answer is loaded from. */
  apply(tx: CommandTx, input: V, decision: Decision): Promise<string>;
  /** The mutation's answer, loaded after commit (also for a replay). */
  answer(resultId: string, recordedAt: Date): Promise<R>;
}

/** The caller as idempotency keys are scoped: role, organisation and subject. */
export function callerKey(identity: Identity): string {
  return `${identity.role}:${identity.organisation}/${identity.subject}`;
}

class Replay {
  constructor(
    readonly resultId: string,
    readonly at: Date,
  ) {}
}

export async function runCommand<V, R>(context: SubgraphContext, command: Command<V, R>): Promise<R> {
  const action = ACTIONS[command.action];
  if (!action) throw new Error(`Mutation ${command.action} has no entry in ACTIONS (schema/policy.ts)`);
  assertIdempotencyKey(command.idempotencyKey);
  const input = command.validate();
  const variant = command.variant?.(input);
  refuseTextItsReadersCannotRead(action, command.args, variant);
  const requestedBy = callerKey(context.identity);
  const requestFingerprint = fingerprint({ action: command.action, args: command.args });
  const touched = new Set<string>();
  let outcome: { resultId: string; at: Date };
  try {
    outcome = await context.em.transactional(async (em) => {
      const runner: SqlRunner = { em, sqlCounter: context.sqlCounter };
      const [claimed] = await queryRows<{ at: Date | string }>(
        runner,
        `insert into access.command_log (requested_by, idempotency_key, action, fingerprint) values (?, ?, ?, ?)
         on conflict (requested_by, idempotency_key) do nothing returning at`,
        [requestedBy, command.idempotencyKey, command.action, requestFingerprint],
      );
      if (!claimed) {
        // The key's first request committed (this insert waited for it): replay its answer.
        // Only an answer this subgraph's role claimed is replayed (another subgraph's claim is a reuse of the key).
        const [first] = await queryRows<{ fingerprint: string; result_id: string; at: Date | string; own: boolean }>(
          runner,
          'select fingerprint, result_id, at, claimed_by = current_user as own from access.command_log where requested_by = ? and idempotency_key = ?',
          [requestedBy, command.idempotencyKey],
        );
        if (!first || !first.own || first.fingerprint !== requestFingerprint)
          throw new ConflictError({ id: 'conflict.idempotencyKeyReused' });
        throw new Replay(first.result_id, new Date(first.at));
      }
      const ledgers = new Map<string, LedgerRow>();
      const tx: CommandTx = {
        ...runner,
        identity: context.identity,
        idempotency: { idempotencyKey: command.idempotencyKey, requestedBy, requestFingerprint },
        ledger: (participantId) => ledgers.get(participantId),
      };
      const loaded = await command.target(tx, input);
      const targets = Array.isArray(loaded) ? loaded : [loaded];
      const people = [
        ...new Set(targets.flatMap((target) => (target?.participantId ? [target.participantId] : []))),
      ].sort();
      for (const row of await lockLedgerRows(runner, context.identity, people)) ledgers.set(row.participantId, row);
      // The directory read again on this transaction's connection: a membership ended meanwhile counts.
      const caller = await callerOf(
        runner,
        context.identity,
        action.grants.some((grant) => grant.staff),
      );
      let grant: ActionGrant | undefined;
      for (const [index, target] of targets.entries()) {
        const decision = decideAction(
          action,
          caller,
          target,
          target?.participantId ? ledgers.get(target.participantId) : undefined,
          {
            variant,
            idCategory: categoryOf(action.target, 'id'),
          },
        );
        if (!decision.allowed)
          throw decisionError(action, decision.code, decision.message, Array.isArray(loaded) ? index : undefined);
        grant ??= decision.grant;
      }
      people.forEach((id) => touched.add(id));
      const resultId = await command.apply(tx, input, {
        grant: grant!,
        targets: targets.filter((t): t is TargetFacts => t !== undefined),
      });
      await em.flush();
      const [done] = await queryRows<{ at: Date | string }>(
        runner,
        'update access.command_log set result_id = ? where requested_by = ? and idempotency_key = ? returning at',
        [resultId, requestedBy, command.idempotencyKey],
      );
      return { resultId, at: new Date(done!.at) };
    });
  } catch (error) {
    if (error instanceof Replay) outcome = { resultId: error.resultId, at: error.at };
    else throw asRaceLoser(error);
  }
  // The rest of the response reads fresh state: the request's caches predate the write.
  for (const id of touched) context.loaders.forget(ledgerByParticipant, id);
  context.em.clear();
  return command.answer(outcome.resultId, outcome.at);
}

/**
 * R14, R18: free text is written only in a category every role it is addressed to may ever read (ACTIONS freeText,
 * mayEverRead); otherwise BAD_USER_INPUT naming the category argument, before anything is written.
 */
function refuseTextItsReadersCannotRead(action: ActionRule, args: unknown, variant: string | undefined): void {
  const rule = action.freeText;
  if (!rule) return;
  const declared = argumentAt(args, rule.category);
  if (typeof declared !== 'string') return; // no text, or none declared: the service's own validation says so
  const category = declared.toLowerCase() as DataCategory;
  if (!(DATA_CATEGORIES as readonly string[]).includes(category)) return;
  const addressees = freeTextAddressees(rule, variant);
  const blind = addressees.find((role) => !mayEverRead(role, category));
  if (!blind) return;
  const readable = FREE_TEXT_CATEGORIES.filter((c) => addressees.every((role) => mayEverRead(role, c)));
  throw new InvalidInputError(rule.category, {
    id: 'text.addresseeCannotRead',
    params: { role: blind, category, categories: readable.join(', ') },
  });
}

/** A dotted argument path in a command's args: the mutation's arguments, or its `input` argument alone. */
function argumentAt(args: unknown, path: string): unknown {
  const root = args !== null && typeof args === 'object' ? { input: args, ...args } : {};
  return path
    .split('.')
    .reduce<unknown>(
      (value, key) =>
        value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined,
      root,
    );
}

/** Reads and locks ledger rows in one order (by id), so two writes about the same people never deadlock. */
async function lockLedgerRows(runner: SqlRunner, identity: Identity, participantIds: string[]): Promise<LedgerRow[]> {
  if (participantIds.length === 0) return [];
  return queryRows<LedgerRow>(
    runner,
    `select ${ledgerColumns(identity)} from access.ledger l where l.participant_id in (?) order by l.participant_id for update`,
    [participantIds],
  );
}

function decisionError(
  action: ActionRule,
  code: 'NOT_FOUND' | 'FORBIDDEN' | 'CONFLICT',
  message: Localised,
  index?: number,
): GraphQLError {
  if (code === 'NOT_FOUND') {
    // An unseen record answers exactly like a missing one; a list names the entry.
    return index === undefined || !action.targetArgument
      ? new NotFoundError(action.target)
      : new InvalidInputError(`${action.targetArgument}.${index}`, {
          id: 'input.noSuchTarget',
          params: { what: action.target },
        });
  }
  if (code === 'FORBIDDEN') return new ForbiddenError(message);
  return index === undefined || !action.targetArgument
    ? new ConflictError(message)
    : new ConflictError(message, `${action.targetArgument}.${index}`);
}

/** PostgreSQL's answers to a lost race (SQLSTATE): the loser gets CONFLICT. */
const RACE_STATES = new Set(['40001', '40P01', '55P03', '57014', '25P03']);

function asRaceLoser(error: unknown): unknown {
  if (error instanceof GraphQLError) return error;
  if (error instanceof UniqueConstraintViolationException)
    return new ConflictError({ id: 'conflict.createdConcurrently' });
  if (error instanceof DriverException && RACE_STATES.has(String(error.code ?? error.sqlState))) {
    return new ConflictError({ id: 'conflict.concurrentChange' });
  }
  return error;
}

/** Loads one entity by id under a row lock (FOR UPDATE) in the command's transaction. */
export async function lockById<T extends object>(tx: CommandTx, entity: EntityClass<T>, id: string): Promise<T | null> {
  return tx.em.findOne(entity, { id } as never, {
    lockMode: LockMode.PESSIMISTIC_WRITE,
    refresh: true,
  });
}

/** A command's answer loaded fresh by id (after commit the request's identity map is stale). */
export async function loadFresh<T extends object>(em: EntityManager, entity: EntityClass<T>, id: string): Promise<T> {
  return em.findOneOrFail(entity, { id } as never, { refresh: true });
}
