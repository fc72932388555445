/**
 * The Monitoring Repository (DataGrid WP4 MR): every sample keyed by (node, metric, time), range and latest
 * queries, subscriptions notified after commit in commit order, and retention clean-up.
 */
import { AppError, mapInSlices, silentLogger, Slice, systemClock, toSqlDateTime, type Clock, type Logger } from '../common/index.js';
import type { SqlValue, Store } from '../store/index.js';
import { MetricCatalog, type MetricInfo } from './metric-catalog.js';
import { checkSamples } from './sample-validation.js';
import { forgetLatestBefore } from './latest-samples.js';
import { inList, SAMPLE_SELECT, toStoredSample } from './sample-rows.js';
import { SampleWriter, type WriteJob } from './sample-writer.js';
import type { CollectorSettings } from './settings.js';
import { isPattern } from './globs.js';
import { Subscriptions, type Notify, type Subscription } from './subscriptions.js';
import type { SampleInput, StoredSample } from './types.js';

/** The repository's API, as WP4 names it (plus `readAfter` for the InfluxDB export's cursor). */
export interface MonitoringRepository {
  insertSample(sample: SampleInput): Promise<StoredSample>;
  /** Inserts all in one transaction; subscribers are notified after it commits. */
  insertSamples(samples: readonly SampleInput[]): Promise<StoredSample[]>;
  /** Samples with `start <= time <= end`, by node, metric, time; an empty list means every node (metric). */
  getSamples(nodes: readonly string[], metrics: readonly string[], start: Date, end: Date, options?: { limit?: number }): Promise<StoredSample[]>;
  /** The latest sample of each (node, metric) pair; an empty list means all. */
  getLastSamples(nodes: readonly string[], metrics: readonly string[]): Promise<StoredSample[]>;
  /** Samples with `id > afterId`, ascending id; committed ids never appear behind a cursor that has passed them. */
  readAfter(afterId: number, limit: number): Promise<StoredSample[]>;
  /** `node`/`metric` are exact names or globs (`*`, `?`). Under the `reject` policy an exact undeclared metric is an error. */
  subscribe(nodePattern: string, metricPattern: string, notify: Notify): Subscription;
  /** Removes a subscription, or every subscription of `notify`; returns how many. */
  unsubscribe(target: Subscription | Notify): number;
  /** Deletes samples and probe records older than the retention (or than `before`); returns the counts. */
  cleanUp(before?: Date): Promise<{ samples: number; records: number }>;
  /** The `metrics` table. */
  metrics(): Promise<MetricInfo[]>;
  /** The number of live subscriptions. */
  subscriberCount(): number;
}

export interface RepositoryParts {
  repository: MonitoringRepository;
  writer: SampleWriter;
  catalog: MetricCatalog;
}

export interface RepositoryOptions {
  store: Store;
  settings: () => CollectorSettings;
  clock?: Clock;
  logger?: Logger;
  /** Called after each commit with its samples (self-metrics). */
  onCommit?: (samples: readonly StoredSample[]) => void;
}

const DELETE_CHUNK = 10_000;
/** Samples per piece of the after-commit bookkeeping. */
const AFTER_COMMIT_CHUNK = 2_000;
const DEFAULT_LIMIT = 100_000;

