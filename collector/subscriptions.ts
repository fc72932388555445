/** Subscriptions (WP4 `subscribe`): who is notified of which committed samples, by node and metric pattern. */
import type { Logger } from '../common/index.js';
import { globMatcher } from './globs.js';
import type { StoredSample } from './types.js';

/** Called with the committed samples a subscription matches, in id order; one call per commit. */
export type Notify = (samples: readonly StoredSample[]) => void | Promise<void>;

/** What `subscribe` returns; pass it (or the notify function) to `unsubscribe`. */
export interface Subscription {
  readonly id: number;
  readonly nodePattern: string;
  readonly metricPattern: string;
}

interface Entry extends Subscription {
  node: (name: string) => boolean;
  metric: (name: string) => boolean;
  notify: Notify;
}

export class Subscriptions {
  private readonly entries = new Map<number, Entry>();
  private nextId = 1;

  constructor(private readonly logger: Logger) {}

  get size(): number {
    return this.entries.size;
  }

  add(nodePattern: string, metricPattern: string, notify: Notify): Subscription {
    const entry: Entry = { id: this.nextId++, nodePattern, metricPattern, node: globMatcher([nodePattern]), metric: globMatcher([metricPattern]), notify };
    this.entries.set(entry.id, entry);
    return { id: entry.id, nodePattern, metricPattern };
  }

  /** Removes a subscription (by handle), or every subscription of a notify function; returns how many. */
  remove(target: Subscription | Notify): number {
    let removed = 0;
    for (const [id, e] of this.entries) {
      if (typeof target === 'function' ? e.notify === target : e.id === target.id) {
        this.entries.delete(id);
        removed++;
      }
    }
    return removed;
  }

  /** Hands each subscription its matching samples. A failing subscriber is logged and does not stop the others. */
  deliver(samples: readonly StoredSample[]): void {
    if (!samples.length || !this.entries.size) return;
    for (const e of [...this.entries.values()]) {
      const mine = samples.filter((s) => e.node(s.node) && e.metric(s.metric));
      if (!mine.length) continue;
      try {
        const done = e.notify(mine);
        if (done instanceof Promise) done.catch((err: unknown) => this.failed(e, err));
      } catch (err) {
        this.failed(e, err);
      }
    }
  }

  private failed(e: Entry, err: unknown): void {
    this.logger.warn('collector: a subscriber failed', { subscription: e.id, node: e.nodePattern, metric: e.metricPattern, error: (err as Error)?.message ?? String(err) });
  }
}
