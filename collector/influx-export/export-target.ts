/** One export target: while it holds the cursor's lease, a loop that reads samples after it, writes them, and advances it once acknowledged. */
import { HttpError, InfluxDB, type WriteApi } from '@influxdata/influxdb-client';
import { backoff, errorMessage, type Clock, type Logger, type Scheduler } from '../../common/index.js';
import type { CursorLease, Cursors } from '../../queue/index.js';
import { exportCursorName } from './export-schema.js';
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
  /** This instance took the cursor's lease (true) or lost or gave it up (false). */
  holding(held: boolean): void;
}

/** What one pass found: more to read now, nothing new, a failure to retry after a delay, or the lease gone. */
type Outcome = { kind: 'more' } | { kind: 'idle' } | { kind: 'retry'; afterMs?: number } | { kind: 'lost' };

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

/** Who this target is among the appliances sharing the store, and where its cursor's lease is kept. */
export interface TargetLeases {
  cursors: Cursors;
  /** This instance's name in the lease (unique per process). */
  owner: string;
}

/**
 * One export target's loop. Only the instance holding the lease on the export's cursor writes; the others stand by
 * and try to take it every poll interval, which succeeds once the holder released it (stop) or its lease expired
 * (a crash or a stall). `start` resolves after the first try; `stop` waits for the write in flight, then releases.
 */
export class ExportTarget {
  private readonly api: WriteApi;
  private readonly selected: (s: StoredSample) => boolean;
  private readonly cursorName: string;
  private lease: CursorLease | undefined;
  /** When to renew the lease, and when the next pass may run (epoch ms; idle polls and retry delays set it). */
  private renewAt = 0;
  private nextPassAt = 0;
  private running = false;
  /** The turn in flight, and whether a poke arrived meanwhile (then the next turn runs at once). */
  private inflight: Promise<void> | undefined;
  private pokedWhileBusy = false;
  private timer: unknown;
  /** The last pass found nothing new: the wait until nextPassAt is an idle poll, which a poke may cut short. */
  private idle = false;
  private failures = 0;
  /** The effective batch size, halved while the server answers 413. */
  private batchSize: number;
  /** When the target last had nothing left to write (undefined: behind since it took the lease). */
  caughtUpAt: Date | undefined;
  /** When it started, or last took the lease. */
  startedAt: Date;

  constructor(
    readonly settings: InfluxExportSettings,
    private readonly feed: SampleFeed,
    private readonly leases: TargetLeases,
    private readonly events: TargetEvents,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly scheduler: Scheduler,
  ) {
    this.api = createWriteApi(settings);
    const metric = globMatcher(settings.metrics);
    const node = globMatcher(settings.nodes);
    this.selected = (s) => metric(s.metric) && node(s.node);
    this.batchSize = settings.batchSize;
    this.startedAt = clock();
    this.cursorName = exportCursorName(settings.name);
  }

  /** Whether this instance holds the export's lease, so it is the one writing. */
  get holding(): boolean {
    return this.lease !== undefined;
  }

  async start(): Promise<void> {
    // One try now: a lone appliance exports at once, and a store that does not answer fails the start, as before.
    if (!(await this.acquire())) {
      this.events.holding(false);
      this.logger.info(`influx export ${this.settings.name}: another appliance holds the export; standing by`);
    }
    this.running = true;
    this.schedule(0);
  }

  /** Stops after the write in flight, releases the lease (another instance takes over at once), and closes the client. */
  async stop(): Promise<void> {
    this.running = false;
    this.scheduler.clearTimeout(this.timer);
    this.timer = undefined;
    await this.inflight;
    const lease = this.lease;
    this.lease = undefined;
    if (lease) {
      this.events.holding(false);
      // Not released, the lease still expires: the others wait out the lease instead of taking over now.
      await lease.release(this.clock()).catch((err: unknown) => this.logger.warn(`influx export ${this.settings.name}: releasing the lease failed: ${errorMessage(err)}`));
    }
    // The client holds nothing between passes (each pass flushes); flush(true) first in any case, since close()
    // discards the retry buffer.
    await this.api.flush(true).catch((err: unknown) => this.logger.warn(`influx export ${this.settings.name}: final flush failed: ${errorMessage(err)}`));
    await this.api.close().catch(() => undefined);
  }

  /** Reads the feed now instead of at the next poll (e.g. after samples were inserted); a standby instance ignores it. */
  poke(): void {
    if (!this.lease || !this.running) return;
    // Only an idle poll is cut short: a retry's backoff stands.
    if (this.idle) this.nextPassAt = 0;
    if (this.inflight) this.pokedWhileBusy = true;
    else this.schedule(0);
  }

  /**
   * One turn of the loop, what its timer runs: take or renew the lease, write a batch when one is due. Resolves with
   * the milliseconds until the next turn is due; a store failure is logged and backed off, never thrown.
   */
  async turn(): Promise<number> {
    try {
      return await this.step();
    } catch (err) {
      // The store failed (the lease, reading samples, advancing): nothing was lost, try again later.
      this.logger.error(`influx export ${this.settings.name}: ${errorMessage(err)}`);
      this.retryLater();
      // Back off, but wake for a renewal that is still ahead: a store back in time keeps the lease.
      const now = this.clock().getTime();
      return Math.min(this.nextPassAt, this.lease && this.renewAt > now ? this.renewAt : Infinity) - now;
    }
  }

