import { APOLLO_CACHE_ENTRIES, boundedCache } from './bounded-cache.js';

describe('the caches Apollo keeps documents and query plans in', () => {
  it('hold at most their bound however many distinct keys arrive, the most recently used kept', async () => {
    const cache = boundedCache<{ plan: number }>();
    await cache.set('hot', { plan: 0 });
    for (let i = 0; i < APOLLO_CACHE_ENTRIES * 20; i++) {
      await cache.set(`once-${i}`, { plan: i });
      if (i % 10 === 0) expect(await cache.get('hot')).toEqual({ plan: 0 }); // in use: never the one dropped
    }
    expect(cache.size).toBe(APOLLO_CACHE_ENTRIES);
    expect(await cache.get(`once-${APOLLO_CACHE_ENTRIES * 20 - 1}`)).toEqual({ plan: APOLLO_CACHE_ENTRIES * 20 - 1 });
    expect(await cache.get('once-0')).toBeUndefined();
  });

  it('forgets on delete and on clear (a new supergraph clears the plans)', async () => {
    const cache = boundedCache<{ plan: number }>(3);
    await cache.set('a', { plan: 1 });
    await cache.set('b', { plan: 2 });
    expect(await cache.delete('a')).toBe(true);
    expect(await cache.get('a')).toBeUndefined();
    cache.clear();
    expect(cache.size).toBe(0);
  });
});
