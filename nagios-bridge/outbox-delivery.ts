/**
 * The outbox's handler: the items of one claim go to the transport as one batch (many commands per write); a result
 * older than one already delivered for its service is dead-lettered, never delivered after it. Commands (downtimes,
 * acknowledgements) of the same claim go to the transport's `deliverCommands`: a claim holds at most one item per
 * (host, service), so sending results and commands apart keeps every partition's order.
 */
import { FinalFailure, type ClaimedItem } from '../queue/index.js';
import type { Clock } from '../common/index.js';
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

/**
 * A consumer handler that gathers the items handed to it in one turn of the event loop (the consumer starts every
 * item of a claim at once) and delivers them together.
 */
export function createDeliveryHandler(options: DeliveryOptions): (item: ClaimedItem<OutboxItem>) => Promise<void> {
  const { outbox, transport, metrics, clock } = options;
  const target = outbox.target;
  let pending: Pending[] = [];

  /** How a failed outcome ends: the reason the queue keeps and whether it dead-letters the item. */
  const classify = (p: Pending, outcome: Exclude<DeliveryOutcome, { status: 'ok' }>, now: Date): FailedAttempt & { kind: string } => {
    const expired = outcome.status === 'retryable' && p.item.createdAt < now.getTime() - options.deadLetterAfterMs;
    if (expired) return { item: p.item, kind: 'expired', dead: true, reason: `undelivered for longer than the dead-letter age; last failure: ${outcome.reason}` };
    return { item: p.item, kind: outcome.status, dead: outcome.status === 'final', reason: outcome.reason };
  };

  const reject = (p: Pending, f: FailedAttempt) => p.reject(f.dead ? new FinalFailure(f.reason) : new Error(f.reason));

  /** Records the batch's deliveries (before the items complete) and failures (before the queue hears of them), then settles each. */
  const settle = async (send: Pending[], outcomes: readonly DeliveryOutcome[]) => {
    const done = clock();
    const ok = send.filter((_, i) => outcomes[i]?.status === 'ok');
    // Marked before the items complete: a crash in between redelivers the same result, never an older one after it.
    await options.record.delivered(ok.map((p) => p.item), done);
    for (const p of ok) metrics.latency.observe({ target }, Math.max(0, (done.getTime() - p.item.createdAt) / 1000));
    metrics.delivered.inc({ target }, ok.length);
    for (const p of ok) p.resolve();
    const failed: [Pending, FailedAttempt][] = [];
    for (const [i, p] of send.entries()) {
      const outcome = outcomes[i] ?? { status: 'retryable', reason: 'the transport gave no outcome' };
      if (outcome.status === 'ok') continue;
      options.onFailure(outcome.reason, done);
      const f = classify(p, outcome, done);
      metrics.failures.inc({ target, kind: f.kind });
      failed.push([p, f]);
    }
    // The trace then shows every attempt the queue counts.
    if (failed.length) await options.record.failed(failed.map(([, f]) => f), done);
    for (const [p, f] of failed) reject(p, f);
  };

  const deliverCommands = async (batch: Pending[]) => {
    if (!batch.length) return;
    const commands = batch.map((p) => p.item.payload as BridgeCommand);
    const outcomes = transport.deliverCommands
      ? await transport.deliverCommands(commands)
      : commands.map((): DeliveryOutcome => ({ status: 'final', reason: `a ${transport.type} target cannot carry commands (downtimes, acknowledgements)` }));
    await settle(batch, outcomes);
  };

  const deliverResults = async (batch: Pending[]) => {
    if (!batch.length) return;
    const result = (p: Pending) => p.item.payload as PassiveResult;
    const marks = await outbox.highWater(batch.map((p) => serviceKey(result(p))));
    const now = clock();
    const send: Pending[] = [];
    const stale: [Pending, FailedAttempt][] = [];
    for (const p of batch) {
      const mark = marks.get(serviceKey(result(p)));
      if (mark !== undefined && Math.floor(result(p).checkTime) < mark) {
        options.onFailure(`stale result for ${serviceKey(result(p))}`, now);
        metrics.failures.inc({ target, kind: 'stale' });
        const reason = `stale: check time ${Math.floor(result(p).checkTime)} is older than ${mark}, a result already delivered for the same service`;
        stale.push([p, { item: p.item, reason, dead: true }]);
      } else {
        send.push(p);
      }
    }
    if (stale.length) {
      await options.record.failed(stale.map(([, f]) => f), now);
      for (const [p, f] of stale) reject(p, f);
    }
    if (!send.length) return;
    await settle(send, await transport.deliver(send.map(result)));
  };

  const flush = async (batch: Pending[]) => {
    const commands = batch.filter((p) => p.item.payload.kind === 'command');
    const results = batch.filter((p) => p.item.payload.kind !== 'command');
    const failed = (err: unknown) => {
      const error = err instanceof Error ? err : new Error(String(err));
      // Settling twice is harmless: items already settled keep their outcome.
      return (ps: Pending[]) => ps.forEach((p) => p.reject(error));
    };
    // Different partitions: the two may run at once, and one failing leaves the other's outcomes alone.
    await Promise.all([deliverResults(results).catch((err: unknown) => failed(err)(results)), deliverCommands(commands).catch((err: unknown) => failed(err)(commands))]);
  };

  return (item) =>
    new Promise<void>((resolve, reject) => {
      pending.push({ item, resolve, reject });
      if (pending.length > 1) return;
      setImmediate(() => {
        const batch = pending;
        pending = [];
        flush(batch).catch((err: unknown) => {
          const error = err instanceof Error ? err : new Error(String(err));
          // Settling twice is harmless: items already settled keep their outcome.
          for (const p of batch) p.reject(error);
        });
      });
    });
}
