/** The consumer loop: claim a batch, run the handler on each item (renewing long work), then complete or fail it. */
import { errorMessage, silentLogger, systemClock, systemScheduler, type Clock, type Logger, type Scheduler } from '../common/index.js';
import { FinalFailure, NotAttempted, type ClaimedItem } from './types.js';
import type { WorkQueue } from './work-queue.js';

/** Timers, injectable so tests drive the loop with tick() alone (common's Scheduler, named here for the queue's users). */
export type { Scheduler };

export interface ConsumerOptions<P> {
  queue: WorkQueue<P>;
  /** Names this consumer in leases, e.g. `host:pid:stage`; unique per process. */
  owner: string;
  /**
   * Does the work of one item. Resolving completes it; throwing FinalFailure dead-letters it; throwing NotAttempted
   * hands it back untried (no attempt counted, no delay); any other throw is a retryable failure. `signal` aborts when the lease is lost (renewal failed): stop, another claim will redo it.
   */
  handler: (item: ClaimedItem<P>, signal: AbortSignal) => Promise<void>;
  /** Items per claim (default 10). A claim that found work claims again at once; only an empty one waits `pollMs`. */
  batch?: number;
  /** Lease length (default 30 s), renewed every third of it while the handler runs. */
  leaseMs?: number;
  /** How long an idle consumer waits before claiming again (default 1 s); work enqueued in this process wakes it at once. */
  pollMs?: number;
  clock?: Clock;
  scheduler?: Scheduler;
  logger?: Logger;
}

export interface Consumer {
  /** Starts the loop. */
  start(): void;
  /** Stops claiming and waits for the items in hand to finish. */
  stop(): Promise<void>;
  /** One claim and its work, with `now` from the clock; returns how many items it claimed. For tests and the loop. */
  tick(): Promise<number>;
}

/** A loop that drains `queue` through `handler`. */
export function createConsumer<P>(options: ConsumerOptions<P>): Consumer {
  const { queue, owner, handler } = options;
  const batch = options.batch ?? 10;
  const leaseMs = options.leaseMs ?? 30_000;
  const pollMs = options.pollMs ?? 1_000;
  const clock = options.clock ?? systemClock;
  const scheduler = options.scheduler ?? systemScheduler;
  const logger = options.logger ?? silentLogger;
  let running = false;
  let timer: unknown;
  let busy: Promise<void> | undefined;
  let wokenWhileBusy = false;
  let unsubscribe: (() => void) | undefined;

  /** Runs the handler with the lease renewed meanwhile; resolves with the error it threw, if any. */
  const work = async (item: ClaimedItem<P>): Promise<unknown> => {
    const lost = new AbortController();
    let renewal: unknown;
    // A renewal in flight when the handler finishes must not arm another: the item is done, and the timer would hold the process.
    let finished = false;
    const renewLater = () => {
      if (finished) return;
      renewal = scheduler.setTimeout(() => {
        queue.renew(item, leaseMs, clock()).then(
          (held) => (held ? renewLater() : lost.abort(new Error(`the lease on item ${item.id} was lost`))),
          (err: unknown) => {
            logger.warn(`queue ${queue.name}: renewing a lease failed; trying again`, { error: errorMessage(err) });
            renewLater();
          },
        );
      }, Math.max(1, Math.floor(leaseMs / 3)));
    };
    renewLater();
    try {
      await handler(item, lost.signal);
      return undefined;
    } catch (err) {
      return err ?? new Error('the handler threw nothing');
    } finally {
      finished = true;
      scheduler.clearTimeout(renewal);
    }
  };

  const tick = async (): Promise<number> => {
    const items = await queue.claim(owner, batch, leaseMs, clock());
    if (!items.length) return 0;
    const outcomes = await Promise.all(items.map(work));
    // One transaction completes the whole batch's successes, one hands back those not attempted; failures are recorded one by one.
    await queue.complete(items.filter((_, i) => outcomes[i] === undefined), clock());
    await queue.release(items.filter((_, i) => outcomes[i] instanceof NotAttempted));
    for (const [i, err] of outcomes.entries()) {
      if (err === undefined || err instanceof NotAttempted) continue;
      const item = items[i]!;
      const outcome = await queue.fail(item, err instanceof FinalFailure ? 'final' : 'retryable', errorMessage(err), clock());
      logger.warn(`queue ${queue.name}: item ${item.id} failed (${outcome})`, { error: errorMessage(err), attempts: item.attempts });
    }
    return items.length;
  };

  const schedule = (ms: number) => {
    if (!running) return;
    scheduler.clearTimeout(timer);
    timer = scheduler.setTimeout(step, ms);
  };

  function step(): void {
    timer = undefined;
    busy = tick().then(
      (n) => {
        busy = undefined;
        // Not `n >= batch`: ordered and serialized claims come back short (one item per partition) while work is left.
        const again = wokenWhileBusy || n > 0;
        wokenWhileBusy = false;
        schedule(again ? 0 : pollMs);
      },
      (err: unknown) => {
        busy = undefined;
        logger.warn(`queue ${queue.name}: a claim failed; retrying after the poll interval`, { error: errorMessage(err) });
        schedule(pollMs);
      },
    );
  }

  const wake = () => {
    if (!running) return;
    if (busy) wokenWhileBusy = true;
    else schedule(0);
  };

  return {
    start() {
      if (running) return;
      running = true;
      unsubscribe = queue.onEnqueue(wake);
      schedule(0);
    },
    async stop() {
      running = false;
      unsubscribe?.();
      scheduler.clearTimeout(timer);
      timer = undefined;
      await busy;
    },
    tick,
  };
}
