/** GraphTool's result cache: least-recently-used, entries expire after a fixed time, identical concurrent requests share one computation. */
import { systemClock, type Clock } from '../../common/index.js';

/** GraphTool kept 5 entries for 300 s; the appliance keeps more by default since its pages ask for several outputs of one query. */
export const DEFAULT_CACHE_TTL_MS = 300_000;
export const DEFAULT_CACHE_ENTRIES = 100;

export interface TtlCacheOptions<V = unknown> {
  /** Most entries kept; the least recently used goes first (default {@link DEFAULT_CACHE_ENTRIES}). 0 turns caching off, but concurrent requests still share. */
  maxEntries?: number;
  /** How long a computed value is served (default {@link DEFAULT_CACHE_TTL_MS}, GraphTool's 300 s). */
  ttlMs?: number;
  /**
   * Whether a computed value may be kept (default: every value). A value that reports a failure (a query result
   * with `error`) must not be: the database may be back by the next request.
   */
  cacheable?: (value: V) => boolean;
  clock?: Clock;
}

export interface CacheStats {
  hits: number;
  misses: number;
  /** Requests that joined a computation already running. */
  shared: number;
  size: number;
}

/** A cache of computed values by key. */
export interface TtlCache<V> {
  /**
   * The value for `key`: a fresh cached one, the one being computed right now, or `compute()`'s.
   * A failed computation (a throw, or a value `cacheable` refuses) is not kept, so the next request tries again.
   */
  get(key: string, compute: () => Promise<V>): Promise<V>;
  /** Drops every entry (a configuration reload makes them stale). Computations running go on but are not kept. */
  clear(): void;
  stats(): CacheStats;
}

interface Entry<V> {
  value: V;
  expiresAt: number;
}

/** Creates a {@link TtlCache}. */
export function createTtlCache<V>(options: TtlCacheOptions<V> = {}): TtlCache<V> {
  const maxEntries = options.maxEntries ?? DEFAULT_CACHE_ENTRIES;
  const ttlMs = options.ttlMs ?? DEFAULT_CACHE_TTL_MS;
  const clock = options.clock ?? systemClock;
  const cacheable = options.cacheable ?? (() => true);
  // A Map iterates in insertion order; re-inserting on each hit keeps the least recently used first.
  const entries = new Map<string, Entry<V>>();
  const running = new Map<string, Promise<V>>();
  let generation = 0;
  const counts = { hits: 0, misses: 0, shared: 0 };

  const store = (key: string, value: V): void => {
    if (maxEntries <= 0) return;
    entries.delete(key);
    entries.set(key, { value, expiresAt: clock().getTime() + ttlMs });
    while (entries.size > maxEntries) {
      const oldest = entries.keys().next();
      if (oldest.done) break;
      entries.delete(oldest.value);
    }
  };

  return {
    get(key, compute) {
      const hit = entries.get(key);
      if (hit) {
        if (hit.expiresAt > clock().getTime()) {
          counts.hits++;
          entries.delete(key);
          entries.set(key, hit);
          return Promise.resolve(hit.value);
        }
        entries.delete(key);
      }
      const pending = running.get(key);
      if (pending) {
        counts.shared++;
        return pending;
      }
      counts.misses++;
      const startedIn = generation;
      const promise = (async () => {
        // Through a microtask, so even a synchronous throw settles after `promise` is registered below.
        const value = await Promise.resolve().then(compute);
        if (startedIn === generation && cacheable(value)) store(key, value);
        return value;
      })();
      // Registered before any waiter's callback, so the entry is gone by the time a waiter asks again.
      // After a clear() another computation of this key may be running; leave that one registered.
      const forget = () => {
        if (running.get(key) === promise) running.delete(key);
      };
      promise.then(forget, forget);
      running.set(key, promise);
      return promise;
    },
    clear() {
      generation++;
      entries.clear();
      running.clear();
    },
    stats: () => ({ ...counts, size: entries.size }),
  };
}
