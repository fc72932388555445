/** A seeded generator and the mutations the fuzz cases are built from: the same seed and case number give the same bytes. */

/** A small seeded random source (mulberry32): enough spread for fuzzing, and reproducible. */
export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** A whole number in [0, n). */
  int(n: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
}

export function createRandom(seed: number): Random {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return { next, int, chance: (p) => next() < p, pick: (items) => items[int(items.length)]! };
}

/** The generator of case `n` under `seed`: cases do not depend on each other, so one can be replayed alone. */
export function caseRandom(seed: number, n: number): Random {
  return createRandom((seed ^ Math.imul(n + 1, 0x9e3779b1)) >>> 0);
}

/** Numbers that break parsers and columns: huge, tiny, negative, not numbers at all. */
export const ODD_NUMBERS = [
  '0', '-0', '-1', '1e308', '1e309', '-1e309', '9007199254740993', '99999999999999999999', '999999999999', '4294967296', '2147483648',
  '0.0000000000000000000001', 'NaN', 'Infinity', '-Infinity', '0x10', '1_000', '١٢٣', '', ' ', '1.2.3', '+5', '00000000000000000001',
] as const;

/** Text that breaks times, names and patterns. */
export const ODD_TEXT = [
  "' OR 1=1 --", "' AND SLEEP(5)", '"; DROP TABLE samples; --', '%00', '\u0000', '\uFFFD', '\uD800', '😀'.repeat(40), '../../etc/passwd', '/.%2e/%2e%2e//evil.example',
  '(.*){30}Z', '(a+)+$', '(?<=a)b', '(a)\\1', '[', '*'.repeat(40) + 'Z', '${jndi:ldap://x}', '<script>alert(1)</script>', 'a'.repeat(5000),
  '0000-01-01T00:00:00Z', '9999-12-31T23:59:60Z', '2026-02-30', '1969-12-31T23:59:59Z', 'now-1d', 'a 1', 'Tue 5', '-5', 'T', '\r\n', 'null', '{}', '[]', '%ff',
] as const;

/** Random bytes, often, but not always, printable. */
export function randomBytes(r: Random, max: number): Buffer {
  const n = r.int(max + 1);
  const printable = r.chance(0.5);
  const out = Buffer.alloc(n);
  for (let i = 0; i < n; i++) out[i] = printable ? 32 + r.int(95) : r.int(256);
  return out;
}

/** A valid body made wrong: truncated, bytes flipped, a slice repeated or deleted, odd values spliced in. */
export function mutate(r: Random, body: Buffer): Buffer {
  let b = Buffer.from(body);
  const steps = 1 + r.int(4);
  for (let s = 0; s < steps && b.length > 0; s++) {
    const at = r.int(b.length);
    switch (r.int(6)) {
      case 0:
        b = b.subarray(0, at);
        break;
      case 1:
        b[at] = r.int(256);
        break;
      case 2: {
        const len = 1 + r.int(Math.min(64, b.length - at));
        b = Buffer.concat([b.subarray(0, at), b.subarray(at, at + len), b.subarray(at)]);
        break;
      }
      case 3:
        b = Buffer.concat([b.subarray(0, at), b.subarray(at + 1 + r.int(16))]);
        break;
      case 4:
        b = Buffer.concat([b.subarray(0, at), Buffer.from(r.pick(ODD_NUMBERS)), b.subarray(at)]);
        break;
      default:
        b = Buffer.concat([b.subarray(0, at), Buffer.from(r.pick(ODD_TEXT)), b.subarray(at)]);
    }
  }
  return b;
}

/** JSON nested `depth` deep (arrays or objects), for parsers that recurse. */
export function nested(r: Random, depth: number): string {
  const obj = r.chance(0.5);
  return (obj ? '{"a":'.repeat(depth) : '['.repeat(depth)) + '1' + (obj ? '}' : ']').repeat(depth);
}
