/**
 * The `OpenNebulaSource` class type: one OpenNebula endpoint (site or zone) pulled on a cron schedule. The class name
 * is the endpoint's name, the key its segments and slices are stored under; several classes pull side by side.
 */
import { readFileSync } from 'node:fs';
import { Cron } from 'croner';
import { objectsOfType, parseBoolean, warnUnknownAttribute, type ClassTypeHandler, type LoadedConfig, type SourcePos } from '../grammar/index.js';

/** One configured endpoint, as the pull runs it. */
export interface OpenNebulaSourceSettings {
  /** The class name: the `endpoint` of everything imported from it (at most 64 characters). */
  name: string;
  /** `http(s)://host:2633/RPC2`. */
  url: string;
  /** Exactly one of these: the session inline, or a file holding it (read on every pull). */
  session?: string;
  sessionFile?: string;
  /** A croner pattern (5 or 6 fields; seconds first when 6). */
  schedule: string;
  /** The pool filter flag (-2 all, the default; -1 mine and my groups; >= 0 one user id). */
  filter: number;
  /** Epoch seconds: where the first pull starts (default 0: the whole history). */
  firstStart: number;
  /** Each pull starts this many seconds before the last successful pull's watermark (clock skew, late commits). */
  overlapSeconds: number;
  /** The bound on the XML-RPC call, ms. */
  timeoutMs: number;
  /** The largest answer read, bytes. */
  maxResponseBytes: number;
  /** How long a pull holds its endpoint's lease, ms: another appliance takes over only after it lapses. */
  leaseMs: number;
  /** After a failure, the next tick's pull waits at least this long, doubling per failure up to `retryCapMs`. */
  retryBaseMs: number;
  retryCapMs: number;
  insecure: boolean;
  /** PEM CA certificate(s) read from `ca_file`. */
  ca?: string;
  pos: SourcePos;
}

const ATTRIBUTES = [
  'url', 'session', 'session_file', 'schedule', 'filter', 'first_start', 'overlap_seconds', 'timeout_seconds',
  'max_response_mb', 'lease_seconds', 'retry_seconds', 'retry_cap_seconds', 'insecure', 'ca_file',
] as const;

const ENDPOINT_NAME = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

/** `first_start`: epoch seconds, or an ISO 8601 date/time with its zone (`2026-01-01T00:00:00Z`). */
function parseInstant(text: string): number | undefined {
  if (/^\d{1,12}$/.test(text)) return Number(text);
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:\d{2}))?$/.test(text)) return undefined;
  const ms = Date.parse(text.length === 10 ? `${text}T00:00:00Z` : text);
  return Number.isFinite(ms) ? Math.floor(ms / 1000) : undefined;
}

