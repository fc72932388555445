/** The declared metrics: those of `Metrics` classes, plus (policy `declare`) every metric first seen in a sample. */
import { AppError, forEachInSlices, parseSqlDateTime } from '../common/index.js';
import type { Queryable, Store } from '../store/index.js';
import type { MetricDeclaration } from './metrics-class.js';
import type { UnknownMetricPolicy } from './settings.js';
import type { SampleInput, StoredSample } from './types.js';

/** A metric as the `metrics` table lists it. */
export interface MetricInfo {
  name: string;
  description: string | null;
  unit: string | null;
  declaredBy: 'config' | 'auto';
  firstSeen: Date;
}

export class MetricCatalog {
  private configured = new Map<string, MetricDeclaration>();
  /** Names known to be in the `metrics` table (a cache: a miss only costs an idempotent upsert). */
  private readonly known = new Set<string>();

  constructor(
    private readonly store: Pick<Store, 'upsert' | 'query'>,
    private readonly policy: () => UnknownMetricPolicy,
    private readonly clock: () => Date,
  ) {}

  /** Replaces the configured declarations and records them in the `metrics` table. */
  async configure(declarations: readonly MetricDeclaration[]): Promise<void> {
    this.configured = new Map(declarations.map((d) => [d.name, d]));
    if (!declarations.length) return;
    const now = this.clock();
    await this.store.upsert(
      'metrics',
      ['name', 'description', 'unit', 'declared_by', 'first_seen'],
      declarations.map((d) => [d.name, d.description ?? null, d.unit ?? null, 'config', now]),
      { key: ['name'], update: { first_seen: 'keep' } },
    );
    for (const d of declarations) this.known.add(d.name);
  }

  isConfigured(name: string): boolean {
    return this.configured.has(name);
  }

  /** Under the `reject` policy, a sample of an undeclared metric is the client's error (WP4's rule). */
  check(samples: readonly Pick<SampleInput, 'metric'>[], what = 'sample'): void {
    if (this.policy() !== 'reject') return;
    const i = samples.findIndex((s) => !this.configured.has(s.metric));
    if (i >= 0) {
      throw new AppError('bad_request', `${what} ${i + 1}: metric "${samples[i]!.metric}" is not declared; declare it in a Metrics class, or set the Collector's unknown_metrics to declare`, {
        [what]: i + 1,
        metric: samples[i]!.metric,
      });
    }
  }

  /** Inside the write transaction: adds metrics seen for the first time. */
  async declareNew(tx: Queryable, samples: readonly StoredSample[]): Promise<void> {
    const seen = new Set<string>();
    await forEachInSlices(samples, (s) => seen.add(s.metric));
    const fresh = [...seen].filter((m) => !this.known.has(m));
    if (!fresh.length) return;
    const now = this.clock();
    await tx.upsert('metrics', ['name', 'declared_by', 'first_seen'], fresh.map((m) => [m, 'auto', now]), { key: ['name'], update: { declared_by: 'keep', first_seen: 'keep' } });
  }

  /** After commit: the samples' metrics are in the table now. */
  committed(samples: readonly StoredSample[]): void {
    for (const s of samples) this.known.add(s.metric);
  }

  async list(): Promise<MetricInfo[]> {
    const rows = await this.store.query<{ name: string; description: string | null; unit: string | null; declared_by: string; first_seen: string }>(
      'SELECT name, description, unit, declared_by, first_seen FROM metrics ORDER BY name',
    );
    return rows.map((r) => ({
      name: r.name,
      description: r.description,
      unit: r.unit,
      declaredBy: r.declared_by === 'config' ? 'config' : 'auto',
      firstSeen: new Date(parseSqlDateTime(r.first_seen)),
    }));
  }
}
