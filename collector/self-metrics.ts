/** The collector's own counters and gauges, on the prom-client Registry the appliance exposes at /metrics. */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { StoredSample } from './types.js';

export interface CollectorMetrics {
  records: Counter<'result'>;
  requestsRejected: Counter<'endpoint' | 'status'>;
  samples: Counter<'source'>;
  commitSeconds: Histogram;
  countSamples(samples: readonly StoredSample[]): void;
}

/** Registers the collector's metrics; `subscribers` is read at scrape time. */
export function createCollectorMetrics(registry: Registry | undefined, subscribers: () => number): CollectorMetrics {
  const registers = registry ? [registry] : [];
  const records = new Counter({ name: 'appliance_collector_records_total', help: 'RSV/WLCG records received, by result (accepted, duplicate, rejected).', labelNames: ['result'] as const, registers });
  const requestsRejected = new Counter({
    name: 'appliance_collector_rejected_requests_total',
    help: 'Collector write requests refused, by endpoint and HTTP status.',
    labelNames: ['endpoint', 'status'] as const,
    registers,
  });
  const samples = new Counter({ name: 'appliance_collector_samples_inserted_total', help: 'Samples committed to the monitoring repository, by source.', labelNames: ['source'] as const, registers });
  const commitSeconds = new Histogram({
    name: 'appliance_collector_write_seconds',
    help: 'Time from a write request to its commit (queueing included).',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers,
  });
  new Gauge({
    name: 'appliance_collector_subscribers',
    help: 'Live subscriptions to the monitoring repository (server-sent event streams included).',
    registers,
    collect() {
      this.set(subscribers());
    },
  });
  return {
    records,
    requestsRejected,
    samples,
    commitSeconds,
    countSamples(list) {
      const bySource = new Map<string, number>();
      for (const s of list) bySource.set(s.source, (bySource.get(s.source) ?? 0) + 1);
      for (const [source, n] of bySource) samples.inc({ source }, n);
    },
  };
}
