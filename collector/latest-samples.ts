/** The latest sample per (node, metric), kept in `latest_samples` with every write so "latest" pages read one row per pair instead of scanning every sample. */
import { Slice } from '../common/index.js';
import type { Backend, Migration, Queryable, SqlValue } from '../store/index.js';
import type { StoredSample } from './types.js';

/** The latest of each pair among the samples already stored; ties on time go to the later id, as {@link recordLatest} decides them. */
const BACKFILL = `SELECT s.node, s.metric, MAX(s.id), s.time FROM samples s
  JOIN (SELECT node, metric, MAX(time) AS t FROM samples GROUP BY node, metric) m ON s.node = m.node AND s.metric = m.metric AND s.time = m.t
  GROUP BY s.node, s.metric, s.time`;

/** Collector migration 2: the table, filled from the samples already stored (re-runnable: MySQL's DDL is not transactional). */
export const latestSamplesMigration: Migration = {
  stage: 'collector',
  version: 2,
  name: 'latest sample per node and metric',
  steps: [
    {
      createTable: {
        name: 'latest_samples',
        columns: [
          { name: 'node', type: 'varchar', length: 255, notNull: true, binary: true },
          { name: 'metric', type: 'varchar', length: 255, notNull: true, binary: true },
          { name: 'sample_id', type: 'bigint', notNull: true },
          { name: 'time', type: 'datetime', notNull: true },
        ],
        primaryKey: ['node', 'metric'],
        indexes: [{ name: 'latest_samples_time', columns: ['time'] }],
      },
    },
    {
      sql: {
        sqlite: `INSERT OR IGNORE INTO latest_samples (node, metric, sample_id, time) ${BACKFILL}`,
        mysql: `INSERT IGNORE INTO latest_samples (node, metric, sample_id, time) ${BACKFILL}`,
      },
    },
  ],
};

/** Rows per statement: well under SQLite's and MySQL's bound-parameter limits (4 per row), and a few milliseconds of work. */
const CHUNK = 200;

/** Whether `a` is later than `b`: by time, then by id (a later write at the same instant wins). */
const later = (a: StoredSample, b: StoredSample) => a.time.getTime() > b.time.getTime() || (a.time.getTime() === b.time.getTime() && a.id > b.id);

/**
 * Inside the write transaction: makes each pair's row name the newest of `samples` unless the stored one is newer
 * (a sample that arrives late, with an older time, never replaces a newer latest).
 */
export async function recordLatest(tx: Queryable, backend: Backend, samples: readonly StoredSample[]): Promise<void> {
  // In time-boxed slices (SQLite runs inline): 100,000 samples held the event loop for a third of a second here.
  const slice = new Slice();
  const newest = new Map<string, StoredSample>();
  for (let i = 0; i < samples.length; i++) {
    if ((i & 1023) === 1023) await slice.yieldIfDue();
    const s = samples[i]!;
    const key = `${s.node}\u0000${s.metric}`;
    const seen = newest.get(key);
    if (!seen || later(s, seen)) newest.set(key, s);
  }
  const rows = [...newest.values()];
  for (let i = 0; i < rows.length; i += CHUNK) {
    await slice.yieldIfDue();
    const chunk = rows.slice(i, i + CHUNK);
    const values = chunk.map(() => '(?, ?, ?, ?)').join(', ');
    const params: SqlValue[] = chunk.flatMap((s) => [s.node, s.metric, s.id, s.time]);
    const sql =
      backend === 'mysql'
        ? // MySQL assigns left to right: sample_id is decided while `time` still holds the stored value.
          `INSERT INTO latest_samples (node, metric, sample_id, time) VALUES ${values} ON DUPLICATE KEY UPDATE
           sample_id = IF(VALUES(time) > time OR (VALUES(time) = time AND VALUES(sample_id) > sample_id), VALUES(sample_id), sample_id),
           time = IF(VALUES(time) > time, VALUES(time), time)`
        : `INSERT INTO latest_samples (node, metric, sample_id, time) VALUES ${values} ON CONFLICT (node, metric) DO UPDATE
           SET sample_id = excluded.sample_id, time = excluded.time
           WHERE excluded.time > latest_samples.time OR (excluded.time = latest_samples.time AND excluded.sample_id > latest_samples.sample_id)`;
    await tx.execute(sql, params);
  }
}

/** Retention: drops the rows whose latest sample was older than `cutoff` (and so was just deleted with every other of its pair). */
export async function forgetLatestBefore(store: Pick<Queryable, 'execute'>, cutoff: Date): Promise<number> {
  return (await store.execute('DELETE FROM latest_samples WHERE time < ?', [cutoff])).changes;
}
