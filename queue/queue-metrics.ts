/** The work queues' metrics on a prom-client Registry: depth by state, oldest age, attempts, outcomes, claim latency. */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { ITEM_STATES, type QueueStats } from './types.js';

export const OUTCOMES = ['enqueued', 'duplicate', 'refused', 'claimed', 'completed', 'retried', 'dead', 'lease_expired', 'lost', 'purged', 'discarded', 'released'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** What one queue reports into the shared metrics. */
export interface QueueMetrics {
  count(outcome: Outcome, n?: number): void;
  /** Attempts an item took when it finished (done or dead). */
  attempts(n: number): void;
  /** Seconds a claim transaction took, and per claimed item the seconds it waited since it was ready. */
  claimed(claimSeconds: number, waitSeconds: readonly number[]): void;
}

interface Shared {
  outcomes: Counter<'queue' | 'outcome'>;
  attempts: Histogram<'queue'>;
  claimSeconds: Histogram<'queue'>;
  waitSeconds: Histogram<'queue'>;
  /** Read at scrape time, one per queue. */
  sources: Map<string, () => Promise<QueueStats>>;
}

const perRegistry = new WeakMap<Registry, Shared>();

function shared(registry: Registry): Shared {
  let s = perRegistry.get(registry);
  if (s) return s;
  const registers = [registry];
  const sources = new Map<string, () => Promise<QueueStats>>();
  const readAll = async () => {
    const all: [string, QueueStats][] = [];
    for (const [queue, read] of sources) {
      const stats = await read().catch(() => undefined);
      if (stats) all.push([queue, stats]);
    }
    return all;
  };
  new Gauge({
    name: 'appliance_queue_oldest_age_seconds',
    help: 'Age of the oldest queued or leased item, by queue.',
    labelNames: ['queue'] as const,
    registers,
    async collect() {
      for (const [queue, stats] of await readAll()) this.set({ queue }, stats.oldestAgeMs / 1000);
    },
  });
  new Gauge({
    name: 'appliance_queue_items',
    help: 'Work queue items by queue and state.',
    labelNames: ['queue', 'state'] as const,
    registers,
    async collect() {
      for (const [queue, stats] of await readAll()) for (const state of ITEM_STATES) this.set({ queue, state }, stats.depth[state]);
    },
  });
  s = {
    sources,
    outcomes: new Counter({ name: 'appliance_queue_outcomes_total', help: 'Work queue events by queue and outcome.', labelNames: ['queue', 'outcome'] as const, registers }),
    attempts: new Histogram({ name: 'appliance_queue_attempts', help: 'Attempts a work item took until done or dead.', labelNames: ['queue'] as const, buckets: [1, 2, 3, 5, 10, 20], registers }),
    claimSeconds: new Histogram({ name: 'appliance_queue_claim_seconds', help: 'Time a claim transaction took.', labelNames: ['queue'] as const, buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1], registers }),
    waitSeconds: new Histogram({
      name: 'appliance_queue_wait_seconds',
      help: 'Time from an item being ready (enqueued or due for retry) to its claim.',
      labelNames: ['queue'] as const,
      buckets: [0.005, 0.02, 0.1, 0.5, 1, 5, 30, 120, 600],
      registers,
    }),
  };
  perRegistry.set(registry, s);
  return s;
}

/** The metrics of queue `queue`, registered once per registry and labelled by queue; no registry: counts nothing. */
export function createQueueMetrics(registry: Registry | undefined, queue: string, stats: () => Promise<QueueStats>): QueueMetrics {
  if (!registry) return { count() {}, attempts() {}, claimed() {} };
  const s = shared(registry);
  s.sources.set(queue, stats);
  return {
    count: (outcome, n = 1) => {
      if (n > 0) s.outcomes.inc({ queue, outcome }, n);
    },
    attempts: (n) => s.attempts.observe({ queue }, n),
    claimed: (claimSeconds, waits) => {
      s.claimSeconds.observe({ queue }, claimSeconds);
      for (const w of waits) s.waitSeconds.observe({ queue }, Math.max(0, w));
    },
  };
}
