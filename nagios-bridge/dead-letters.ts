/** A target's dead letters for operators: listed with the result they hold, put back in the queue or discarded, each action traced. */
import type { DeadItem } from '../queue/index.js';
import type { Store } from '../store/index.js';
import { resultDedupKey, type Outbox } from './outbox.js';
import type { ResultTrace } from './result-trace.js';
import type { BridgeCommand, OutboxItem, ResultKind } from './types.js';

/** One dead letter as the page shows it. */
export interface DeadLetter {
  id: number;
  /** The result's trace key; none for a command. */
  key: string | undefined;
  kind: ResultKind | 'command';
  /** A command's action (`schedule_downtime`, ...). */
  action: string | undefined;
  host: string;
  service: string;
  /** A result's check time, or when a command was submitted (epoch seconds). */
  checkTime: number;
  /** A result's plugin output (its first line), or a command's comment. */
  output: string;
  reason: string;
  attempts: number;
  queuedAt: number;
  /** The first delivery attempt at this target the trace saw (epoch ms); undefined for a command or past the trace's retention. */
  firstAttemptAt: number | undefined;
  /** The last attempt: the one that dead-lettered it. */
  lastAttemptAt: number;
  deadAt: number;
}

const CHUNK = 500;

function letterOf(d: DeadItem): DeadLetter {
  const r = JSON.parse(d.payload) as OutboxItem;
  const command = r.kind === 'command';
  return {
    id: d.id,
    key: command ? undefined : resultDedupKey(r),
    kind: r.kind,
    action: command ? r.action : undefined,
    host: r.host,
    service: r.service ?? '',
    checkTime: command ? r.submittedAt : r.checkTime,
    output: command ? ('comment' in r ? (r.comment ?? '') : '') : r.output,
    reason: d.lastError ?? '',
    attempts: d.attempts,
    queuedAt: d.createdAt,
    firstAttemptAt: undefined,
    lastAttemptAt: d.deadAt,
    deadAt: d.deadAt,
  };
}

/** Attempt events: what the trace records for each try at the target. */
const ATTEMPTS = new Set(['delivered', 'failed', 'dead']);

export interface DeadLetters {
  /** The oldest `limit` dead letters of the target and how many there are. */
  list(limit: number): Promise<{ letters: DeadLetter[]; total: number }>;
  /** Puts the named dead letters (all when `ids` is undefined) back in the outbox; returns how many. */
  retry(ids: readonly number[] | undefined, by: string, now: Date): Promise<number>;
  /** Deletes them for good; returns how many. */
  discard(ids: readonly number[] | undefined, by: string, now: Date): Promise<number>;
}

export function createDeadLetters(store: Store, outbox: Outbox, trace: ResultTrace): DeadLetters {
  const { queue, target } = outbox;

  /** Acts on the dead letters among `ids`, or on all of them in chunks (bounded by how many there were, so letters dying again meanwhile cannot loop it). */
  const act = async (ids: readonly number[] | undefined, by: string, now: Date, event: 'retried' | 'discarded', apply: (ids: number[]) => Promise<number>) => {
    if (ids) return actOn(ids.length ? await queue.dead(ids.length, ids) : [], by, now, event, apply);
    let total = 0;
    for (let left = (await queue.stats(now)).depth.dead; left > 0; ) {
      const chunk = await queue.dead(Math.min(CHUNK, left));
      if (!chunk.length) break;
      left -= chunk.length;
      total += await actOn(chunk, by, now, event, apply);
    }
    return total;
  };

  const actOn = async (items: readonly DeadItem[], by: string, now: Date, event: 'retried' | 'discarded', apply: (ids: number[]) => Promise<number>) => {
    if (!items.length) return 0;
    // Traced first: a retried letter can be claimed and delivered the moment the retry commits.
    // A result's events go by its trace key, a command's by its id (the commands API lists them).
    const keyOf = (d: DeadItem) => {
      const l = letterOf(d);
      return l.key ?? (l.kind === 'command' ? (JSON.parse(d.payload) as BridgeCommand).commandId : undefined);
    };
    const results = items.flatMap((d) => {
      const key = keyOf(d);
      return key ? [{ key, target, event, detail: `by ${by}` }] : [];
    });
    await trace.record(store, results, now);
    return apply(items.map((d) => d.id));
  };

  return {
    async list(limit) {
      const [items, stats] = await Promise.all([queue.dead(limit), queue.stats(new Date())]);
      const letters = items.map(letterOf);
      const events = await trace.eventsOf(letters.flatMap((l) => (l.key ? [l.key] : [])));
      for (const l of letters) {
        const first = (l.key ? events.get(l.key) : undefined)?.find((e) => e.target === target && ATTEMPTS.has(e.event));
        l.firstAttemptAt = first?.at;
      }
      return { letters, total: stats.depth.dead };
    },
    retry: (ids, by, now) => act(ids, by, now, 'retried', (chosen) => queue.retry(now, chosen)),
    discard: (ids, by, now) => act(ids, by, now, 'discarded', (chosen) => queue.discard(chosen)),
  };
}
