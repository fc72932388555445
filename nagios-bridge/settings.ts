/** The `NagiosBridge` class type: targets, routing of hosts and services to targets, dead-letter age and limits. */
import { compilePattern, type Pattern } from '../common/index.js';
import { defaultRsvSettings, readRsvSettings, RSV_ATTRIBUTES, type RsvSettings } from './rsv-settings.js';
import { ENTRY_ATTRIBUTES, ENTRY_ELEMENTS, entrySettings, readEntrySettings, type EntrySettings } from './entries/index.js';
import { OBJECT_CONFIG_ATTRIBUTES, objectConfigSettings, readObjectConfigSettings, type ObjectConfigSettings } from './object-config/index.js';
import { objectsOfType, warnUnknownAttributes, type BuildContext, type ConfigNode, type LoadedConfig, type ClassTypeHandler, type SourcePos } from '../grammar/index.js';
import { buildIcingaTarget, ICINGA_ATTRS, type IcingaTargetSettings } from './icinga-target-settings.js';
import { buildCmdCgiTarget, buildNrdpTarget, CMD_CGI_ATTRS, NRDP_ATTRS, type CmdCgiTargetSettings, type NrdpTargetSettings } from './remote-target-settings.js';

export const TARGET_TYPES = ['command_file', 'icinga2', 'cmd_cgi', 'nrdp'] as const;
/**
 * `command_file`: Nagios's external command FIFO (with the check-result spool for commands too long for it);
 * `icinga2`: Icinga 2's REST API; `cmd_cgi`: a remote Nagios's cmd.cgi over HTTP(S); `nrdp`: an NRDP server (or
 * another appliance's NRDP entry).
 */
export type TargetType = (typeof TARGET_TYPES)[number];

/** One place results are delivered to; each has its own outbox. */
export type TargetSettings = CommandFileTargetSettings | IcingaTargetSettings | CmdCgiTargetSettings | NrdpTargetSettings;
export type { IcingaTargetSettings } from './icinga-target-settings.js';
export type { CmdCgiTargetSettings, HttpTargetSettings, NrdpTargetSettings } from './remote-target-settings.js';

/** Nagios's command FIFO on this machine. */
export interface CommandFileTargetSettings {
  /** Names the target's outbox queue (`nagios:<name>`) and labels its metrics. */
  name: string;
  type: 'command_file';
  /** The command FIFO. */
  path: string;
  /** Nagios's `check_result_path`, for commands longer than one atomic FIFO write; none: those fail for good. */
  spool?: string;
  pos?: SourcePos;
}

/** Results whose host and service match (anchored, RE2) go to `target`. A target no route names gets every result. */
export interface RouteSettings {
  target: string;
  host?: Pattern;
  service?: Pattern;
  pos?: SourcePos;
}

export interface NagiosBridgeSettings {
  targets: TargetSettings[];
  routes: RouteSettings[];
  /** Results undelivered this long are dead-lettered with their last failure (default 24 h). */
  deadLetterAfterMs: number;
  /** Undelivered results per target beyond which `submit` refuses new ones (the entry answers 503; default 100,000). */
  maxQueued: number;
  /** Results per delivery batch, i.e. per claim (default 2,000; up to OUTBOX_RUN_LENGTH of one service, see outbox.ts). */
  batchSize: number;
  /** Retry delays: full-jitter backoff from `retryMinMs` doubling up to `retryMaxMs` (defaults 1 s, 1 min). */
  retryMinMs: number;
  retryMaxMs: number;
  /**
   * How long a claim of a target's items is leased (default 30 s, renewed every third of it while delivering). A
   * process killed mid-delivery holds its items this long before another process, or the restarted one, retries them.
   */
  deliveryLeaseMs: number;
  /** The cmd.cgi and NRDP entries' part of the class (realm, authorized users, submitters, NRDP tokens, limits). */
  entries: EntrySettings;
  /** Forwarding of the records stored by `POST /rsv/records` (rsv-settings.ts). */
  rsv: RsvSettings;
  /** The object-config generator's part (retire_after, remove_after, freshness, templates, nagios_cfg). */
  objects: ObjectConfigSettings;
}

/** The settings of a configuration without a `NagiosBridge` class: no targets, the entries' defaults. */
export function defaultBridgeSettings(): NagiosBridgeSettings {
  return { entries: entrySettings(), rsv: defaultRsvSettings(), objects: objectConfigSettings(), targets: [], routes: [], deadLetterAfterMs: 24 * 3600_000, maxQueued: 100_000, batchSize: 2_000, retryMinMs: 1_000, retryMaxMs: 60_000, deliveryLeaseMs: 30_000 };
}

