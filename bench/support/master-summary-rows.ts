/** Deterministic MasterSummaryData rows with a realistic spread, generated batch by batch like an importer sends them. */
import type { SqlValue } from '../../store/index.js';

/** The columns the generator fills; the other dimensions keep Gratia's defaults. */
export const GENERATED_COLUMNS = [
  'EndTime', 'VOcorrid', 'ProbeName', 'CommonName', 'ResourceType', 'Cores', 'Njobs', 'WallDuration', 'CpuUserDuration', 'CpuSystemDuration',
] as const;

/** The first summary day; rows spread over DAYS days from it. */
export const FIRST_DAY = Date.UTC(2024, 0, 1);
export const DAYS = 90;
const PROBES = 200;
const USERS = 4096;
const VOS = 60;
/** Every (day, probe, user) combination: row i takes the i-th of a fixed permutation of them, so rows never repeat a key. */
const COMBINATIONS = DAYS * PROBES * USERS;
/** A prime, so coprime with COMBINATIONS (2^16 * 3^2 * 5^3): i -> i * STRIDE mod COMBINATIONS is a bijection. */
const STRIDE = 2_654_435_761;
const CORES = [1, 1, 1, 1, 2, 4, 8, 8, 8, 16, 32, 64] as const;
const RESOURCE_TYPES = ['Batch', 'Batch', 'Batch', 'BatchPilot', 'BatchPilot', 'OneVM'] as const;

/** 32-bit integer hash (Murmur3's finaliser): spreads neighbouring ids. */
function mix(x: number): number {
  let h = x | 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

const days = Array.from({ length: DAYS }, (_, d) => new Date(FIRST_DAY + d * 86_400_000).toISOString().slice(0, 10) + ' 00:00:00');
const probes = Array.from({ length: PROBES }, (_, p) => `condor:ce${String(p).padStart(3, '0')}.site${p % 37}.example.org`);
const users = Array.from({ length: USERS }, (_, u) => `/DC=org/DC=example/OU=People/CN=User ${u} ${mix(u) % 100000}`);
/** Users belong to one VO each; a few VOs hold most users (squared skew), as in real grids. */
const userVo = Array.from({ length: USERS }, (_, u) => 1 + Math.floor(VOS * (mix(u + 7) / 2 ** 32) ** 2));

/** The most rows the generator can make without repeating a key. */
export const MAX_ROWS = COMBINATIONS;

/** Row `i`, in GENERATED_COLUMNS order. The same `i` always gives the same row. */
export function masterSummaryRow(i: number): SqlValue[] {
  // i * STRIDE exceeds 2^53 for large i: split it to stay exact.
  const x = ((i % COMBINATIONS) * (STRIDE % COMBINATIONS)) % COMBINATIONS;
  const day = x % DAYS;
  const probe = Math.floor(x / DAYS) % PROBES;
  const user = Math.floor(x / (DAYS * PROBES));
  const h = mix(i);
  const cores = CORES[h % CORES.length]!;
  const wall = 60 + (h % 86_341);
  return [days[day]!, userVo[user]!, probes[probe]!, users[user]!, RESOURCE_TYPES[probe % RESOURCE_TYPES.length]!, cores, 1 + (h % 40), wall, wall * 0.8, wall * 0.05];
}

/** Rows `from` to `from + count - 1`. */
export function masterSummaryBatch(from: number, count: number): SqlValue[][] {
  return Array.from({ length: count }, (_, k) => masterSummaryRow(from + k));
}
