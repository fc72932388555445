/** backoff(): doubles from the base, stops at the cap, and jitter takes a random share off the delay. */
import { describe, expect, it } from 'vitest';
import { backoff } from '../../common/index.js';

describe('backoff', () => {
  it('doubles from the base and stops at the cap without jitter', () => {
    const delays = [1, 2, 3, 4, 5, 6, 60].map((a) => backoff(a, { baseMs: 100, capMs: 1_000 }));
    expect(delays).toEqual([100, 200, 400, 800, 1_000, 1_000, 1_000]);
  });

  it('takes the jitter share off the delay, scaled by the random value', () => {
    expect(backoff(3, { baseMs: 100, capMs: 10_000, jitter: 1, random: () => 0.25 })).toBe(300);
    expect(backoff(3, { baseMs: 100, capMs: 10_000, jitter: 0.5, random: () => 0.5 })).toBe(300);
    expect(backoff(3, { baseMs: 100, capMs: 10_000, jitter: 1, random: () => 0 })).toBe(400);
  });

  it('never exceeds the cap or goes negative, even for huge attempts and out-of-range jitter', () => {
    expect(backoff(10_000, { baseMs: 100, capMs: 5_000, jitter: 3, random: () => 0.999 })).toBeGreaterThanOrEqual(0);
    expect(backoff(10_000, { baseMs: 100, capMs: 5_000, jitter: 0.1, random: () => 0.999 })).toBeLessThanOrEqual(5_000);
    expect(backoff(0, { baseMs: 100, capMs: 5_000 })).toBe(100);
  });
});