/** The target the one-flag quick start (`--nagios-command-file PATH`) adds: every result, no other configuration. */
export function commandFileTarget(path: string, name = 'command-file'): CommandFileTargetSettings {
  return { name, type: 'command_file', path };
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3600_000, d: 86_400_000 };

/** `500ms`, `30s`, `5m`, `24h`, `7d`. */
function duration(text: string, pos: SourcePos, what: string, ctx: BuildContext): number | undefined {
  const m = /^(\d+)\s*(ms|s|m|h|d)$/.exec(text.trim());
  if (m && Number(m[1]) > 0) return Number(m[1]) * UNITS[m[2]!]!;
  ctx.issue(pos, `${what} "${text}" is not a duration; write e.g. 500ms, 30s, 5m, 24h, 7d`);
  return undefined;
}

function whole(text: string, pos: SourcePos, what: string, ctx: BuildContext, min: number, max: number): number | undefined {
  const n = /^\d+$/.test(text.trim()) ? Number(text.trim()) : NaN;
  if (n >= min && n <= max) return n;
  ctx.issue(pos, `${what} "${text}" is not a whole number from ${min} to ${max}`);
  return undefined;
}

const ATTRIBUTES = ['dead_letter_after', 'max_queued', 'batch_size', 'retry_min', 'retry_max', 'delivery_lease'] as const;
const TARGET_ATTRS = ['name', 'type', 'path', 'spool'];
const ROUTE_ATTRS = ['target', 'host', 'service'];
const TARGET_NAME = /^[A-Za-z0-9_.-]{1,50}$/;

function unknownAttrs(el: ConfigNode, known: readonly string[], label: string, ctx: BuildContext) {
  for (const a of Object.keys(el.attrs)) if (!known.includes(a)) ctx.issue(el.pos, `${label}: unknown attribute "${a}" (known: ${known.join(', ')})`, 'warning');
}

function buildTarget(el: ConfigNode, label: string, ctx: BuildContext): TargetSettings | undefined {
  const { name = '', type = '', path = '', spool } = el.attrs;
  const what = `${label}: <target name="${name}">`;
  let ok = true;
  if (!TARGET_NAME.test(name)) {
    ctx.issue(el.pos, `${label}: <target> needs name="..." of 1 to 50 letters, digits, '.', '_' or '-'`);
    ok = false;
  }
  if (type === 'icinga2') {
    unknownAttrs(el, ICINGA_ATTRS, what, ctx);
    const t = buildIcingaTarget(el, name, what, ctx);
    return ok ? t : undefined;
  }
  if (type === 'cmd_cgi' || type === 'nrdp') {
    unknownAttrs(el, type === 'cmd_cgi' ? CMD_CGI_ATTRS : NRDP_ATTRS, what, ctx);
    const t = type === 'cmd_cgi' ? buildCmdCgiTarget(el, name, what, ctx) : buildNrdpTarget(el, name, what, ctx);
    return ok ? t : undefined;
  }
  unknownAttrs(el, TARGET_ATTRS, what, ctx);
  if (!(TARGET_TYPES as readonly string[]).includes(type)) {
    ctx.issue(el.pos, `${what}: type "${type}" is not one of ${TARGET_TYPES.join(', ')}`);
    ok = false;
  }
  const fifo = ctx.expand(path, el.pos).trim();
  if (!fifo.startsWith('/')) {
    ctx.issue(el.pos, `${what}: path="${path}" must be the absolute path of Nagios's command_file`);
    ok = false;
  }
  const spoolDir = spool === undefined ? undefined : ctx.expand(spool, el.pos).trim();
  if (spoolDir !== undefined && !spoolDir.startsWith('/')) {
    ctx.issue(el.pos, `${what}: spool="${spool}" must be the absolute path of Nagios's check_result_path`);
    ok = false;
  }
  return ok ? { name, type: 'command_file', path: fifo, ...(spoolDir ? { spool: spoolDir } : {}), pos: el.pos } : undefined;
}

function buildRoute(el: ConfigNode, label: string, ctx: BuildContext): RouteSettings | undefined {
  const { target = '', host, service } = el.attrs;
  const what = `${label}: <route target="${target}">`;
  unknownAttrs(el, ROUTE_ATTRS, what, ctx);
  const compile = (field: 'host' | 'service', text: string | undefined): Pattern | undefined | false => {
    if (text === undefined) return undefined;
    try {
      // Anchored at both ends: `ce1` must not also route `ce10.example.org`.
      compilePattern(text, { input: field });
      return compilePattern(`^(?:${text})$`, { input: field });
    } catch (err) {
      ctx.issue(el.pos, `${what}: ${field}: ${(err as Error).message}`);
      return false;
    }
  };
  const h = compile('host', host);
  const s = compile('service', service);
  if (h === false || s === false) return undefined;
  return { target, ...(h ? { host: h } : {}), ...(s ? { service: s } : {}), pos: el.pos };
}

