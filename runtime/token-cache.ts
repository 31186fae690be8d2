/**
 * Signed tokens, verified once: ES256 verifying and signing cost ≈ 0.3 ms each, three to
 * six times a request. A verified token is kept by its exact text until it expires — and never longer
 * than `maxAgeMs`, so a key withdrawn from a JWK set stops being honoured within that time. A refused
 * token is never kept: it is checked again each time. Bounded (least recently used out first).
 */
import { LRUCache } from 'lru-cache';

export interface Verified<T> {
  value: T;
  /** When the token stops being valid (ms since the epoch), from its `exp`. */
  expiresAt: number;
}

export function verifiedOnce<T extends object>(
  verify: (token: string) => Promise<Verified<T>>,
  options: { max?: number; maxAgeMs?: number } = {},
): (token: string) => Promise<T> {
  const maxAgeMs = options.maxAgeMs ?? 60_000;
  const cache = new LRUCache<string, Verified<T>>({ max: options.max ?? 10_000 });
  return async (token) => {
    const now = Date.now();
    const kept = cache.get(token);
    if (kept && kept.expiresAt > now) return kept.value;
    const verified = await verify(token);
    cache.set(token, { value: verified.value, expiresAt: Math.min(verified.expiresAt, now + maxAgeMs) });
    return verified.value;
  };
}

/**
 * A token signed once per key (the gateway's token for one caller and operation) and reused while it
 * is younger than `reuseMs` — well within its lifetime, so a subgraph receives it at most that old.
 */
export function signedOnce(
  sign: (key: string) => Promise<string>,
  options: { max?: number; reuseMs: number },
): (key: string) => Promise<string> {
  const cache = new LRUCache<string, { token: Promise<string>; signedAt: number }>({ max: options.max ?? 10_000 });
  return (key) => {
    const now = Date.now();
    const kept = cache.get(key);
    if (kept && now - kept.signedAt < options.reuseMs) return kept.token;
    const token = sign(key);
    cache.set(key, { token, signedAt: now });
    token.catch(() => cache.delete(key));
    return token;
  };
}
