/**
 * Failed-login throttling: after 5 failures for one user or one client address within 5 minutes, that user or
 * address is answered 429 for a minute. Kept in memory, per process: several appliance instances each count
 * their own failures, and a restart forgets them.
 */
import type { Clock } from '../common/index.js';

export interface LoginThrottle {
  /** Milliseconds until `key` may try again, or 0 when it may now. */
  retryAfterMs(key: string): number;
  /** Records a failed attempt for each key. */
  fail(...keys: string[]): void;
  /** Forgets the failures of `key` (a user who logged in). */
  reset(key: string): void;
}

export interface LoginThrottleOptions {
  clock: Clock;
  maxFailures?: number;
  windowMs?: number;
  lockMs?: number;
  /** Above this many keys, stale ones are swept so an address scan cannot grow the map without bound. */
  maxKeys?: number;
}

interface Failures {
  times: number[];
  lockedUntil: number;
}

/** Counts failures per key (`user:NAME`, `addr:IP`) in a sliding window. */
export function createLoginThrottle({ clock, maxFailures = 5, windowMs = 5 * 60_000, lockMs = 60_000, maxKeys = 10_000 }: LoginThrottleOptions): LoginThrottle {
  const byKey = new Map<string, Failures>();
  const sweep = (now: number) => {
    for (const [key, f] of byKey) if (f.lockedUntil <= now && f.times.every((t) => t <= now - windowMs)) byKey.delete(key);
  };
  return {
    retryAfterMs(key) {
      const f = byKey.get(key);
      return f ? Math.max(0, f.lockedUntil - clock().getTime()) : 0;
    },
    fail(...keys) {
      const now = clock().getTime();
      for (const key of keys) {
        const f = byKey.get(key) ?? { times: [], lockedUntil: 0 };
        f.times = f.times.filter((t) => t > now - windowMs);
        f.times.push(now);
        // The window is not cleared when a lock ends: one more failure straight after it locks again.
        if (f.times.length >= maxFailures) f.lockedUntil = now + lockMs;
        byKey.set(key, f);
      }
      if (byKey.size > maxKeys) sweep(now);
    },
    reset(key) {
      byKey.delete(key);
    },
  };
}