/**
 * `<class type="NagiosBridge" name="nagios">` with `<attribute name="...">` settings (`dead_letter_after`, `max_queued`,
 * `batch_size`, `retry_min`, `retry_max`, `delivery_lease`, `rsv_lease`, the entries' own, read by readEntrySettings, and the RSV
 * forwarding's, read by readRsvSettings), `<target name= type="command_file" path= spool=/>`,
 * `<target type="icinga2" url= user= password_file= ca_file=/>` elements (icinga-target-settings.ts),
 * `<target type="cmd_cgi" url= user= password_file=/>` and `<target type="nrdp" url= token_file=/>` elements (remote-target-settings.ts), and
 * `<route target= host= service=/>` elements (anchored RE2 patterns; a target no route names gets every result).
 */
export const nagiosBridgeClassType: ClassTypeHandler<NagiosBridgeSettings> = {
  type: 'NagiosBridge',
  build(cls, ctx) {
    const label = `NagiosBridge "${cls.name}"`;
    const s = defaultBridgeSettings();
    warnUnknownAttributes(cls, [...ATTRIBUTES, ...ENTRY_ATTRIBUTES, ...RSV_ATTRIBUTES, ...OBJECT_CONFIG_ATTRIBUTES], label, ctx);
    s.entries = readEntrySettings(cls, ctx);
    s.rsv = readRsvSettings(cls, ctx);
    s.objects = readObjectConfigSettings(cls, ctx);
    const a = cls.attributes;
    if (a.dead_letter_after) s.deadLetterAfterMs = duration(a.dead_letter_after.value, a.dead_letter_after.pos, `${label}: dead_letter_after`, ctx) ?? s.deadLetterAfterMs;
    if (a.retry_min) s.retryMinMs = duration(a.retry_min.value, a.retry_min.pos, `${label}: retry_min`, ctx) ?? s.retryMinMs;
    if (a.retry_max) s.retryMaxMs = duration(a.retry_max.value, a.retry_max.pos, `${label}: retry_max`, ctx) ?? s.retryMaxMs;
    if (a.delivery_lease) {
      const ms = duration(a.delivery_lease.value, a.delivery_lease.pos, `${label}: delivery_lease`, ctx);
      if (ms !== undefined && ms < 1_000) ctx.issue(a.delivery_lease.pos, `${label}: delivery_lease must be at least 1s (it is renewed every third of it)`);
      else if (ms !== undefined) s.deliveryLeaseMs = ms;
    }
    if (a.rsv_lease) s.rsv.leaseMs = duration(a.rsv_lease.value, a.rsv_lease.pos, `${label}: rsv_lease`, ctx) ?? s.rsv.leaseMs;
    if (a.max_queued) s.maxQueued = whole(a.max_queued.value, a.max_queued.pos, `${label}: max_queued`, ctx, 1, 10_000_000) ?? s.maxQueued;
    if (a.batch_size) s.batchSize = whole(a.batch_size.value, a.batch_size.pos, `${label}: batch_size`, ctx, 1, 10_000) ?? s.batchSize;
    if (s.retryMinMs > s.retryMaxMs) ctx.issue(a.retry_min?.pos ?? cls.pos, `${label}: retry_min is longer than retry_max`);

    for (const el of cls.node.children) {
      if (el.tag === 'target') {
        const t = buildTarget(el, label, ctx);
        if (!t) continue;
        if (s.targets.some((o) => o.name === t.name)) ctx.issue(el.pos, `${label}: a second <target name="${t.name}">; target names must be unique`);
        else s.targets.push(t);
      } else if (el.tag === 'route') {
        const r = buildRoute(el, label, ctx);
        if (r) s.routes.push(r);
      } else if (el.tag !== 'attribute' && !(ENTRY_ELEMENTS as readonly string[]).includes(el.tag)) {
        ctx.issue(el.pos, `${label}: unknown element <${el.tag}> (known: attribute, target, route, ${ENTRY_ELEMENTS.join(', ')})`, 'warning');
      }
    }
    for (const r of s.routes) {
      if (!s.targets.some((t) => t.name === r.target)) ctx.issue(r.pos!, `${label}: <route> names target "${r.target}", which no <target> defines`);
    }
    return s;
  },
};

/** The bridge settings of a loaded configuration: the first `NagiosBridge` class, or the defaults (no targets). */
export function nagiosBridgeSettingsOf(config: LoadedConfig): NagiosBridgeSettings {
  return objectsOfType<NagiosBridgeSettings>(config, 'NagiosBridge')[0]?.value ?? defaultBridgeSettings();
}
