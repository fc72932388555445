/** GraphTool's result cache: least-recently-used (lru-cache), entries expire after a fixed time, optionally bounded in bytes, identical concurrent requests share one computation. */
import { LRUCache } from 'lru-cache';
import { systemClock, type Clock } from '../../common/index.js';

/** GraphTool kept 5 entries for 300 s; the appliance keeps more by default since its pages ask for several outputs of one query. */
export const DEFAULT_CACHE_TTL_MS = 300_000;
export const DEFAULT_CACHE_ENTRIES = 100;

export interface TtlCacheOptions<V = unknown> {
  /** Most entries kept; the least recently used goes first (default {@link DEFAULT_CACHE_ENTRIES}). 0 turns caching off, but concurrent requests still share. */
  maxEntries?: number;
  /** How long a computed value is served (default {@link DEFAULT_CACHE_TTL_MS}, GraphTool's 300 s). */
  ttlMs?: number;
  /** Most bytes kept, as `sizeOf` counts them (default: no byte limit); the least recently used go first. */
  maxBytes?: number;
  /** The size of a value in bytes, for `maxBytes` (default: a Buffer's length, else 1). */
  sizeOf?: (value: V) => number;
  /**
   * Whether a computed value may be kept (default: every value). A value that reports a failure (a query result
   * with `error`) must not be: the database may be back by the next request.
   */
  cacheable?: (value: V) => boolean;
  clock?: Clock;
  /** Called on every lookup with how it was answered (for /metrics). */
  onLookup?: (outcome: 'hit' | 'miss' | 'shared') => void;
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

/** lru-cache keeps objects: a value is wrapped so any V (even a falsy one) can be cached. */
interface Entry<V> {
  value: V;
}

/** Creates a {@link TtlCache}. */
export function createTtlCache<V>(options: TtlCacheOptions<V> = {}): TtlCache<V> {
  const maxEntries = options.maxEntries ?? DEFAULT_CACHE_ENTRIES;
  const ttlMs = options.ttlMs ?? DEFAULT_CACHE_TTL_MS;
  const clock = options.clock ?? systemClock;
  const cacheable = options.cacheable ?? (() => true);
  const sizeOf = options.sizeOf ?? ((v: V) => (Buffer.isBuffer(v) ? v.length : 1));
  const entries =
    maxEntries > 0
      ? new LRUCache<string, Entry<V>>({
          max: maxEntries,
          // lru-cache counts an entry stale once its age exceeds ttl; GraphTool's entry ends when its age reaches it.
          ttl: Math.max(1, ttlMs - 1),
          // Expiry reads the injected clock, so tests move time instead of sleeping; no cached "now" between reads.
          perf: { now: () => clock().getTime() },
          ttlResolution: 0,
          ...(options.maxBytes ? { maxSize: options.maxBytes, sizeCalculation: (e: Entry<V>) => Math.max(1, sizeOf(e.value)) } : {}),
        })
      : undefined;
  const running = new Map<string, Promise<V>>();
  let generation = 0;
  const counts = { hits: 0, misses: 0, shared: 0 };
  const onLookup = options.onLookup ?? (() => {});

  const store = (key: string, value: V): void => {
    // A value larger than the whole byte limit is not kept (lru-cache refuses it), and nothing else is evicted for it.
    entries?.set(key, { value });
  };

  return {
    get(key, compute) {
      const hit = entries?.get(key);
      if (hit) {
        counts.hits++;
        onLookup('hit');
        return Promise.resolve(hit.value);
      }
      const pending = running.get(key);
      if (pending) {
        counts.shared++;
        onLookup('shared');
        return pending;
      }
      counts.misses++;
      onLookup('miss');
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
      entries?.clear();
      running.clear();
    },
    stats: () => ({ ...counts, size: entries?.size ?? 0 }),
  };
}
