/**
 * What Apollo keeps for reuse — parsed documents (Apollo Server) and query plans (Apollo Gateway) —
 * bounded by a number of entries. Apollo's own default bounds them by an estimate of 30 MiB each, per
 * server: with a server per role that is 9 × 2 caches in the gateway, and the estimate (their JSON
 * size) undercounts the heap they hold: a parsed participant lookup holds 18 KB, 4× its estimate, so
 * the documents alone could reach ≈ 1 GB. Clients decide how many distinct documents arrive (every
 * alias makes a new one), so without a tight bound the gateway's memory grows with them, up to the
 * heap's ceiling. 250 entries of that size: ≈ 4.5 MB per cache.
 */
import { LRUCache } from 'lru-cache';

/** Entries kept per cache: a role's front ends send a few dozen distinct operations. */
export const APOLLO_CACHE_ENTRIES = 250;

/** The KeyValueCache Apollo Server (`documentStore`) and Apollo Gateway (`queryPlannerConfig.cache`) take, least recently used out first. */
export interface BoundedCache<V> {
  get(key: string): Promise<V | undefined>;
  set(key: string, value: V): Promise<void>;
  delete(key: string): Promise<boolean>;
  clear(): void;
  readonly size: number;
}

export function boundedCache<V extends object>(max = APOLLO_CACHE_ENTRIES): BoundedCache<V> {
  const cache = new LRUCache<string, V>({ max });
  return {
    get: (key) => Promise.resolve(cache.get(key)),
    set: (key, value) => {
      cache.set(key, value);
      return Promise.resolve();
    },
    delete: (key) => Promise.resolve(cache.delete(key)),
    clear: () => cache.clear(),
    get size() {
      return cache.size;
    },
  };
}
