/** The `InfluxExport` class type: where samples are exported to, how, and which ones. */
import { objectsOfType, warnUnknownAttributes, type BuildContext, type ClassTypeHandler, type LoadedConfig, type SourcePos } from '../../grammar/index.js';
import { parseDuration } from '../sensor-agent/index.js';
import { splitGlobs } from '../globs.js';

export const EXPORT_MODES = ['v1', 'v2'] as const;
/** `v2`: `/api/v2/write` (InfluxDB 2.x/3.x, 1.8+, VictoriaMetrics). `v1`: `/write?db=&rp=` (InfluxDB 1.6/1.7). */
export type ExportMode = (typeof EXPORT_MODES)[number];

/** One export target: built by `influxExportClassType` or written by hand (tests). */
export interface InfluxExportSettings {
  /** The class name: names the export's cursor and labels its metrics. */
  name: string;
  /** Base URL, e.g. `http://127.0.0.1:8086`. */
  url: string;
  mode: ExportMode;
  /** v2: organisation (ignored by 1.8 and VictoriaMetrics). */
  org: string;
  /** v2: bucket (`db/rp` for InfluxDB 1.8). */
  bucket: string;
  /** v2: API token (`user:password` for InfluxDB 1.8 with auth); empty sends no Authorization. */
  token: string;
  /** v1: database and retention policy (empty: the database's default). */
  database: string;
  retentionPolicy: string;
  /** v1: HTTP basic credentials when InfluxDB has auth on; empty sends none. */
  username: string;
  password: string;
  /** Samples per write (one HTTP request). */
  batchSize: number;
  /** How often to look for new samples once everything is written. */
  pollIntervalMs: number;
  /** HTTP request timeout. */
  timeoutMs: number;
  /**
   * How long this instance's hold on the export's cursor lasts unless renewed (renewed every third of it). With
   * several appliances on one database, one holds it and exports; the others take over when it expires. Default 30 s,
   * or three times `timeoutMs` when that is longer.
   */
  leaseMs: number;
  /** Retry delays after a failed write: doubling from the minimum up to the maximum. */
  minRetryDelayMs: number;
  maxRetryDelayMs: number;
  /** Globs of metrics and of nodes to export; empty lists export everything. */
  metrics: string[];
  nodes: string[];
}

/** The settings of a class with only `url` (and `database` or `bucket`) set. */
export function defaultExportSettings(name: string, url: string): InfluxExportSettings {
  return {
    name, url, mode: 'v2', org: '', bucket: '', token: '', database: '', retentionPolicy: '', username: '', password: '',
    batchSize: 1000, pollIntervalMs: 2000, timeoutMs: 10_000, leaseMs: 30_000, minRetryDelayMs: 1000, maxRetryDelayMs: 60_000, metrics: [], nodes: [],
  };
}

const TEXT = ['url', 'org', 'bucket', 'token', 'database', 'retention_policy', 'username', 'password'] as const;
const DURATIONS = { poll_interval: 'pollIntervalMs', timeout: 'timeoutMs', lease: 'leaseMs', min_retry_delay: 'minRetryDelayMs', max_retry_delay: 'maxRetryDelayMs' } as const;
const KNOWN = [...TEXT, ...Object.keys(DURATIONS), 'mode', 'batch_size', 'metrics', 'nodes'];
const MAX_BATCH = 100_000;

/**
 * `<class type="InfluxExport" name="grafana">` with `<attribute name="...">`: `url` (required), `mode` (`v2` default,
 * or `v1`), `database`, `retention_policy`, `username`, `password` (v1), `org`, `bucket`, `token` (v2), `batch_size`,
 * `poll_interval`, `timeout`, `lease`, `min_retry_delay`, `max_retry_delay` (durations: `500ms`, `30s`, `5m`), `metrics` and
 * `nodes` (globs separated by commas or spaces). Values may use `$VAR` (e.g. a token from the environment).
 */
export const influxExportClassType: ClassTypeHandler<InfluxExportSettings> = {
  type: 'InfluxExport',
  build(cls, ctx) {
    const label = `InfluxExport "${cls.name}"`;
    const attr = cls.attributes;
    warnUnknownAttributes(cls, KNOWN, label, ctx);
    const text = (name: (typeof TEXT)[number]) => (attr[name] ? ctx.expand(attr[name].value, attr[name].pos).trim() : '');
    const settings = defaultExportSettings(cls.name, text('url').replace(/\/+$/, ''));
    if (!settings.url) ctx.issue(cls.pos, `${label}: needs <attribute name="url">, e.g. http://127.0.0.1:8086`);
    else if (!/^https?:\/\/[^/]+/.test(settings.url)) ctx.issue(attr.url!.pos, `${label}: url "${settings.url}" is not an http:// or https:// URL`);
    Object.assign(settings, {
      org: text('org'), bucket: text('bucket'), token: text('token'), database: text('database'),
      retentionPolicy: text('retention_policy'), username: text('username'), password: text('password'),
    });
    const mode = attr.mode?.value.trim();
    if (mode !== undefined) {
      if ((EXPORT_MODES as readonly string[]).includes(mode)) settings.mode = mode as ExportMode;
      else ctx.issue(attr.mode!.pos, `${label}: mode "${mode}" is not one of ${EXPORT_MODES.join(', ')}`);
    }
    if (settings.mode === 'v1' && !settings.database) ctx.issue(cls.pos, `${label}: mode v1 needs <attribute name="database">`);
    if (settings.mode === 'v2' && !settings.bucket) ctx.issue(cls.pos, `${label}: mode v2 needs <attribute name="bucket"> (db/rp for InfluxDB 1.8)`);
    if (attr.batch_size) settings.batchSize = positiveInteger(attr.batch_size.value, attr.batch_size.pos, `${label}: batch_size`, ctx) ?? settings.batchSize;
    for (const [name, key] of Object.entries(DURATIONS)) {
      const a = attr[name];
      if (!a) continue;
      const ms = parseDuration(a.value);
      if (ms && ms > 0) settings[key] = ms;
      else ctx.issue(a.pos, `${label}: ${name} "${a.value}" is not a duration; write e.g. 500ms, 30s, 5m`);
    }
    // A write in flight does not renew the lease: it must fit, with the renewal's third of the lease, inside it.
    if (!attr.lease) settings.leaseMs = Math.max(settings.leaseMs, 3 * settings.timeoutMs);
    else if (settings.leaseMs < 2 * settings.timeoutMs) ctx.issue(attr.lease.pos, `${label}: lease "${attr.lease.value}" must be at least twice the timeout (${settings.timeoutMs} ms)`);
    if (settings.minRetryDelayMs > settings.maxRetryDelayMs) ctx.issue(cls.pos, `${label}: min_retry_delay is longer than max_retry_delay`);
    if (attr.metrics) settings.metrics = splitGlobs(attr.metrics.value);
    if (attr.nodes) settings.nodes = splitGlobs(attr.nodes.value);
    return settings;
  },
};

function positiveInteger(text: string, pos: SourcePos, what: string, ctx: BuildContext): number | undefined {
  const n = /^\d+$/.test(text.trim()) ? Number(text.trim()) : NaN;
  if (n >= 1 && n <= MAX_BATCH) return n;
  ctx.issue(pos, `${what} "${text}" is not a whole number from 1 to ${MAX_BATCH}`);
  return undefined;
}

/** Every `InfluxExport` class of a loaded configuration, in file order (none: the export writes nowhere). */
export function influxExportSettingsOf(config: LoadedConfig): InfluxExportSettings[] {
  return objectsOfType<InfluxExportSettings>(config, 'InfluxExport').map((o) => o.value);
}
