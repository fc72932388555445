/** Timestamp precisions: how many nanoseconds one unit of a line's timestamp is. */
import type { Precision } from './types.js';

const NANOS: Record<Precision, bigint> = {
  ns: 1n,
  n: 1n,
  us: 1_000n,
  u: 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

/** Nanoseconds per unit of `precision`. */
export function nanosPerUnit(precision: Precision): bigint {
  return NANOS[precision];
}

/** A Date for a nanosecond timestamp; sub-millisecond digits are dropped (a Date holds milliseconds). */
export function nanosToDate(ns: bigint): Date {
  // Floor, not truncate, so a pre-1970 timestamp lands on the millisecond at or before it.
  const ms = ns >= 0n ? ns / 1_000_000n : -((-ns + 999_999n) / 1_000_000n);
  return new Date(Number(ms));
}

/** Nanoseconds since the epoch of a Date. */
export function dateToNanos(d: Date): bigint {
  return BigInt(d.getTime()) * 1_000_000n;
}
