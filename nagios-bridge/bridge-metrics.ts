/** The bridge's self-metrics on the appliance's prom-client Registry: outbox depth, deliveries, failures, latency. */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export interface BridgeMetrics {
  delivered: Counter<'target'>;
  /** `kind`: retryable, final, stale (older than a delivered result), expired (dead-lettered by age). */
  failures: Counter<'target' | 'kind'>;
  /** Seconds from enqueue to delivery. */
  latency: Histogram<'target'>;
  /** Results that matched no target's route. */
  unrouted: Counter;
}

/** Registers the metrics once per bridge; `depths` is read at scrape time (unfinished results per target). */
export function createBridgeMetrics(registry: Registry | undefined, depths: () => Promise<Map<string, number>>): BridgeMetrics {
  const registers = registry ? [registry] : [];
  new Gauge({
    name: 'appliance_nagios_outbox_depth',
    help: 'Results queued or being delivered, per Nagios target.',
    labelNames: ['target'] as const,
    registers,
    async collect() {
      this.reset();
      for (const [target, n] of await depths().catch(() => new Map<string, number>())) this.set({ target }, n);
    },
  });
  return {
    delivered: new Counter({ name: 'appliance_nagios_delivered_total', help: 'Results delivered, per target.', labelNames: ['target'] as const, registers }),
    failures: new Counter({
      name: 'appliance_nagios_delivery_failures_total',
      help: 'Failed deliveries per target and kind (retryable, final, stale, expired).',
      labelNames: ['target', 'kind'] as const,
      registers,
    }),
    latency: new Histogram({
      name: 'appliance_nagios_delivery_latency_seconds',
      help: 'Time from a result being queued to its delivery, per target.',
      labelNames: ['target'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 3600],
      registers,
    }),
    unrouted: new Counter({ name: 'appliance_nagios_unrouted_total', help: 'Results refused because no target route matched them (the client keeps them).', registers }),
  };
}
