/** A small seeded random source (mulberry32): the same seed always yields the same demo data. */

/** Draws from one seeded stream; every helper consumes the stream in a fixed way, so call order is the only state. */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform in [min, max). */
  between(min: number, max: number): number;
  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  /** True with probability `p`. */
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** One item, with probability proportional to its weight. */
  weighted<T>(items: readonly T[], weight: (item: T) => number): T;
  /** A log-normal draw: `median * exp(sigma * N(0, 1))`. */
  logNormal(median: number, sigma: number): number;
  /** An integer with expectation `mean`: its floor, plus one with the fractional part as probability. */
  count(mean: number): number;
}

/** Hashes any seed text to 32 bits (FNV-1a then a murmur finaliser), so nearby seeds give unrelated streams. */
export function hashSeed(seed: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) {
    h ^= seed.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A mulberry32 stream seeded from `seed` (numbers and strings alike are hashed as text: `1` and `'1'` agree). */
export function createRng(seed: number | string): Rng {
  let state = hashSeed(String(seed));
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const rng: Rng = {
    next,
    between: (min, max) => min + (max - min) * next(),
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: (items) => {
      if (items.length === 0) throw new RangeError('pick from an empty list');
      return items[Math.floor(next() * items.length)]!;
    },
    weighted: (items, weight) => {
      if (items.length === 0) throw new RangeError('pick from an empty list');
      const total = items.reduce((sum, item) => sum + weight(item), 0);
      let target = next() * total;
      for (const item of items) {
        target -= weight(item);
        if (target < 0) return item;
      }
      return items[items.length - 1]!;
    },
    logNormal: (median, sigma) => {
      // Box-Muller; 1 - next() keeps the logarithm away from zero.
      const normal = Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
      return median * Math.exp(sigma * normal);
    },
    count: (mean) => {
      if (!(mean > 0)) return 0;
      const whole = Math.floor(mean);
      return whole + (next() < mean - whole ? 1 : 0);
    },
  };
  return rng;
}
