/** Limits on what one client may hold of the query workers: query runs at once, refused with 429 and `Retry-After`. */
export { createQueryLimiter, queryClientOf, REFUSAL_REASONS } from './client-limiter.js';
export type { ClientLimits, QueryClient, QueryLimiter, QueryLimiterOptions, RefusalReason } from './client-limiter.js';
