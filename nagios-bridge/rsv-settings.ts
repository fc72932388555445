/** The `NagiosBridge` class's RSV part: whether stored RSV records are forwarded, and how a record becomes a result. */
import { parseBoolean, type BuildContext, type ConfigClass } from '../grammar/index.js';
import { checkName, ResultFieldError } from './entries/check-result-fields.js';

export const RSV_HOST_SOURCES = ['service_uri', 'host_name', 'fixed'] as const;
/**
 * The Nagios host of a record: `service_uri` the host of its serviceURI (RSV before SOFTWARE-1170, rsv2nagios),
 * `host_name` its hostName, `fixed` one name for every record (`RSV_HOST` of rsv-nagios.conf). A record lacking the
 * field asked for (a local probe has no serviceURI, a remote one no hostName) is named by the other.
 */
export type RsvHostSource = (typeof RSV_HOST_SOURCES)[number];

export const RSV_OUTPUT_SOURCES = ['details', 'summary'] as const;
/** `details`: detailsData's first line is the output, the rest long output (RSV's consumer). `summary`: summaryData is the output, detailsData the long output. */
export type RsvOutputSource = (typeof RSV_OUTPUT_SOURCES)[number];

export const RSV_START_POINTS = ['now', 'beginning'] as const;
/** Where the cursor starts the first time forwarding runs: after the records stored by then, or at the first one kept. */
export type RsvStart = (typeof RSV_START_POINTS)[number];

export interface RsvSettings {
  /** Forward the records stored by `POST /rsv/records` to the targets (default off; on for the quick start alone). */
  forward: boolean;
  hostFrom: RsvHostSource;
  /** The host of every record when `hostFrom` is `fixed`. */
  fixedHost?: string;
  output: RsvOutputSource;
  start: RsvStart;
  /** The cursor's lease: another appliance takes the forwarding over this long after its holder stopped renewing. */
  leaseMs: number;
}

export function defaultRsvSettings(): RsvSettings {
  return { forward: false, hostFrom: 'service_uri', output: 'details', start: 'now', leaseMs: 30_000 };
}

/** Attributes read by {@link readRsvSettings} (`rsv_lease` is a duration, read with the class's other durations). */
export const RSV_ATTRIBUTES = ['forward_rsv_records', 'rsv_host_from', 'rsv_host', 'rsv_output', 'rsv_start', 'rsv_lease'] as const;

function oneOf<T extends string>(values: readonly T[], text: string | undefined): T | undefined {
  return (values as readonly string[]).includes(text ?? '') ? (text as T) : undefined;
}

/** Reads the RSV attributes of a `NagiosBridge` class (all but `rsv_lease`); problems go to `ctx` at their position. */
export function readRsvSettings(cls: ConfigClass, ctx: BuildContext): RsvSettings {
  const label = `NagiosBridge "${cls.name}"`;
  const a = cls.attributes;
  const s = defaultRsvSettings();
  const forward = a.forward_rsv_records;
  if (forward) s.forward = parseBoolean(forward.value, forward.pos, `${label}: forward_rsv_records`, ctx) ?? s.forward;
  const enumAttr = <T extends string>(name: string, values: readonly T[]): T | undefined => {
    const attr = a[name];
    if (!attr) return undefined;
    const v = oneOf(values, attr.value.trim());
    if (v === undefined) ctx.issue(attr.pos, `${label}: ${name} "${attr.value}" is not one of ${values.join(', ')}`);
    return v;
  };
  s.output = enumAttr('rsv_output', RSV_OUTPUT_SOURCES) ?? s.output;
  s.start = enumAttr('rsv_start', RSV_START_POINTS) ?? s.start;
  const from = enumAttr('rsv_host_from', RSV_HOST_SOURCES);
  const fixed = a.rsv_host;
  if (fixed) {
    const name = fixed.value.trim();
    try {
      checkName(name, 'rsv_host', 'host name');
      s.fixedHost = name;
    } catch (err) {
      if (!(err instanceof ResultFieldError)) throw err;
      ctx.issue(fixed.pos, `${label}: ${err.message}`);
    }
    // rsv_host alone means what RSV_HOST means: every record under that host.
    if (from !== undefined && from !== 'fixed') ctx.issue(fixed.pos, `${label}: rsv_host names a fixed host, but rsv_host_from is "${from}"; drop one of them`);
  } else if (from === 'fixed') {
    ctx.issue(a.rsv_host_from!.pos, `${label}: rsv_host_from "fixed" needs rsv_host="NAME" (RSV_HOST of rsv-nagios.conf)`);
  }
  s.hostFrom = fixed ? 'fixed' : (from ?? s.hostFrom);
  return s;
}