  private async acquire(): Promise<boolean> {
    const now = this.clock();
    const lease = await this.leases.cursors.acquire(this.cursorName, this.leases.owner, this.settings.leaseMs, now);
    if (!lease) return false;
    this.lease = lease;
    this.renewAt = now.getTime() + lease.leaseMs / 3;
    this.nextPassAt = 0;
    this.startedAt = now;
    this.caughtUpAt = undefined;
    this.events.holding(true);
    this.events.cursor(lease.position);
    this.logger.info(`influx export ${this.settings.name}: this appliance exports (lease ${this.leases.owner}), from sample ${lease.position}`);
    return true;
  }

  /** Stands by after the lease was taken over; returns the wait before trying to take it back (none: try now). */
  private lost(): number {
    this.lease = undefined;
    this.events.holding(false);
    // Its last batch may have been written by the new holder as well: the same points, which InfluxDB stores once.
    this.logger.warn(`influx export ${this.settings.name}: the lease expired and another appliance took the export over; standing by`);
    return 0;
  }

  /** Runs the next turn after `ms` on the scheduler; turns never overlap. */
  private schedule(ms: number): void {
    if (!this.running) return;
    this.scheduler.clearTimeout(this.timer);
    this.timer = this.scheduler.setTimeout(() => {
      this.timer = undefined;
      this.inflight = this.turn().then((wait) => {
        this.inflight = undefined;
        const again = this.pokedWhileBusy;
        this.pokedWhileBusy = false;
        this.schedule(again ? 0 : wait);
      });
    }, Math.min(Math.max(0, ms), 2 ** 31 - 1));
  }

  /** Takes or renews the lease, then writes a batch when one is due; returns the wait until the next turn. */
  private async step(): Promise<number> {
    if (!this.lease) return (await this.acquire()) ? 0 : this.settings.pollIntervalMs;
    const now = this.clock().getTime();
    if (now >= this.renewAt) {
      if (!(await this.lease.renew(new Date(now)))) return this.lost();
      this.renewAt = now + this.lease.leaseMs / 3;
    }
    // Idle and retry waits are cut short by the renewal, so a long backoff never lets the lease run out.
    if (now < this.nextPassAt) return Math.min(this.nextPassAt, this.renewAt) - now;
    const outcome = await this.pass(this.lease);
    this.idle = outcome.kind === 'idle';
    if (outcome.kind === 'lost') return this.lost();
    if (outcome.kind === 'retry') {
      this.retryLater(outcome.afterMs);
      return 0;
    }
    this.failures = 0;
    this.nextPassAt = outcome.kind === 'idle' ? this.clock().getTime() + this.settings.pollIntervalMs : 0;
    return 0;
  }

  private retryLater(afterMs?: number): void {
    this.failures++;
    // Jittered, so appliances that lost one server together do not all come back to it in the same instant.
    const delay = backoff(this.failures, { baseMs: this.settings.minRetryDelayMs, capMs: this.settings.maxRetryDelayMs, jitter: 0.5 });
    this.nextPassAt = this.clock().getTime() + (afterMs ?? delay);
  }

  private async pass(lease: CursorLease): Promise<Outcome> {
    const batch = await this.feed.readAfter(lease.position, this.batchSize);
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
        return this.failed(err, lines.length, batch, lease);
      }
      this.events.written(lines.length);
    }
    if (!(await this.advance(batch, lease))) return { kind: 'lost' };
    if (batch.length < this.batchSize) {
      this.caughtUpAt = this.clock();
      // Grow back towards the configured size after a 413 made it smaller.
      this.batchSize = Math.min(this.batchSize * 2, this.settings.batchSize);
      return { kind: 'idle' };
    }
    return { kind: 'more' };
  }

  /** Advances the cursor past `batch`; false when the lease is gone (a stale holder moves nothing). */
  private async advance(batch: readonly StoredSample[], lease: CursorLease): Promise<boolean> {
    const last = batch[batch.length - 1]!.id;
    const now = this.clock();
    if (!(await lease.advance(last, now))) return false;
    this.renewAt = now.getTime() + lease.leaseMs / 3;
    this.events.cursor(last);
    return true;
  }

  private async failed(err: unknown, lines: number, batch: readonly StoredSample[], lease: CursorLease): Promise<Outcome> {
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
      return (await this.advance(batch, lease)) ? { kind: 'more' } : { kind: 'lost' };
    }
    this.events.failed('retry', lines);
    const level = this.failures === 0 ? 'warn' : 'debug';
    this.logger[level](`influx export ${name}: write failed, will retry (samples after ${lease.position} stay queued): ${errorMessage(err)}`);
    return { kind: 'retry', afterMs: retryAfterMs(err) };
  }
}
