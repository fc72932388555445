/** Caches for the graph server: GraphTool's LRU with a time limit and shared concurrent computations. */
export { createTtlCache, DEFAULT_CACHE_ENTRIES, DEFAULT_CACHE_TTL_MS } from './ttl-cache.js';
export type { CacheStats, TtlCache, TtlCacheOptions } from './ttl-cache.js';
