/** Recently verified passwords, so a script sending Basic auth on every request pays for bcrypt once, not each time. */
import { createHmac, randomBytes } from 'node:crypto';
import type { Clock } from '../common/index.js';

export interface CredentialCache {
  /** Whether this user, password and stored hash were verified within the time to live. */
  has(user: string, password: string, hash: string): boolean;
  add(user: string, password: string, hash: string): void;
  clear(): void;
}

export interface CredentialCacheOptions {
  clock: Clock;
  ttlMs?: number;
  maxEntries?: number;
}

/** A bounded cache of verified credentials; the oldest entry goes first when it is full. */
export function createCredentialCache({ clock, ttlMs = 2 * 60_000, maxEntries = 1000 }: CredentialCacheOptions): CredentialCache {
  // Keyed by an HMAC under a per-process secret, so the process's memory holds nothing a fast offline
  // guess could be checked against. The stored hash is part of the key: a changed password is a miss.
  const secret = randomBytes(32);
  const key = (user: string, password: string, hash: string) =>
    createHmac('sha256', secret).update(`${user}\0${password}\0${hash}`, 'utf8').digest('base64');
  const expiries = new Map<string, number>();

  return {
    has(user, password, hash) {
      const k = key(user, password, hash);
      const until = expiries.get(k);
      if (until === undefined) return false;
      if (until > clock().getTime()) return true;
      expiries.delete(k);
      return false;
    },
    add(user, password, hash) {
      const k = key(user, password, hash);
      expiries.delete(k);
      expiries.set(k, clock().getTime() + ttlMs);
      while (expiries.size > maxEntries) expiries.delete(expiries.keys().next().value!);
    },
    clear() {
      expiries.clear();
    },
  };
}
