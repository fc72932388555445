/**
 * Forwards stored RSV records to the outboxes: while it holds the lease on cursor `nagios:rsv`, a loop reads the
 * records after the cursor (commit order), turns them into results and queues them in the transaction that advances
 * the cursor, so each record is queued once, across crashes and takeovers. Woken by the collector's commits in this
 * process, polling otherwise (records written by other appliances on the same store).
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import { backoff, errorMessage, type Clock, type Logger, type Scheduler } from '../common/index.js';
import { createCursors, QueueFullError, type CursorLease } from '../queue/index.js';
import type { Store, Transaction } from '../store/index.js';
import { rsvRecordResult, type RsvRecord } from './rsv-record-results.js';
import type { NagiosBridgeSettings } from './settings.js';
import type { PassiveResult } from './types.js';

/** The leased cursor over `probe_records` (its position: the sample id of the last record handled). */
export const RSV_CURSOR = 'nagios:rsv';

/** Where the records come from: the collector's record feed. */
export interface RsvRecordFeed {
  readAfter(afterSampleId: number, limit: number): Promise<RsvRecord[]>;
  lastSampleId(): Promise<number>;
}

/** Queues `results` in one transaction that runs `within` first; resolves with the results no route takes (not queued). */
export type QueueWithin = (results: readonly PassiveResult[], within: (tx: Transaction) => Promise<void>) => Promise<PassiveResult[]>;

export interface RsvForwarderOptions {
  store: Store;
  feed: RsvRecordFeed;
  /** This process in the cursor's lease. */
  owner: string;
  settings: () => NagiosBridgeSettings;
  queue: QueueWithin;
  clock: Clock;
  scheduler: Scheduler;
  logger: Logger;
  registry?: Registry;
  /** Wait between looks when idle or standing by (default 1 s). */
  pollMs?: number;
}

export interface RsvForwarder {
  start(): void;
  /** Stops after the pass in flight and releases the lease, so another appliance takes over at once. */
  stop(): Promise<void>;
  /** New records were committed in this process (or the settings changed): look now rather than at the next poll. */
  wake(): void;
  /** One turn of the loop as its timer runs it; resolves with the wait before the next (undefined: forwarding is off). */
  tick(): Promise<number | undefined>;
}

/** The cursor moved under us: another appliance took the lease over. */
class LeaseLost extends Error {}

