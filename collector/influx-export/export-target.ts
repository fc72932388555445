/** One export target: a loop that reads samples after the cursor, writes them, and moves the cursor once acknowledged. */
import { HttpError, InfluxDB, type WriteApi } from '@influxdata/influxdb-client';
import { backoff, errorMessage, type Clock, type Logger } from '../../common/index.js';
import { loadCursor, saveCursor, type CursorStore } from './cursor.js';
import { globMatcher } from '../globs.js';
import type { StoredSample } from '../types.js';
import { sampleToLine } from './sample-to-line.js';
import type { InfluxExportSettings } from './settings.js';

/** Where the export reads samples: ascending by id, after `id`, at most `limit`. */
export interface SampleFeed {
  readAfter(id: number, limit: number): Promise<StoredSample[]>;
}

/** What a target reports; `createInfluxExport` turns these into Prometheus metrics. */
export interface TargetEvents {
  written(lines: number): void;
  /** A write attempt failed and will be retried (`retry`), or the server refused lines for good (`refused`). */
  failed(reason: 'retry' | 'refused', lines: number): void;
  cursor(id: number): void;
}

/** What one pass of the loop found: more to read now, nothing new, or a failure to retry after a delay. */
type Outcome = { kind: 'more' } | { kind: 'idle' } | { kind: 'retry'; afterMs?: number };

/** Statuses that will fail the same way however often they are retried: the server refuses these points. */
const REFUSED = new Set([400, 422]);

function retryAfterMs(err: unknown): number | undefined {
  if (!(err instanceof HttpError)) return undefined;
  const header = err.headers?.['retry-after'];
  const text = Array.isArray(header) ? header[0] : header;
  // Seconds, as HTTP says (the client itself reads the number as milliseconds).
  return text && /^\d+$/.test(text) ? Number(text) * 1000 : undefined;
}

/** The WriteApi for a target: our own loop batches and retries, so the client sends once per `flush` and never retries. */
function createWriteApi(s: InfluxExportSettings): WriteApi {
  const headers: Record<string, string> = {};
  if (s.mode === 'v1' && s.username) headers.authorization = `Basic ${Buffer.from(`${s.username}:${s.password}`).toString('base64')}`;
  const influx = new InfluxDB({ url: s.url, token: s.mode === 'v2' ? s.token : '', timeout: s.timeoutMs });
  const api = influx.getWriteApi(s.org, s.bucket, 'ms', {
    // One more than we ever buffer, so writeRecords never sends by itself (its errors would be swallowed).
    batchSize: s.batchSize + 1,
    maxBatchBytes: Number.MAX_SAFE_INTEGER,
    flushInterval: 0,
    // Retries stay ours: the client's in-memory retry buffer would re-send lines our cursor also re-reads.
    maxRetries: 0,
    headers,
  });
  if (s.mode === 'v1') {
    const rp = s.retentionPolicy ? `&rp=${encodeURIComponent(s.retentionPolicy)}` : '';
    api.path = `/write?db=${encodeURIComponent(s.database)}${rp}&precision=ms`;
  }
  return api;
}

/** One export target's loop. `start` resolves once the cursor is loaded; `stop` waits for the write in flight. */
export class ExportTarget {
  private readonly api: WriteApi;
  private readonly selected: (s: StoredSample) => boolean;
  private cursorId = 0;
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private failures = 0;
  /** The effective batch size, halved while the server answers 413. */
  private batchSize: number;
  /** When the target last had nothing left to write (undefined: behind since it started). */
  caughtUpAt: Date | undefined;
  readonly startedAt: Date;

