/**
 * The per-request context every resolver receives: who asks, a forked
 * EntityManager, the request's DataLoaders and its SQL statement counter.
 */
import type { Logger } from '../../runtime/logger.js';
import type { Language } from '../../schema/i18n/index.js';
import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Caller } from './access/decide.js';
import type { AccessLogCollector } from './access/access-log.js';
import type { SqlStatementCounter } from './orm.js';

/** How to find the participant a personal-data record belongs to. */
export type OwnerOf = (record: object) => string | undefined;

export interface SubgraphContext {
  /** Who asks, with their active staff functions where a relation of their role depends on them. */
  identity: Caller;
  /** The client's operation name, as the gateway forwarded it (for the access log). */
  operation: string;
  em: EntityManager;
  loaders: LoaderRegistry;
  sqlCounter: SqlStatementCounter;
  /** Reads of personal data allowed during this request, written to the access log at its end. */
  accessLog: AccessLogCollector;
  /** The participant each personal-data record belongs to, per type. */
  owners: Readonly<Record<string, OwnerOf>>;
  /** The request's id (the gateway's `x-request-id`, or one made here), on every log line of the request. */
  requestId?: string;
  /** The request's logger (carries requestId and subgraph). */
  log?: Logger;
  /** The caller's language (schema/i18n), as the gateway negotiated it; English when absent. */
  language?: Language;
}

/** Loads values for many keys in one round trip; returns them in key order (undefined where absent). */
export type BatchLoad<K, V> = (keys: readonly K[], context: SubgraphContext) => Promise<ReadonlyArray<V | undefined>>;

/**
 * DataLoaders live for one request only (no cross-request cache, so consent
 * changes and access decisions are never served stale).
 */
export class LoaderRegistry {
  private readonly loaders = new Map<BatchLoad<unknown, unknown>, DataLoader<unknown, unknown>>();

  constructor(private readonly context: () => SubgraphContext) {}

  load<K, V>(batch: BatchLoad<K, V>, key: K): Promise<V | undefined> {
    return this.loaderFor(batch).load(key);
  }

  /** Seeds a value already read (e.g. ledger rows a list query joined), saving a round trip. */
  prime<K, V>(batch: BatchLoad<K, V>, key: K, value: V): void {
    this.loaderFor(batch).prime(key, value);
  }

  /** Drops a cached value, e.g. a ledger row the request itself just changed. */
  forget<K, V>(batch: BatchLoad<K, V>, key: K): void {
    this.loaders.get(batch as BatchLoad<unknown, unknown>)?.clear(key);
  }

  private loaderFor<K, V>(batch: BatchLoad<K, V>): DataLoader<K, V | undefined> {
    let loader = this.loaders.get(batch as BatchLoad<unknown, unknown>) as DataLoader<K, V | undefined> | undefined;
    if (!loader) {
      loader = new DataLoader<K, V | undefined>(async (keys) => batch(keys, this.context()));
      this.loaders.set(batch as BatchLoad<unknown, unknown>, loader);
    }
    return loader;
  }
}

/** A batch function that loads rows by a column and returns them in key order. */
export function byKey<K, V>(
  load: (keys: readonly K[], context: SubgraphContext) => Promise<V[]>,
  keyOf: (value: V) => K,
): BatchLoad<K, V> {
  return async (keys, context) => {
    const rows = await load(keys, context);
    const index = new Map(rows.map((row) => [keyOf(row), row]));
    return keys.map((key) => index.get(key));
  };
}

/** A batch function that loads rows for many parent keys and groups them (empty list where none). */
export function groupedBy<K, V>(
  load: (keys: readonly K[], context: SubgraphContext) => Promise<V[]>,
  keyOf: (value: V) => K,
): BatchLoad<K, V[]> {
  return async (keys, context) => {
    const groups = new Map<K, V[]>(keys.map((key) => [key, []]));
    for (const row of await load(keys, context)) groups.get(keyOf(row))?.push(row);
    return keys.map((key) => groups.get(key) ?? []);
  };
}