export function createMonitoringRepository(options: RepositoryOptions): RepositoryParts {
  const store = options.store;
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const subscriptions = new Subscriptions(logger);
  const catalog = new MetricCatalog(store, () => options.settings().unknownMetrics, clock);
  const writer = new SampleWriter({
    store,
    beforeInsert: (tx, samples) => catalog.declareNew(tx, samples),
    afterCommit: async (samples) => {
      // Bookkeeping in time-boxed pieces (a commit may hold 100,000 samples); subscribers still get one call per commit.
      const slice = new Slice();
      for (let i = 0; i < samples.length; i += AFTER_COMMIT_CHUNK) {
        if (i > 0) await slice.yieldIfDue();
        const part = samples.length <= AFTER_COMMIT_CHUNK ? samples : samples.slice(i, i + AFTER_COMMIT_CHUNK);
        catalog.committed(part);
        options.onCommit?.(part);
      }
      subscriptions.deliver(samples);
    },
  });

  const insertSamples = async (input: readonly SampleInput[]): Promise<StoredSample[]> => {
    const samples = await checkSamples(input);
    catalog.check(samples);
    if (!samples.length) return [];
    const job: WriteJob<null> = async (ctx) => {
      const first = ctx.reserve(samples.length);
      return { samples: await mapInSlices(samples, (s, i) => ({ ...s, id: first + i })), result: null };
    };
    return (await writer.submit(job, samples.length)).samples;
  };

  const where = (clauses: ({ sql: string; params: SqlValue[] } | undefined)[]) => {
    const used = clauses.filter((c): c is { sql: string; params: SqlValue[] } => c !== undefined);
    return { sql: used.length ? ` WHERE ${used.map((c) => c.sql).join(' AND ')}` : '', params: used.flatMap((c) => c.params) };
  };

  const repository: MonitoringRepository = {
    insertSample: async (sample) => (await insertSamples([sample]))[0]!,
    insertSamples,

    async getSamples(nodes, metrics, start, end, opts = {}) {
      const w = where([inList('node', nodes), inList('metric', metrics), { sql: 'time >= ? AND time <= ?', params: [start, end] }]);
      const limit = Math.max(1, Math.min(opts.limit ?? DEFAULT_LIMIT, DEFAULT_LIMIT));
      const rows = await store.query(`${SAMPLE_SELECT}${w.sql} ORDER BY node, metric, time, id LIMIT ${limit}`, w.params);
      return rows.map(toStoredSample);
    },

    async getLastSamples(nodes, metrics) {
      const w = where([inList('l.node', nodes), inList('l.metric', metrics)]);
      // One row per pair, kept with every write (latest-samples.ts), joined to its sample by primary key.
      const rows = await store.query(
        `SELECT s.id, s.node, s.metric, s.time, s.value, s.source, s.summary, s.details, s.tags
         FROM latest_samples l JOIN samples s ON s.id = l.sample_id${w.sql}
         ORDER BY s.node, s.metric`,
        w.params,
      );
      return rows.map(toStoredSample);
    },

    async readAfter(afterId, limit) {
      const n = Math.max(1, Math.min(Math.floor(limit), DEFAULT_LIMIT));
      const rows = await store.query(`${SAMPLE_SELECT} WHERE id > ? ORDER BY id LIMIT ${n}`, [afterId]);
      return rows.map(toStoredSample);
    },

    subscribe(nodePattern, metricPattern, notify) {
      if (!nodePattern || !metricPattern) throw new AppError('bad_request', 'subscribe needs a node and a metric (names or patterns with * and ?)');
      if (!isPattern(metricPattern) && options.settings().unknownMetrics === 'reject' && !catalog.isConfigured(metricPattern)) {
        throw new AppError('bad_request', `cannot subscribe to metric "${metricPattern}": it is not declared in a Metrics class`, { metric: metricPattern });
      }
      return subscriptions.add(nodePattern, metricPattern, notify);
    },
    unsubscribe: (target) => subscriptions.remove(target),

    async cleanUp(before) {
      const days = options.settings().retentionDays;
      if (!before && days <= 0) return { samples: 0, records: 0 };
      const cutoff = before ?? new Date(clock().getTime() - days * 86_400_000);
      const samples = await deleteOlder(store, 'samples', cutoff);
      // A pair whose latest sample was older than the cutoff has no samples left: its latest row goes too.
      await forgetLatestBefore(store, cutoff);
      const records = await deleteOlder(store, 'probe_records', cutoff);
      if (samples || records) logger.info('collector: retention clean-up', { samples, records, before: toSqlDateTime(cutoff) });
      return { samples, records };
    },

    metrics: () => catalog.list(),
    subscriberCount: () => subscriptions.size,
  };
  return { repository, writer, catalog };
}

/** Deletes in chunks, so a long backlog never holds one huge transaction (or MySQL's locks) for long. */
async function deleteOlder(store: Store, table: 'samples' | 'probe_records', cutoff: Date): Promise<number> {
  const sql =
    store.backend === 'mysql'
      ? `DELETE FROM ${table} WHERE time < ? LIMIT ${DELETE_CHUNK}`
      : `DELETE FROM ${table} WHERE id IN (SELECT id FROM ${table} WHERE time < ? LIMIT ${DELETE_CHUNK})`;
  let total = 0;
  for (;;) {
    const { changes } = await store.execute(sql, [cutoff]);
    total += changes;
    if (changes < DELETE_CHUNK) return total;
  }
}
