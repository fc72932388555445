/**
 * Failed-login throttling by credential: after 5 failures for one user name within 5 minutes, that user is answered
 * 429 for a minute. A client address is locked only after many more failures (50, across any names): behind one NAT
 * many people share an address, and a few of them mistyping must not lock out everyone else. Kept in memory, per
 * process: several appliance instances each count their own failures, and a restart forgets them.
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
  /** Failures of one credential (key `user:NAME`) that lock it. */
  maxFailures?: number;
  /** Failures from one client address (key `addr:IP`) that lock it: a spray across names, not a mistyped password. */
  maxAddressFailures?: number;
  windowMs?: number;
  lockMs?: number;
  /** Above this many keys, stale ones are swept so an address scan cannot grow the map without bound. */
  maxKeys?: number;
}

/** The prefix of the keys that stand for a client address rather than a credential. */
export const ADDRESS_KEY_PREFIX = 'addr:';

interface Failures {
  times: number[];
  lockedUntil: number;
}

/** Counts failures per key (`user:NAME`, `addr:IP`) in a sliding window. */
export function createLoginThrottle(options: LoginThrottleOptions): LoginThrottle {
  const { clock, maxFailures = 5, maxAddressFailures = 50, windowMs = 5 * 60_000, lockMs = 60_000, maxKeys = 10_000 } = options;
  const limitOf = (key: string) => (key.startsWith(ADDRESS_KEY_PREFIX) ? maxAddressFailures : maxFailures);
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
        if (f.times.length >= limitOf(key)) f.lockedUntil = now + lockMs;
        byKey.set(key, f);
      }
      if (byKey.size > maxKeys) sweep(now);
    },
    reset(key) {
      byKey.delete(key);
    },
  };
}
