/** Collector settings and the `Collector` class type that builds them from GraphTool XML configuration. */
import { hostname } from 'node:os';
import { parseBoolean, warnUnknownAttribute, type BuildContext, type ClassTypeHandler, type ConfigClass, type SourcePos } from '../grammar/index.js';

/** What happens to a sample of a metric no `Metrics` class declares: WP4's rule is `reject`; the default declares it. */
export const UNKNOWN_METRIC_POLICIES = ['declare', 'reject'] as const;
export type UnknownMetricPolicy = (typeof UNKNOWN_METRIC_POLICIES)[number];

/** Roles a writer may be required to hold (the access stage's roles). */
export const WRITE_ROLES = ['viewer', 'operator', 'admin'] as const;
export type WriteRole = (typeof WRITE_ROLES)[number];

export interface CollectorSettings {
  unknownMetrics: UnknownMetricPolicy;
  /**
   * Anonymous writes from 127.0.0.0/8 and ::1 are accepted (probes on the appliance itself). Off unless the
   * configuration turns it on (the shipped config/collector.xml does); never for a browser's request from another
   * origin, a proxied request, or when a proxy is configured (`trust_proxy`).
   */
  allowLoopbackWrites: boolean;
  /** The role a Basic user or API token needs to write. */
  writeRole: WriteRole;
  /** Largest request body read by the collector's own endpoints, in bytes. */
  maxBodyBytes: number;
  /** Most records one `POST /rsv/records` may carry. */
  maxRecordsPerRequest: number;
  /** Most samples one `POST /api/v1/samples` may carry. */
  maxSamplesPerRequest: number;
  /** Samples and probe records older than this are deleted (0 keeps everything). */
  retentionDays: number;
  /** A probe result older than this is marked stale on the status pages. */
  staleAfterMinutes: number;
  /** RSV's `details-data-trim-length` for `brief` records. */
  detailsTrimLength: number;
  /** The `gatheredAt` of `brief` records whose query names none. */
  gatheredAt: string;
}

/** The defaults: the settings of a configuration without a `Collector` class (no anonymous writes at all). */
export function defaultCollectorSettings(): CollectorSettings {
  return {
    unknownMetrics: 'declare',
    allowLoopbackWrites: false,
    writeRole: 'operator',
    maxBodyBytes: 8 * 1024 * 1024,
    maxRecordsPerRequest: 10_000,
    maxSamplesPerRequest: 10_000,
    retentionDays: 30,
    staleAfterMinutes: 60,
    detailsTrimLength: 10_000,
    gatheredAt: hostname(),
  };
}

const ATTRIBUTES = [
  'unknown_metrics', 'allow_loopback_writes', 'write_role', 'max_body_bytes', 'max_records_per_request', 'max_samples_per_request',
  'retention_days', 'stale_after_minutes', 'details_trim_length', 'gathered_at',
] as const;

/** `<class type="Collector">` with `<attribute name="...">` for each setting (see `config/collector.xml`). */
export const collectorClassType: ClassTypeHandler<CollectorSettings> & { defaults(): CollectorSettings } = {
  type: 'Collector',
  defaults: defaultCollectorSettings,
  build(cls: ConfigClass, ctx: BuildContext): CollectorSettings {
    const label = `Collector "${cls.name}"`;
    const s = defaultCollectorSettings();
    for (const [name, { value, pos }] of Object.entries(cls.attributes)) {
      const what = `${label}: ${name}`;
      switch (name as (typeof ATTRIBUTES)[number]) {
        case 'unknown_metrics':
          s.unknownMetrics = oneOf(value, UNKNOWN_METRIC_POLICIES, pos, what, ctx) ?? s.unknownMetrics;
          break;
        case 'allow_loopback_writes':
          s.allowLoopbackWrites = parseBoolean(value, pos, what, ctx) ?? s.allowLoopbackWrites;
          break;
        case 'write_role':
          s.writeRole = oneOf(value, WRITE_ROLES, pos, what, ctx) ?? s.writeRole;
          break;
        case 'max_body_bytes':
          s.maxBodyBytes = bytes(value, pos, what, ctx) ?? s.maxBodyBytes;
          break;
        case 'max_records_per_request':
          s.maxRecordsPerRequest = count(value, pos, what, ctx, 1) ?? s.maxRecordsPerRequest;
          break;
        case 'max_samples_per_request':
          s.maxSamplesPerRequest = count(value, pos, what, ctx, 1) ?? s.maxSamplesPerRequest;
          break;
        case 'retention_days':
          s.retentionDays = count(value, pos, what, ctx, 0) ?? s.retentionDays;
          break;
        case 'stale_after_minutes':
          s.staleAfterMinutes = count(value, pos, what, ctx, 1) ?? s.staleAfterMinutes;
          break;
        case 'details_trim_length':
          s.detailsTrimLength = count(value, pos, what, ctx, 1) ?? s.detailsTrimLength;
          break;
        case 'gathered_at':
          if (value) s.gatheredAt = ctx.expand(value, pos).trim();
          break;
        default:
          warnUnknownAttribute(name, pos, ATTRIBUTES, label, ctx);
      }
    }
    return s;
  },
};

function oneOf<T extends string>(text: string, allowed: readonly T[], pos: SourcePos, what: string, ctx: BuildContext): T | undefined {
  if ((allowed as readonly string[]).includes(text)) return text as T;
  ctx.issue(pos, `${what} "${text}" is not one of ${allowed.join(', ')}`);
  return undefined;
}

function count(text: string, pos: SourcePos, what: string, ctx: BuildContext, min: number): number | undefined {
  const n = /^\d[\d_]*$/.test(text) ? Number(text.replace(/_/g, '')) : NaN;
  if (Number.isSafeInteger(n) && n >= min) return n;
  ctx.issue(pos, `${what} "${text}" is not a whole number of at least ${min}`);
  return undefined;
}

const UNITS: Record<string, number> = { '': 1, k: 1024, kb: 1024, m: 1024 ** 2, mb: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3 };

/** `8388608`, `512k`, `8MB`: a size in bytes (binary units). */
function bytes(text: string, pos: SourcePos, what: string, ctx: BuildContext): number | undefined {
  const m = /^(\d+)\s*([a-z]*)$/i.exec(text);
  const unit = m ? UNITS[m[2]!.toLowerCase()] : undefined;
  if (m && unit !== undefined && Number(m[1]) > 0) return Number(m[1]) * unit;
  ctx.issue(pos, `${what} "${text}" is not a size; write bytes, or a number with k, MB or GB`);
  return undefined;
}

/** A size for messages: `8 MiB`, `512 KiB`, `100 bytes`. */
export function formatBytes(n: number): string {
  if (n >= 1024 ** 2 && n % 1024 ** 2 === 0) return `${n / 1024 ** 2} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}
