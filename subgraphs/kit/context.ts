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
  private readonly loaders = new Map<BatchLoad<unknown, unknown>, Loader<unknown, unknown>>();

  constructor(private readonly context: () => SubgraphContext) {}

  load<K, V>(batch: BatchLoad<K, V>, key: K): Promise<V | undefined> {
    return this.loaderFor(batch).loader.load(key);
  }

  /** Seeds a value already read (e.g. ledger rows a list query joined), saving a round trip. */
  prime<K, V>(batch: BatchLoad<K, V>, key: K, value: V): void {
    const { loader, cache, settled } = this.loaderFor(batch);
    if (!cache.has(key)) settled.set(key, value); // DataLoader keeps a value it holds already (`prime`)
    loader.prime(key, value);
  }

  /**
   * The value already loaded for a key, read without a promise (the access policy decides every field of a
   * record from its ledger row synchronously): `undefined` while it is not loaded, `{ value: undefined }` when
   * it was loaded and is absent.
   */
  peek<K, V>(batch: BatchLoad<K, V>, key: K): { value: V | undefined } | undefined {
    const settled = this.loaders.get(batch as BatchLoad<unknown, unknown>)?.settled;
    return settled?.has(key) ? { value: settled.get(key) as V | undefined } : undefined;
  }

  /** Drops a cached value, e.g. a ledger row the request itself just changed. */
  forget<K, V>(batch: BatchLoad<K, V>, key: K): void {
    const loader = this.loaders.get(batch as BatchLoad<unknown, unknown>);
    loader?.loader.clear(key);
    loader?.settled.delete(key);
  }

  private loaderFor<K, V>(batch: BatchLoad<K, V>): Loader<K, V> {
    let loader = this.loaders.get(batch as BatchLoad<unknown, unknown>) as Loader<K, V> | undefined;
    if (!loader) {
      const cache = new Map<K, Promise<V | undefined>>();
      const settled = new Map<K, V | undefined>();
      const dataLoader = new DataLoader<K, V | undefined>(
        async (keys) => {
          const asked = keys.map((key) => cache.get(key));
          const values = await batch(keys, this.context());
          // A key forgotten (or forgotten and asked again) while its batch was in flight is not this batch's to settle.
          keys.forEach((key, index) => {
            if (cache.get(key) === asked[index]) settled.set(key, values[index]);
          });
          return values;
        },
        { cacheMap: cache },
      );
      loader = { loader: dataLoader, cache, settled };
      this.loaders.set(batch as BatchLoad<unknown, unknown>, loader as Loader<unknown, unknown>);
    }
    return loader;
  }
}

interface Loader<K, V> {
  loader: DataLoader<K, V | undefined>;
  /** DataLoader's own cache of promises, by key. */
  cache: Map<K, Promise<V | undefined>>;
  /** The values its promises resolved to (or primed): what `peek` answers. */
  settled: Map<K, V | undefined>;
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