export const openNebulaSourceClassType: ClassTypeHandler<OpenNebulaSourceSettings> = {
  type: 'OpenNebulaSource',
  build(cls, ctx) {
    const label = `OpenNebulaSource "${cls.name}"`;
    const s: OpenNebulaSourceSettings = {
      name: cls.name, url: '', schedule: '*/15 * * * *', filter: -2, firstStart: 0, overlapSeconds: 3600, timeoutMs: 120_000,
      maxResponseBytes: 256 * 1024 * 1024, leaseMs: 600_000, retryBaseMs: 60_000, retryCapMs: 3_600_000, insecure: false, pos: cls.pos,
    };
    if (!ENDPOINT_NAME.test(cls.name)) {
      ctx.issue(cls.pos, `${label}: the name is the endpoint's key: 1 to 64 letters, digits, ".", "_", ":" or "-", starting with a letter or digit`);
    }
    const whole = (value: string, pos: SourcePos, name: string, min: number, max: number): number | undefined => {
      const n = /^-?\d+$/.test(value) ? Number(value) : NaN;
      if (n >= min && n <= max) return n;
      ctx.issue(pos, `${label}: ${name} "${value}" is not a whole number from ${min} to ${max}`);
      return undefined;
    };
    for (const [name, attr] of Object.entries(cls.attributes)) {
      const value = ctx.expand(attr.value, attr.pos).trim();
      switch (name as (typeof ATTRIBUTES)[number]) {
        case 'url':
          try {
            const u = new URL(value);
            if (u.protocol !== 'http:' && u.protocol !== 'https:') ctx.issue(attr.pos, `${label}: url "${value}" must be http: or https: (http://host:2633/RPC2)`);
            else if (u.username || u.password) ctx.issue(attr.pos, `${label}: url must not carry credentials; use session_file`);
            else s.url = value;
          } catch {
            ctx.issue(attr.pos, `${label}: url "${value}" is not a URL (http://host:2633/RPC2)`);
          }
          break;
        case 'session':
          if (/^[^:\s]+:\S/.test(value)) s.session = value;
          else ctx.issue(attr.pos, `${label}: session is not of the form user:password`);
          break;
        case 'session_file':
          if (value) s.sessionFile = value;
          else ctx.issue(attr.pos, `${label}: session_file is empty`);
          break;
        case 'schedule':
          try {
            new Cron(value, { paused: true }).stop();
            s.schedule = value;
          } catch (err) {
            ctx.issue(attr.pos, `${label}: schedule "${value}" is not a cron pattern: ${(err as Error).message}`);
          }
          break;
        case 'filter': {
          const n = whole(value, attr.pos, 'filter', -4, 2 ** 31 - 1);
          if (n !== undefined) s.filter = n;
          break;
        }
        case 'first_start': {
          const t = parseInstant(value);
          if (t !== undefined) s.firstStart = t;
          else ctx.issue(attr.pos, `${label}: first_start "${value}" is neither epoch seconds nor an ISO 8601 time with its zone (2026-01-01T00:00:00Z)`);
          break;
        }
        case 'overlap_seconds': {
          const n = whole(value, attr.pos, 'overlap_seconds', 0, 30 * 86400);
          if (n !== undefined) s.overlapSeconds = n;
          break;
        }
        case 'timeout_seconds': {
          const n = whole(value, attr.pos, 'timeout_seconds', 1, 3600);
          if (n !== undefined) s.timeoutMs = n * 1000;
          break;
        }
        case 'max_response_mb': {
          const n = whole(value, attr.pos, 'max_response_mb', 1, 4096);
          if (n !== undefined) s.maxResponseBytes = n * 1024 * 1024;
          break;
        }
        case 'lease_seconds': {
          const n = whole(value, attr.pos, 'lease_seconds', 1, 86400);
          if (n !== undefined) s.leaseMs = n * 1000;
          break;
        }
        case 'retry_seconds': {
          const n = whole(value, attr.pos, 'retry_seconds', 1, 86400);
          if (n !== undefined) s.retryBaseMs = n * 1000;
          break;
        }
        case 'retry_cap_seconds': {
          const n = whole(value, attr.pos, 'retry_cap_seconds', 1, 7 * 86400);
          if (n !== undefined) s.retryCapMs = n * 1000;
          break;
        }
        case 'insecure': {
          const b = parseBoolean(value, attr.pos, `${label}: insecure`, ctx);
          if (b !== undefined) s.insecure = b;
          break;
        }
        case 'ca_file':
          try {
            s.ca = readFileSync(value, 'utf8');
          } catch (err) {
            ctx.issue(attr.pos, `${label}: cannot read ca_file ${value}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
          }
          break;
        default:
          warnUnknownAttribute(name, attr.pos, ATTRIBUTES, label, ctx);
      }
    }
    if (!cls.attributes.url) ctx.issue(cls.pos, `${label}: url is required (http://host:2633/RPC2)`);
    const given = [cls.attributes.session, cls.attributes.session_file].filter(Boolean).length;
    if (given !== 1) ctx.issue(cls.pos, `${label}: give exactly one of session and session_file (the user:password OpenNebula accepts)`);
    if (s.leaseMs <= s.timeoutMs) {
      ctx.issue((cls.attributes.lease_seconds ?? cls.attributes.timeout_seconds)?.pos ?? cls.pos, `${label}: lease_seconds must be longer than timeout_seconds, so a pull's call ends before its lease can pass to another appliance`);
    }
    if (s.retryCapMs < s.retryBaseMs) ctx.issue(cls.attributes.retry_cap_seconds?.pos ?? cls.pos, `${label}: retry_cap_seconds is shorter than retry_seconds`);
    return s;
  },
};

/** The configured endpoints, in definition order. */
export function openNebulaSourcesOf(config: LoadedConfig): OpenNebulaSourceSettings[] {
  return objectsOfType<OpenNebulaSourceSettings>(config, 'OpenNebulaSource').map((o) => o.value);
}
