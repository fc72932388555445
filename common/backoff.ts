/** Capped exponential backoff with jitter: the one retry-delay rule every stage uses. */

/** How `backoff` grows and spreads its delays. */
export interface BackoffOptions {
  /** The delay before the first retry (attempt 1), before jitter. */
  baseMs: number;
  /** The longest delay, before jitter. */
  capMs: number;
  /**
   * How much of the delay is random, 0..1: the delay is `d * (1 - jitter * random())`. 1 is "full jitter"
   * (uniform in 0..d), which spreads retries of many clients that failed together; 0 is none.
   */
  jitter?: number;
  /** The source of randomness in [0, 1) (default Math.random); tests pass a fixed one. */
  random?: () => number;
}

/** The delay in ms before retry number `attempt` (1, 2, 3, ...): `min(cap, base * 2^(attempt-1))`, less its jitter. */
export function backoff(attempt: number, options: BackoffOptions): number {
  const { baseMs, capMs, jitter = 0, random = Math.random } = options;
  const exponent = Math.max(0, Math.floor(attempt) - 1);
  // 2^exponent overflows to Infinity for large attempts; min() caps it either way.
  const delay = Math.min(capMs, baseMs * 2 ** exponent);
  const spread = Math.min(1, Math.max(0, jitter));
  return Math.max(0, Math.round(delay * (1 - spread * random())));
}
