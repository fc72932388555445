/**
 * The outbox's handler: the items of one claim go to the transport as one batch (many commands per write); a result
 * older than one already delivered for its service is dead-lettered, never delivered after it. Commands (downtimes,
 * acknowledgements) of the same claim go to the transport's `deliverCommands`: a claim holds at most one item per
 * (host, service), so sending results and commands apart keeps every partition's order.
 */
import { FinalFailure, type ClaimedItem } from '../queue/index.js';
import type { Clock } from '../common/index.js';
import type { BridgeMetrics } from './bridge-metrics.js';
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

  const settle = (p: Pending, outcome: DeliveryOutcome, now: Date) => {
    if (outcome.status === 'ok') return p.resolve();
    options.onFailure(outcome.reason, now);
    const expired = outcome.status === 'retryable' && p.item.createdAt < now.getTime() - options.deadLetterAfterMs;
    metrics.failures.inc({ target, kind: expired ? 'expired' : outcome.status });
    if (outcome.status === 'final') return p.reject(new FinalFailure(outcome.reason));
    if (expired) return p.reject(new FinalFailure(`undelivered for longer than the dead-letter age; last failure: ${outcome.reason}`));
    p.reject(new Error(outcome.reason));
  };

  const deliverCommands = async (batch: Pending[]) => {
    if (!batch.length) return;
    const commands = batch.map((p) => p.item.payload as BridgeCommand);
    const outcomes = transport.deliverCommands
      ? await transport.deliverCommands(commands)
      : commands.map((): DeliveryOutcome => ({ status: 'final', reason: `a ${transport.type} target cannot carry commands (downtimes, acknowledgements)` }));
    const done = clock();
    const ok = batch.filter((_, i) => outcomes[i]?.status === 'ok');
    for (const p of ok) metrics.latency.observe({ target }, Math.max(0, (done.getTime() - p.item.createdAt) / 1000));
    metrics.delivered.inc({ target }, ok.length);
    for (const [i, p] of batch.entries()) settle(p, outcomes[i] ?? { status: 'retryable', reason: 'the transport gave no outcome' }, done);
  };

  const deliverResults = async (batch: Pending[]) => {
    if (!batch.length) return;
    const result = (p: Pending) => p.item.payload as PassiveResult;
    const marks = await outbox.highWater(batch.map((p) => serviceKey(result(p))));
    const now = clock();
    const send: Pending[] = [];
    for (const p of batch) {
      const mark = marks.get(serviceKey(result(p)));
      if (mark !== undefined && Math.floor(result(p).checkTime) < mark) {
        options.onFailure(`stale result for ${serviceKey(result(p))}`, now);
        metrics.failures.inc({ target, kind: 'stale' });
        p.reject(new FinalFailure(`stale: check time ${Math.floor(result(p).checkTime)} is older than ${mark}, a result already delivered for the same service`));
      } else {
        send.push(p);
      }
    }
    if (!send.length) return;
    const outcomes = await transport.deliver(send.map(result));
    const done = clock();
    const ok = send.filter((_, i) => outcomes[i]?.status === 'ok');
    // Marked before the items complete: a crash in between redelivers the same result, never an older one after it.
    await outbox.markDelivered(ok.map(result), done);
    for (const p of ok) metrics.latency.observe({ target }, Math.max(0, (done.getTime() - p.item.createdAt) / 1000));
    metrics.delivered.inc({ target }, ok.length);
    for (const [i, p] of send.entries()) settle(p, outcomes[i] ?? { status: 'retryable', reason: 'the transport gave no outcome' }, done);
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
