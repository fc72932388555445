/** What the graph routes need from the query engine, the charts and the image renderer, declared narrowly here. */
import type { RequestHandler } from 'express';
import type { Clock, Logger } from '../../common/index.js';
import type { QueryEngine, QueryResult } from '../../query-engine/index.js';
import type { LoadedConfig } from '../../grammar/index.js';
import type { ImageFormat } from '../images/index.js';
import type { QueryLimiter } from '../limits/index.js';

/** The engine as the routes use it: run a query, list the queries. */
export type QueryRunner = Pick<QueryEngine, 'runQuery' | 'queries'>;

/** A chart ready to draw, as the page and the image renderer take it (the charts module's `ChartSpec`). */
export interface PageChart {
  graphType: string;
  title: string;
  subtitle: string;
  /** Highcharts options, plain JSON. */
  options: object;
  footer: readonly { label: string; value: number; unit: string }[];
  table: { columns: readonly string[]; rows: readonly (readonly (string | number | null)[])[] };
  empty: boolean;
}

/** Builds charts from query results (the charts module). */
export interface ChartMaker<S extends PageChart = PageChart> {
  /** The chart of a result; URL parameters override graph options (`title`, `span`, ...); a failed query gives its error chart. */
  buildChart(result: QueryResult, params: Record<string, string>, options?: { now?: Date; colors?: ReadonlyMap<string, string> }): S;
  /** A chart that shows `message` instead of data (GraphTool's error image). */
  errorChart(message: string, params?: Record<string, string>, context?: { title?: string; graphType?: string }): S;
}

export type { ImageFormat };

/** What an image is drawn from: the chart's Highcharts options (its caption holds the footer statistics) and its size. */
export interface ChartImageInput {
  options: Readonly<Record<string, unknown>>;
  width: number;
  height: number;
}

/** Renders a chart to an image (the images module); throws `AppError('unavailable', fix)` without Chromium, `bad_request` naming a size out of bounds. */
export interface ChartImageRenderer {
  render(input: ChartImageInput, format: ImageFormat): Promise<Buffer>;
}

export interface GraphRoutesOptions<S extends PageChart = PageChart> {
  /** The loaded configuration: its `WebHost`, generator and `StaticContent` classes make the URL tree. */
  config: LoadedConfig;
  engine: QueryRunner;
  charts: ChartMaker<S>;
  /** Without it the image mounts answer 503 with the fix. */
  images?: ChartImageRenderer;
  clock?: Clock;
  logger?: Logger;
  /** Both caches (query results and images): entries kept and how long (default 100 entries, GraphTool's 300 s). */
  cache?: { maxEntries?: number; ttlMs?: number };
  /** Most bytes of PNG/SVG the image cache keeps (default {@link DEFAULT_IMAGE_CACHE_BYTES}); the least recently used go first. */
  imageCacheBytes?: number;
  /** The stored pivot colours (one colour per name on every graph); without it each chart hashes names to colours. */
  colors?: { colorsFor(labels: readonly string[]): Promise<ReadonlyMap<string, string>> };
  /** Bounds each client's query runs at once (cached answers do not count); default: no limit. */
  limiter?: QueryLimiter;
  /** Guards every mount (the access stage's `requireRead`); default: open. */
  requireRead?: RequestHandler;
  /** Where the appliance's static files are (`views/static`), served under a `graphtool.static_content` mount. */
  staticDir?: string;
  /** URL prefix of the vendored browser libraries (default `/gratia/vendor`; Highcharts is under `.../highcharts/`). */
  vendorBase?: string;
  /** Counts each lookup in the result and image caches by how it was answered (the graph metrics' `cacheLookup`). */
  onCacheLookup?: (cache: 'results' | 'images', outcome: 'hit' | 'miss' | 'shared') => void;
}

/** The image cache's default byte limit: 64 MiB, some hundreds of typical graphs. */
export const DEFAULT_IMAGE_CACHE_BYTES = 64 * 1024 * 1024;