export function createRsvForwarder(options: RsvForwarderOptions): RsvForwarder {
  const { store, feed, owner, clock, scheduler, logger } = options;
  const pollMs = options.pollMs ?? 1000;
  const cursors = createCursors(store);
  const registers = options.registry ? [options.registry] : [];
  const records = new Counter({
    name: 'appliance_nagios_rsv_records_total',
    help: 'Stored RSV records the bridge handled: queued (for every routed target), skipped (a name Nagios cannot take), unrouted (no route takes it).',
    labelNames: ['outcome'] as const,
    registers,
  });
  const cursorGauge = new Gauge({ name: 'appliance_nagios_rsv_cursor', help: 'Sample id of the last RSV record the bridge handled.', registers });
  const holdingGauge = new Gauge({ name: 'appliance_nagios_rsv_holding', help: '1 while this appliance holds the RSV cursor and forwards; 0 standing by or off.', registers });

  let held: { lease: CursorLease; position: number; renewAt: number } | undefined;
  let running = false;
  let timer: unknown;
  let inflight: Promise<void> | undefined;
  let again = false;
  let idle = false;
  let nextPassAt = 0;
  let failures = 0;
  /** Records per pass: halved while an outbox has no room for a whole batch, grown back after. */
  let batchLimit = Infinity;
  let outboxFull = false;

  const leaseMs = () => options.settings().rsv.leaseMs;

  /** Takes the lease; the first time ever with start "now", the cursor is placed after the records stored so far. */
  const acquire = async (now: Date): Promise<boolean> => {
    const s = options.settings();
    if (s.rsv.start === 'now' && !(await cursors.read(RSV_CURSOR))) {
      const last = await feed.lastSampleId();
      // Created and placed in one commit: a crash in between must not leave a new cursor at 0 (the beginning).
      if (last > 0) {
        await store.transaction(async (tx) => {
          const fresh = await createCursors(tx).acquire(RSV_CURSOR, owner, s.rsv.leaseMs, now);
          if (fresh && fresh.position === 0) await fresh.advance(last, now);
        });
      }
    }
    const lease = await cursors.acquire(RSV_CURSOR, owner, s.rsv.leaseMs, now);
    if (!lease) return false;
    held = { lease, position: lease.position, renewAt: now.getTime() + lease.leaseMs / 3 };
    holdingGauge.set(1);
    cursorGauge.set(lease.position);
    idle = false;
    nextPassAt = 0;
    logger.info(`nagios bridge: this appliance forwards RSV records (lease ${owner}), after sample id ${lease.position}`);
    return true;
  };

  const lost = (): number => {
    held = undefined;
    holdingGauge.set(0);
    logger.warn('nagios bridge: another appliance took the RSV cursor over; standing by');
    return pollMs;
  };

  const release = async () => {
    const h = held;
    held = undefined;
    holdingGauge.set(0);
    if (h) await h.lease.release(clock()).catch((err: unknown) => logger.warn(`nagios bridge: releasing the RSV cursor failed: ${errorMessage(err)}`));
  };

  /** One batch: read after the cursor, queue what routes take, advance; the answer is the wait before the next. */
  const pass = async (h: NonNullable<typeof held>): Promise<number> => {
    const s = options.settings();
    const batch = await feed.readAfter(h.position, Math.min(batchLimit, s.batchSize));
    if (!batch.length) {
      idle = true;
      nextPassAt = clock().getTime() + pollMs;
      return pollMs;
    }
    const results: PassiveResult[] = [];
    const skipped: string[] = [];
    for (const r of batch) {
      const m = rsvRecordResult(r, s.rsv, s.entries.maxOutputBytes);
      if ('problem' in m) skipped.push(`sample id ${r.sampleId} (${r.metricName}): ${m.problem}`);
      else results.push(m);
    }
    const from = h.position;
    const last = batch[batch.length - 1]!.sampleId;
    const now = clock();
    let unrouted: PassiveResult[];
    try {
      unrouted = await options.queue(results, async (tx) => {
        // First in the transaction: it takes the cursor's row lock, so a second holder waits here and then sees the move.
        const inTx = await createCursors(tx).acquire(RSV_CURSOR, owner, s.rsv.leaseMs, now);
        if (!inTx || inTx.position !== from || !(await inTx.advance(last, now))) throw new LeaseLost();
      });
    } catch (err) {
      if (err instanceof LeaseLost) return lost();
      if (err instanceof QueueFullError) {
        // The records stay in the store behind the cursor: nothing is lost. A smaller batch may fit at once; a single
        // record waits for the outbox to drain (looked at every poll: the Retry-After is for HTTP clients).
        if (batch.length > 1) {
          batchLimit = Math.max(1, Math.floor(batch.length / 2));
          return 0;
        }
        if (!outboxFull) logger.warn(`nagios bridge: RSV records after sample id ${from} wait for room: ${err.message}`);
        outboxFull = true;
        nextPassAt = now.getTime() + pollMs;
        return pollMs;
      }
      throw err;
    }
    h.position = last;
    outboxFull = false;
    batchLimit = batchLimit === Infinity ? batchLimit : Math.min(batchLimit * 2, s.batchSize);
    h.renewAt = now.getTime() + s.rsv.leaseMs / 3;
    cursorGauge.set(last);
    records.inc({ outcome: 'queued' }, results.length - unrouted.length);
    if (skipped.length) {
      records.inc({ outcome: 'skipped' }, skipped.length);
      logger.warn(`nagios bridge: ${skipped.length} RSV record(s) cannot be Nagios results and are skipped; first: ${skipped[0]!}`);
    }
    if (unrouted.length) {
      records.inc({ outcome: 'unrouted' }, unrouted.length);
      const u = unrouted[0]!;
      logger.warn(`nagios bridge: ${unrouted.length} RSV record(s) match no target's routes and are not forwarded; first: service "${u.service ?? ''}" on host "${u.host}"`);
    }
    idle = false;
    nextPassAt = 0;
    return 0;
  };

  const step = async (): Promise<number | undefined> => {
    if (!options.settings().rsv.forward) {
      await release();
      return undefined;
    }
    const now = clock();
    if (!held) return (await acquire(now)) ? 0 : pollMs;
    if (now.getTime() >= held.renewAt) {
      if (!(await held.lease.renew(now))) return lost();
      held.renewAt = now.getTime() + leaseMs() / 3;
    }
    // An idle poll or a retry's wait is cut short by the renewal, so the lease never runs out while waiting.
    if (now.getTime() < nextPassAt) return Math.min(nextPassAt, held.renewAt) - now.getTime();
    const wait = await pass(held);
    failures = 0;
    return held ? Math.min(wait, Math.max(0, held.renewAt - clock().getTime())) : wait;
  };

  const turn = async (): Promise<number | undefined> => {
    try {
      return await step();
    } catch (err) {
      // The store failed (reading, the lease, the commit): the transaction rolled back, the records wait behind the cursor.
      failures++;
      const s = options.settings();
      const delay = backoff(failures, { baseMs: s.retryMinMs, capMs: s.retryMaxMs, jitter: 0.5 });
      const message = `nagios bridge: forwarding RSV records failed, retrying in ${delay} ms: ${errorMessage(err)}`;
      // Said once per outage; the retries after it go to debug.
      if (failures === 1) logger.error(message);
      else logger.debug(message);
      nextPassAt = clock().getTime() + delay;
      return held ? Math.min(delay, Math.max(0, held.renewAt - clock().getTime())) : delay;
    }
  };

  const schedule = (ms: number) => {
    if (!running) return;
    scheduler.clearTimeout(timer);
    timer = scheduler.setTimeout(() => {
      timer = undefined;
      inflight = turn().then((wait) => {
        inflight = undefined;
        const rerun = again;
        again = false;
        if (rerun) schedule(0);
        else if (wait !== undefined) schedule(wait);
      });
    }, Math.min(Math.max(0, ms), 2 ** 31 - 1));
  };

  return {
    start() {
      if (running) return;
      running = true;
      schedule(0);
    },
    async stop() {
      running = false;
      scheduler.clearTimeout(timer);
      timer = undefined;
      await inflight;
      await release();
    },
    wake() {
      if (!running) return;
      // Standing by, the poll takes the lease when it is free; off (no timer), a turn sees whether it was turned on.
      if (!held) {
        if (!timer && !inflight) schedule(0);
        return;
      }
      // Only an idle poll is cut short: a retry's backoff stands.
      if (idle) nextPassAt = 0;
      if (inflight) again = true;
      else schedule(0);
    },
    tick: turn,
  };
}
