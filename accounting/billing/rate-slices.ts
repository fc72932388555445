/**
 * Rating: the charges of one usage slice under a rate card, split at every instant a price changes. Quantities are
 * kept as exact unit-seconds (`base`) and a divisor, so sums stay exact and a line divides and rounds once.
 */
import { DateTime } from 'luxon';
import type { UsageSlice } from '../usage-slice.js';
import { Money, priceAt, priceChangeInstants, type ChargeComponent, type RateCard, type ResolvedPrice } from './rate-card.js';

/** One component's charge over one piece of a slice (the slice, or its part between two price changes). */
export interface SliceCharge {
  component: ChargeComponent;
  price: ResolvedPrice;
  /** The piece, epoch seconds [start, end). */
  start: number;
  end: number;
  /** The quantity times its unit's seconds (core-seconds, MB-seconds, ...), exact. */
  base: Money;
  /** What `base` is divided by to give the quantity in the component's unit (3600, 1024 x 3600, 1024 x month seconds). */
  divisor: number;
}

/** A charge's quantity in its unit (exact to 50 digits). */
export const chargeQuantity = (c: Pick<SliceCharge, 'base' | 'divisor'>): Money => c.base.div(c.divisor);
/** A charge's amount before rounding: rate x base / divisor. Sum these per line, then round once (roundLine). */
export const chargeAmount = (c: SliceCharge): Money => c.price.rate.mul(c.base).div(c.divisor);

/** RSTIME–RETIME of the slice's history segment (null start: never ran; null end: still running). */
export interface RunInterval {
  start: number | null;
  end: number | null;
}

export interface RateOptions {
  /** The accounting time zone (default UTC): a GB-month is the length of the slice's local month. */
  timeZone?: string;
  /**
   * The segment's running interval, needed only to split running time exactly at a price change inside a slice;
   * without it running time is split in proportion to the pieces' lengths (whole seconds, the rest to the last).
   */
  run?: RunInterval;
}

const monthCache = new Map<string, number>();

/** Seconds in the local month holding `day` (`YYYY-MM-DD`) in `zone`: 2,592,000 for a 30-day UTC month. */
export function monthSeconds(day: string, zone = 'UTC'): number {
  const key = `${zone}/${day.slice(0, 7)}`;
  let s = monthCache.get(key);
  if (s === undefined) {
    const start = DateTime.fromISO(`${day.slice(0, 7)}-01`, { zone });
    s = Math.round(start.plus({ months: 1 }).toSeconds() - start.toSeconds());
    monthCache.set(key, s);
  }
  return s;
}

interface Piece {
  start: number;
  end: number;
  allocated: number;
  running: number;
}

const overlap = (a0: number, a1: number, b0: number, b1: number) => Math.max(0, Math.min(a1, b1) - Math.max(a0, b0));

/** Whole seconds shared out so the pieces add up to `total` exactly: the last piece takes what is left. */
function settle(pieces: Piece[], field: 'allocated' | 'running', total: number): void {
  let used = 0;
  pieces.forEach((p, i) => {
    if (i === pieces.length - 1) p[field] = Math.max(0, total - used);
    else {
      p[field] = Math.min(p[field], total - used);
      used += p[field];
    }
  });
}

function piecesOf(slice: UsageSlice, cuts: readonly number[], run: RunInterval | undefined): Piece[] {
  const inside = cuts.filter((t) => t > slice.sliceStart && t < slice.sliceEnd);
  if (inside.length === 0) {
    return [{ start: slice.sliceStart, end: slice.sliceEnd, allocated: slice.allocatedSeconds, running: slice.runningSeconds }];
  }
  const edges = [slice.sliceStart, ...inside, slice.sliceEnd];
  const length = slice.sliceEnd - slice.sliceStart;
  const pieces = edges.slice(1).map((end, i): Piece => {
    const start = edges[i]!;
    const running = run
      ? run.start === null ? 0 : overlap(start, end, run.start, run.end ?? Number.MAX_SAFE_INTEGER)
      : Math.floor((slice.runningSeconds * (end - start)) / length);
    return { start, end, allocated: end - start, running };
  });
  settle(pieces, 'allocated', slice.allocatedSeconds);
  settle(pieces, 'running', slice.runningSeconds);
  return pieces;
}

/** Every time-based charge of one slice (not the per-VM fee, which is per period: see the invoice builder). */
export function rateSlice(slice: UsageSlice, card: RateCard, options: RateOptions = {}, cuts = priceChangeInstants(card)): SliceCharge[] {
  const out: SliceCharge[] = [];
  const month = monthSeconds(slice.day, options.timeZone);
  for (const p of piecesOf(slice, cuts, options.run)) {
    const timed = card.chargeTime === 'running' ? p.running : p.allocated;
    const add = (component: ChargeComponent, base: Money, divisor: number) => {
      if (base.isZero()) return;
      const price = priceAt(card, component, slice.groupName, p.start);
      if (price) out.push({ component, price, start: p.start, end: p.end, base, divisor });
    };
    add('cpu', new Money(slice.vcpu).mul(timed), 3600);
    add('cpu_share', new Money(slice.cpuShare).mul(timed), 3600);
    add('memory', new Money(slice.memoryMb).mul(timed), 1024 * 3600);
    add('memory_mb', new Money(slice.memoryMb).mul(timed), 3600);
    // Disks and addresses are held while the VM is allocated, running or not (as OpenNebula's showback charges disk).
    add('disk', new Money(slice.diskMb).mul(p.allocated), 1024 * month);
    add('disk_mb', new Money(slice.diskMb).mul(p.allocated), 3600);
    add('public_ip', new Money(slice.publicIps.length).mul(p.allocated), 3600);
  }
  return out;
}

/** The charges of many slices, for exports that put cost on their rows; `runOf` gives each slice's running interval. */
export function rateSlices(
  slices: Iterable<UsageSlice>,
  card: RateCard,
  options: { timeZone?: string; runOf?: (s: UsageSlice) => RunInterval | undefined } = {},
): { slice: UsageSlice; charges: SliceCharge[] }[] {
  const cuts = priceChangeInstants(card);
  const out: { slice: UsageSlice; charges: SliceCharge[] }[] = [];
  for (const slice of slices) {
    const run = options.runOf?.(slice);
    out.push({ slice, charges: rateSlice(slice, card, { timeZone: options.timeZone, ...(run ? { run } : {}) }, cuts) });
  }
  return out;
}
