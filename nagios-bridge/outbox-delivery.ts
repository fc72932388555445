/**
 * The outbox's handler: the items of one claim go to the transport in waves, the first item of every service, then
 * the second, ... (a claim leases a run of each service's items, see createOutbox), each wave as one batch (many
 * commands per write). An item is attempted only once the one before it in its service was delivered or is dead: an
 * item behind a failed one goes back to the queue untried (NotAttempted), so nothing overtakes it. A result older
 * than one already delivered for its service is dead-lettered, never delivered after it. Commands (downtimes,
 * acknowledgements) of a wave go to the transport's `deliverCommands`: a wave holds at most one item per (host,
 * service), so sending its results and commands apart keeps every partition's order. The delivered marks, the trace
 * and the minute's counts of the whole claim are written in one transaction before any item completes.
 */
import { errorMessage, type Clock } from '../common/index.js';
import { FinalFailure, NotAttempted, type ClaimedItem } from '../queue/index.js';
import type { BridgeMetrics } from './bridge-metrics.js';
import type { DeliveryRecord, FailedAttempt } from './delivery-record.js';
import { serviceKey, type Outbox } from './outbox.js';
import type { DeliveryOutcome, Transport } from './transports/index.js';
import type { BridgeCommand, OutboxItem, PassiveResult } from './types.js';

interface Pending {
  item: ClaimedItem<OutboxItem>;
  resolve: () => void;
  reject: (err: Error) => void;
}

export interface DeliveryOptions {
  outbox: Outbox;
  transport: Transport;
  metrics: BridgeMetrics;
  /** Writes the delivered mark, the per-result trace and the minute's counts. */
  record: DeliveryRecord;
  clock: Clock;
  /** A result still failing this long after it was queued is dead-lettered with that failure's reason. */
  deadLetterAfterMs: number;
  /** The last failure, for `stats()`. */
  onFailure(reason: string, at: Date): void;
}

/** A failed attempt with the metric's kind (`retryable`, `final`, `expired`, `stale`). */
type Failure = FailedAttempt & { kind: string };

/** What one wave came to: items delivered, failed (with why), and items whose transport call threw. */
interface WaveOutcome {
  ok: Pending[];
  failed: [Pending, Failure][];
  thrown: [Pending, Error][];
}

const result = (p: Pending) => p.item.payload as PassiveResult;

/** The claim's items in waves: wave k holds the k-th item (in claim order) of every partition that has one. */
export function deliveryWaves<T extends { item: { partition: string } }>(batch: readonly T[]): T[][] {
  const waves: T[][] = [];
  const seen = new Map<string, number>();
  for (const p of batch) {
    const k = seen.get(p.item.partition) ?? 0;
    seen.set(p.item.partition, k + 1);
    (waves[k] ??= []).push(p);
  }
  return waves;
}

/**
 * A consumer handler that gathers the items handed to it in one turn of the event loop (the consumer starts every
 * item of a claim at once) and delivers them together.
 */
