/** The hosts and services the bridge has seen (table `nagios_seen`): upserted with every submit, read by the object-config generator. */
import type { Migration, Queryable, SqlValue, Transaction } from '../../store/index.js';
import { serviceKey } from '../outbox.js';
import type { PassiveResult } from '../types.js';

/** One row per `host|service` (`host|` for host results), the outbox's partition key. */
export const SEEN_TABLE = 'nagios_seen';

/** Migration `nagios_bridge` 2: the table of hosts and services seen. */
export const seenObjectsMigration: Migration = {
  stage: 'nagios_bridge',
  version: 2,
  name: 'hosts and services seen, for the generated Nagios object config',
  steps: [
    {
      createTable: {
        name: SEEN_TABLE,
        columns: [
          { name: 'seen_key', type: 'varchar', length: 190, notNull: true, binary: true },
          { name: 'host', type: 'text', notNull: true },
          // NULL for a host result's row.
          { name: 'service', type: 'text' },
          // Epoch seconds: when the bridge first and last took a result for it (receipt time, not check time).
          { name: 'first_seen', type: 'bigint', notNull: true },
          { name: 'last_seen', type: 'bigint', notNull: true },
          // Epoch seconds: the newest check time seen.
          { name: 'last_check', type: 'bigint', notNull: true },
          // Seconds between successive check times, a moving average; NULL until two check times were seen.
          { name: 'interval_s', type: 'bigint' },
          // The probe's own schedule in seconds, when its source says (RSV's metric interval).
          { name: 'schedule_s', type: 'bigint' },
          { name: 'source', type: 'varchar', length: 16, notNull: true },
        ],
        primaryKey: ['seen_key'],
      },
    },
  ],
};

/** One host or service as stored. */
export interface SeenObject {
  host: string;
  /** Absent for a host's own row (host results). */
  service?: string;
  firstSeen: number;
  lastSeen: number;
  lastCheck: number;
  intervalSeconds?: number;
  scheduleSeconds?: number;
  source: string;
}

const COLUMNS = ['seen_key', 'host', 'service', 'first_seen', 'last_seen', 'last_check', 'interval_s', 'schedule_s', 'source'] as const;
// A long backlog of one service adds little to the average beyond its newest few check times.
const PER_KEY = 4;
const ROWS_PER_STATEMENT = 400;

/**
 * The update of an existing row. The interval is a moving average (3/4 old, 1/4 new) of the gap between a newer check
 * time and the stored one, the gap capped at 4x the average so one outage does not stretch it for long; an older or
 * equal check time (a late or re-sent result) leaves it alone, and so does a gap of `maxGapS` or more (the probe was
 * silent long enough to be retired: an outage, not its schedule); the one `?` of the clause binds it. MySQL applies the assignments left to right, each seeing
 * the ones before, so the interval is computed before last_check moves; SQLite's all read the old row.
 */
function updateClause(backend: 'sqlite' | 'mysql'): string {
  const [old, neu, max, div] =
    backend === 'mysql' ? [(c: string) => c, (c: string) => `VALUES(${c})`, 'GREATEST', 'DIV'] : [(c: string) => `${SEEN_TABLE}.${c}`, (c: string) => `excluded.${c}`, 'MAX', '/'];
  const gap = `(${neu('last_check')} - ${old('last_check')})`;
  const interval =
    `CASE WHEN ${neu('last_check')} <= ${old('last_check')} OR ${gap} >= ? THEN ${old('interval_s')}` +
    ` WHEN ${old('interval_s')} IS NULL THEN ${gap}` +
    ` WHEN ${gap} > 4 * ${old('interval_s')} THEN (3 * ${old('interval_s')} + 4 * ${old('interval_s')}) ${div} 4` +
    ` ELSE (3 * ${old('interval_s')} + ${gap}) ${div} 4 END`;
  const sets = [
    `interval_s = ${interval}`,
    `last_check = ${max}(${old('last_check')}, ${neu('last_check')})`,
    `last_seen = ${max}(${old('last_seen')}, ${neu('last_seen')})`,
    `schedule_s = COALESCE(${neu('schedule_s')}, ${old('schedule_s')})`,
    `source = ${neu('source')}`,
  ];
  return backend === 'mysql' ? `ON DUPLICATE KEY UPDATE ${sets.join(', ')}` : `ON CONFLICT (seen_key) DO UPDATE SET ${sets.join(', ')}`;
}

/** The rows of one submit: per host and service its newest few distinct check times, oldest first (each row updates the one before). */
function rowsOf(results: readonly PassiveResult[], nowS: number): SqlValue[][] {
  const byKey = new Map<string, { r: PassiveResult; times: Set<number> }>();
  for (const r of results) {
    const k = serviceKey(r);
    const entry = byKey.get(k) ?? { r, times: new Set<number>() };
    entry.times.add(Math.floor(r.checkTime));
    if (r.scheduleSeconds !== undefined) entry.r = r;
    byKey.set(k, entry);
  }
  const rows: SqlValue[][] = [];
  for (const [k, { r, times }] of byKey) {
    const sorted = [...times].sort((a, b) => a - b).slice(-PER_KEY);
    const schedule = r.scheduleSeconds !== undefined && r.scheduleSeconds > 0 ? Math.round(r.scheduleSeconds) : null;
    for (const t of sorted) rows.push([k, r.host, r.kind === 'service' ? (r.service ?? '') : null, nowS, nowS, t, null, schedule, r.source]);
  }
  return rows;
}

/**
 * Records `results` as seen at `now`, inside the submit's transaction: one upsert statement per few hundred rows. A gap
 * between check times of `maxGapS` or more (retire_after) does not count towards the interval.
 */
export async function recordSeen(tx: Transaction, results: readonly PassiveResult[], now: Date, maxGapS: number): Promise<void> {
  const rows = rowsOf(results, Math.floor(now.getTime() / 1000));
  const one = `(${COLUMNS.map(() => '?').join(', ')})`;
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    const chunk = rows.slice(i, i + ROWS_PER_STATEMENT);
    const sql = `INSERT INTO ${SEEN_TABLE} (${COLUMNS.join(', ')}) VALUES ${chunk.map(() => one).join(', ')} ${updateClause(tx.backend)}`;
    await tx.execute(sql, [...chunk.flat(), Math.max(1, Math.floor(maxGapS))]);
  }
}

/** Every host and service seen, in no particular order. */
export async function readSeen(q: Queryable): Promise<SeenObject[]> {
  type Stored = Record<'host' | 'source', string> & { service: string | null } & Record<'first_seen' | 'last_seen' | 'last_check' | 'interval_s' | 'schedule_s', unknown>;
  const rows = await q.query<Stored>(`SELECT ${COLUMNS.filter((c) => c !== 'seen_key').join(', ')} FROM ${SEEN_TABLE}`);
  const num = (v: unknown) => (v === null || v === undefined ? undefined : Number(v));
  return rows.map((r) => ({
    host: r.host,
    ...(r.service === null || r.service === undefined ? {} : { service: r.service }),
    firstSeen: Number(r.first_seen),
    lastSeen: Number(r.last_seen),
    lastCheck: Number(r.last_check),
    ...(num(r.interval_s) === undefined ? {} : { intervalSeconds: num(r.interval_s) }),
    ...(num(r.schedule_s) === undefined ? {} : { scheduleSeconds: num(r.schedule_s) }),
    source: r.source,
  }));
}
