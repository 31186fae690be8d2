/**
 * The per-request context every resolver receives: who asks, a forked
 * EntityManager, the request's DataLoaders and its SQL statement counter.
 */
import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Identity } from '../../schema/identity.js';
import type { SqlStatementCounter } from './orm.js';

export interface SubgraphContext {
  identity: Identity;
  em: EntityManager;
  loaders: LoaderRegistry;
  sqlCounter: SqlStatementCounter;
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

  private loaderFor<K, V>(batch: BatchLoad<K, V>): DataLoader<K, V | undefined> {
    let loader = this.loaders.get(batch as BatchLoad<unknown, unknown>) as DataLoader<K, V | undefined> | undefined;
    if (!loader) {
      loader = new DataLoader<K, V | undefined>(async (keys) => batch(keys, this.context()));
      this.loaders.set(batch as BatchLoad<unknown, unknown>, loader as DataLoader<unknown, unknown>);
    }
    return loader;
  }
}

/** A batch function that loads rows by a column and returns them in key order. */
export function byKey<K, V>(load: (keys: readonly K[], context: SubgraphContext) => Promise<V[]>, keyOf: (value: V) => K): BatchLoad<K, V> {
  return async (keys, context) => {
    const rows = await load(keys, context);
    const index = new Map(rows.map((row) => [keyOf(row), row]));
    return keys.map((key) => index.get(key));
  };
}