export function createDeliveryHandler(options: DeliveryOptions): (item: ClaimedItem<OutboxItem>) => Promise<void> {
  const { outbox, transport, metrics, clock } = options;
  const target = outbox.target;
  let pending: Pending[] = [];

  /** How a failed outcome ends: the reason the queue keeps and whether it dead-letters the item. */
  const classify = (p: Pending, outcome: Exclude<DeliveryOutcome, { status: 'ok' }>, now: Date): Failure => {
    const expired = outcome.status === 'retryable' && p.item.createdAt < now.getTime() - options.deadLetterAfterMs;
    if (expired) return { item: p.item, kind: 'expired', dead: true, reason: `undelivered for longer than the dead-letter age; last failure: ${outcome.reason}` };
    return { item: p.item, kind: outcome.status, dead: outcome.status === 'final', reason: outcome.reason };
  };

  /** Sorts a transport's outcomes for `send` into the wave's. */
  const sort = (send: readonly Pending[], outcomes: readonly DeliveryOutcome[], into: WaveOutcome) => {
    const now = clock();
    for (const [i, p] of send.entries()) {
      const outcome = outcomes[i] ?? { status: 'retryable', reason: 'the transport gave no outcome' };
      if (outcome.status === 'ok') into.ok.push(p);
      else into.failed.push([p, classify(p, outcome, now)]);
    }
  };

  /** Runs one transport call; a throw is every item's (retried, as a consumer handler's throw is). */
  const call = async (send: Pending[], deliver: () => Promise<readonly DeliveryOutcome[]>, into: WaveOutcome) => {
    if (!send.length) return;
    try {
      sort(send, await deliver(), into);
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      for (const p of send) into.thrown.push([p, error]);
    }
  };

  /** One wave: stale results out (against `marks`, which also holds what earlier waves delivered), then results and commands at once. */
  const deliverWave = async (wave: Pending[], marks: Map<string, number>): Promise<WaveOutcome> => {
    const out: WaveOutcome = { ok: [], failed: [], thrown: [] };
    const commands = wave.filter((p) => p.item.payload.kind === 'command');
    const results: Pending[] = [];
    for (const p of wave) {
      if (p.item.payload.kind === 'command') continue;
      const key = serviceKey(result(p));
      const mark = marks.get(key);
      if (mark !== undefined && Math.floor(result(p).checkTime) < mark) {
        const reason = `stale: check time ${Math.floor(result(p).checkTime)} is older than ${mark}, a result already delivered for the same service`;
        out.failed.push([p, { item: p.item, kind: 'stale', reason, dead: true }]);
      } else {
        results.push(p);
      }
    }
    // Different partitions: the two may run at once, and one failing leaves the other's outcomes alone.
    await Promise.all([
      call(results, () => transport.deliver(results.map(result)), out),
      call(commands, async () => {
        const list = commands.map((p) => p.item.payload as BridgeCommand);
        return transport.deliverCommands
          ? transport.deliverCommands(list)
          : list.map((): DeliveryOutcome => ({ status: 'final', reason: `a ${transport.type} target cannot carry commands (downtimes, acknowledgements)` }));
      }, out),
    ]);
    for (const p of out.ok) {
      if (p.item.payload.kind === 'command') continue;
      const key = serviceKey(result(p));
      marks.set(key, Math.max(marks.get(key) ?? -Infinity, Math.floor(result(p).checkTime)));
    }
    return out;
  };

  /** Delivers a claim wave by wave, then records it (deliveries before any item completes, failures before the queue hears of them) and settles each item. */
  const flush = async (batch: Pending[]) => {
    const results = batch.filter((p) => p.item.payload.kind !== 'command');
    const marks = results.length ? await outbox.highWater(results.map((p) => serviceKey(result(p)))) : new Map<string, number>();
    const all: WaveOutcome = { ok: [], failed: [], thrown: [] };
    const untried: Pending[] = [];
    // Partitions whose item was not delivered and is not dead: the items behind it wait for it.
    const held = new Set<string>();
    for (const wave of deliveryWaves(batch)) {
      const go: Pending[] = [];
      for (const p of wave) (held.has(p.item.partition) ? untried : go).push(p);
      const out = await deliverWave(go, marks);
      for (const [p, f] of out.failed) if (!f.dead) held.add(p.item.partition);
      for (const [p] of out.thrown) held.add(p.item.partition);
      all.ok.push(...out.ok);
      all.failed.push(...out.failed);
      all.thrown.push(...out.thrown);
    }

    const done = clock();
    // Marked before the items complete: a crash in between redelivers the same result, never an older one after it.
    await options.record.delivered(all.ok.map((p) => p.item), done);
    for (const p of all.ok) metrics.latency.observe({ target }, Math.max(0, (done.getTime() - p.item.createdAt) / 1000));
    metrics.delivered.inc({ target }, all.ok.length);
    for (const p of all.ok) p.resolve();
    for (const [, f] of all.failed) {
      options.onFailure(f.kind === 'stale' ? `stale result for ${serviceKey(f.item.payload)}` : f.reason, done);
      metrics.failures.inc({ target, kind: f.kind });
    }
    // The trace then shows every attempt the queue counts.
    if (all.failed.length) await options.record.failed(all.failed.map(([, f]) => f), done);
    for (const [p, f] of all.failed) p.reject(f.dead ? new FinalFailure(f.reason) : new Error(f.reason));
    for (const [p, err] of all.thrown) p.reject(err);
    for (const p of untried) p.reject(new NotAttempted(`an earlier item of ${p.item.partition} in the same claim was not delivered`));
  };

  return (item) =>
    new Promise<void>((resolve, reject) => {
      pending.push({ item, resolve, reject });
      if (pending.length > 1) return;
      setImmediate(() => {
        const batch = pending;
        pending = [];
        flush(batch).catch((err: unknown) => {
          const error = err instanceof Error ? err : new Error(errorMessage(err));
          // Settling twice is harmless: items already settled keep their outcome.
          for (const p of batch) p.reject(error);
        });
      });
    });
}