  constructor(
    readonly settings: InfluxExportSettings,
    private readonly feed: SampleFeed,
    private readonly store: CursorStore,
    private readonly events: TargetEvents,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {
    this.api = createWriteApi(settings);
    const metric = globMatcher(settings.metrics);
    const node = globMatcher(settings.nodes);
    this.selected = (s) => metric(s.metric) && node(s.node);
    this.batchSize = settings.batchSize;
    this.startedAt = clock();
  }

  async start(): Promise<void> {
    this.cursorId = await loadCursor(this.store, this.settings.name);
    this.events.cursor(this.cursorId);
    this.running = true;
    this.loop = this.run();
  }

  /** Stops after the write in flight, sends whatever the client still holds, and closes it. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    // The client holds nothing between passes (each pass flushes); flush(true) first in any case, since close()
    // discards the retry buffer.
    await this.api.flush(true).catch((err: unknown) => this.logger.warn(`influx export ${this.settings.name}: final flush failed: ${errorMessage(err)}`));
    await this.api.close().catch(() => undefined);
  }

  /** Reads the feed now instead of at the next poll (e.g. after samples were inserted). */
  poke(): void {
    this.wake?.();
  }

  private async run(): Promise<void> {
    while (this.running) {
      let outcome: Outcome;
      try {
        outcome = await this.pass();
      } catch (err) {
        // The store failed (reading samples or saving the cursor): nothing was lost, try again later.
        this.logger.error(`influx export ${this.settings.name}: ${errorMessage(err)}`);
        outcome = { kind: 'retry' };
      }
      if (outcome.kind !== 'retry') this.failures = 0;
      if (outcome.kind === 'more') continue;
      if (outcome.kind === 'idle') await this.sleep(this.settings.pollIntervalMs);
      else {
        this.failures++;
        // Jittered, so appliances that lost one server together do not all come back to it in the same instant.
        const delay = backoff(this.failures, { baseMs: this.settings.minRetryDelayMs, capMs: this.settings.maxRetryDelayMs, jitter: 0.5 });
        await this.sleep(outcome.afterMs ?? delay);
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(this.timer);
        this.wake = undefined;
        resolve();
      };
      this.wake = done;
      this.timer = setTimeout(done, ms);
    });
  }

  private async pass(): Promise<Outcome> {
    const batch = await this.feed.readAfter(this.cursorId, this.batchSize);
    if (!batch.length) {
      this.caughtUpAt = this.clock();
      return { kind: 'idle' };
    }
    const lines: string[] = [];
    for (const sample of batch) {
      if (!this.selected(sample)) continue;
      const line = sampleToLine(sample);
      if (line) lines.push(line);
    }
    if (lines.length) {
      this.api.writeRecords(lines);
      try {
        await this.api.flush();
      } catch (err) {
        return this.failed(err, lines.length, batch);
      }
      this.events.written(lines.length);
    }
    await this.advance(batch);
    if (batch.length < this.batchSize) {
      this.caughtUpAt = this.clock();
      // Grow back towards the configured size after a 413 made it smaller.
      this.batchSize = Math.min(this.batchSize * 2, this.settings.batchSize);
      return { kind: 'idle' };
    }
    return { kind: 'more' };
  }

  private async advance(batch: readonly StoredSample[]): Promise<void> {
    const last = batch[batch.length - 1]!.id;
    await saveCursor(this.store, this.settings.name, last, this.clock());
    this.cursorId = last;
    this.events.cursor(last);
  }

  private async failed(err: unknown, lines: number, batch: readonly StoredSample[]): Promise<Outcome> {
    const name = this.settings.name;
    if (err instanceof HttpError && err.statusCode === 413 && this.batchSize > 1) {
      this.batchSize = Math.max(1, Math.floor(this.batchSize / 2));
      this.logger.warn(`influx export ${name}: the server refused ${lines} lines as too large; retrying ${this.batchSize} at a time`);
      return { kind: 'more' };
    }
    if (err instanceof HttpError && (REFUSED.has(err.statusCode) || err.statusCode === 413)) {
      // Retrying cannot help (a type conflict, a point outside the retention policy): count them, log once, move on.
      this.events.failed('refused', lines);
      this.logger.error(`influx export ${name}: the server refused samples ${batch[0]!.id}..${batch[batch.length - 1]!.id} (${lines} lines): ${err.statusCode} ${err.message}`);
      await this.advance(batch);
      return { kind: 'more' };
    }
    this.events.failed('retry', lines);
    const level = this.failures === 0 ? 'warn' : 'debug';
    this.logger[level](`influx export ${name}: write failed, will retry (samples after ${this.cursorId} stay queued): ${errorMessage(err)}`);
    return { kind: 'retry', afterMs: retryAfterMs(err) };
  }
}
