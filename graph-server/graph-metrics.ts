/** What operators of a graph server look at first, on /metrics: query time by query, cache hits and misses, Chromium render time and its pages' state. */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { QueryEngine } from '../query-engine/index.js';

/** Most distinct query labels kept; further names (none in a sane configuration) count as `other`, so a reload cannot grow the series without bound. */
export const MAX_QUERY_LABELS = 1000;

export const CACHE_OUTCOMES = ['hit', 'miss', 'shared'] as const;
export type CacheOutcome = (typeof CACHE_OUTCOMES)[number];

/** The image renderer's pages by state (its stats), and whether Chromium runs. */
export interface PagePoolState {
  idle: number;
  busy: number;
  opening: number;
  waiting: number;
  running: boolean;
}

export interface GraphMetrics {
  /** `engine` with every run timed by the query's qualified name (only names the engine lists are labels). */
  timed<E extends Pick<QueryEngine, 'runQuery' | 'queries'>>(engine: E): E;
  /** Counts one cache lookup of `cache` ('results' or 'images'). */
  cacheLookup: (cache: 'results' | 'images', outcome: CacheOutcome) => void;
  /** Records one Chromium render's time. */
  renderTime: (format: 'png' | 'svg', seconds: number) => void;
  /** Reports the pool's state when /metrics is read. */
  watchPool(state: () => PagePoolState): void;
}

/** Registers the graph server's metrics on `registry`. */
export function createGraphMetrics(registry: Registry): GraphMetrics {
  const registers = [registry];
  const queryTime = new Histogram({
    name: 'appliance_graph_query_duration_seconds',
    help: 'Time of a query run (graph URLs and Grafana; cached answers are not runs), by query.',
    labelNames: ['query', 'outcome'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers,
  });
  const lookups = new Counter({
    name: 'appliance_graph_cache_lookups_total',
    help: 'Lookups in the graph caches (results: query runs; images: PNG/SVG), by outcome: hit, miss (computed), shared (joined a computation in progress).',
    labelNames: ['cache', 'outcome'] as const,
    registers,
  });
  for (const cache of ['results', 'images'] as const) for (const outcome of CACHE_OUTCOMES) lookups.inc({ cache, outcome }, 0);
  const renders = new Histogram({
    name: 'appliance_image_render_seconds',
    help: 'Time Chromium took to draw one image once it had a page, by format.',
    labelNames: ['format'] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20],
    registers,
  });
  let pool: (() => PagePoolState) | undefined;
  new Gauge({
    name: 'appliance_image_pages',
    help: 'Image renderer turns by state: idle (warm pages ready), busy (images being drawn, at most the pool size), opening (pages being opened: Chromium starting, the chart page loading), waiting (requests queued for a turn).',
    labelNames: ['state'] as const,
    registers,
    collect() {
      const s = pool?.() ?? { idle: 0, busy: 0, opening: 0, waiting: 0, running: false };
      for (const state of ['idle', 'busy', 'opening', 'waiting'] as const) this.set({ state }, s[state]);
    },
  });
  new Gauge({
    name: 'appliance_image_browser_running',
    help: 'Whether the image renderer\'s Chromium is running (1) or not started / exited (0); it starts on the first image.',
    registers,
    collect() {
      this.set(pool?.().running ? 1 : 0);
    },
  });

  const labels = new Set<string>();
  const label = (name: string): string => {
    if (labels.has(name)) return name;
    if (labels.size >= MAX_QUERY_LABELS) return 'other';
    labels.add(name);
    return name;
  };

  return {
    timed(engine) {
      const qualified = (name: string): string => {
        const q = engine.queries().find((x) => x.qualifiedName === name) ?? engine.queries().find((x) => x.name === name);
        return q ? label(q.qualifiedName) : 'unknown';
      };
      return {
        ...engine,
        queries: () => engine.queries(),
        runQuery: async (name: string, params?: Readonly<Record<string, string>>) => {
          const end = queryTime.startTimer();
          let outcome = 'error';
          try {
            const result = await engine.runQuery(name, params);
            if (result.error === undefined) outcome = 'ok';
            return result;
          } finally {
            end({ query: qualified(name), outcome });
          }
        },
      };
    },
    cacheLookup: (cache, outcome) => lookups.inc({ cache, outcome }),
    renderTime: (format, seconds) => renders.observe({ format }, seconds),
    watchPool(state) {
      pool = state;
    },
  };
}
