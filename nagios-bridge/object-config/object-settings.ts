/** The object-config generator's part of the `NagiosBridge` class: retirement and removal times, freshness, templates, the Nagios config to respect. */
import type { BuildContext, ConfigClass, SourcePos } from '../../grammar/index.js';

export interface ObjectConfigSettings {
  /** A host or service with no result for this long is retired: still defined, notifications off, "no longer reporting" (default 7 d). */
  retireAfterMs: number;
  /** ... and left out of the file after this long (default 30 d; longer than `retireAfterMs`). */
  removeAfterMs: number;
  /** Added to twice the reporting interval to make the freshness threshold (default 5 min). */
  freshnessMarginMs: number;
  /** The interval assumed until two check times were seen and the source gave no schedule (default 1 h). */
  defaultIntervalMs: number;
  /** The Nagios main config whose `cfg_file`/`cfg_dir` objects are hand-written and never generated again (default /etc/nagios4/nagios.cfg). */
  nagiosCfg: string;
  /** The plugin the freshness check runs (`check_dummy STATE TEXT`). */
  checkDummy: string;
  /** Hand-written templates the generated ones `use` (contacts, periods, ...), if any. */
  hostTemplate?: string;
  serviceTemplate?: string;
}

export const DEFAULT_NAGIOS_CFG = '/etc/nagios4/nagios.cfg';
export const DEFAULT_CHECK_DUMMY = '/usr/lib/nagios/plugins/check_dummy';

/** The defaults, with any of them replaced. */
export function objectConfigSettings(init: Partial<ObjectConfigSettings> = {}): ObjectConfigSettings {
  return {
    retireAfterMs: 7 * 86_400_000,
    removeAfterMs: 30 * 86_400_000,
    freshnessMarginMs: 300_000,
    defaultIntervalMs: 3600_000,
    nagiosCfg: DEFAULT_NAGIOS_CFG,
    checkDummy: DEFAULT_CHECK_DUMMY,
    ...init,
  };
}

/** Attributes of the `NagiosBridge` class that {@link readObjectConfigSettings} reads. */
export const OBJECT_CONFIG_ATTRIBUTES = [
  'retire_after', 'remove_after', 'freshness_margin', 'default_interval', 'nagios_cfg', 'check_dummy', 'host_template', 'service_template',
] as const;

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3600_000, d: 86_400_000 };

function duration(text: string, pos: SourcePos, what: string, ctx: BuildContext): number | undefined {
  const m = /^(\d+)\s*(s|m|h|d)$/.exec(text.trim());
  if (m && Number(m[1]) > 0) return Number(m[1]) * UNITS[m[2]!]!;
  ctx.issue(pos, `${what} "${text}" is not a duration in whole seconds or more; write e.g. 30s, 5m, 24h, 7d`);
  return undefined;
}

// A template name goes into `use`: one name, nothing Nagios would read as a list, comment or macro.
const TEMPLATE_NAME = /^[A-Za-z0-9_.@:/-]{1,100}$/;

/** Reads the generator's attributes of a `NagiosBridge` class; each problem is reported at its attribute's position. */
export function readObjectConfigSettings(cls: ConfigClass, ctx: BuildContext): ObjectConfigSettings {
  const label = `NagiosBridge "${cls.name}"`;
  const s = objectConfigSettings();
  const a = cls.attributes;
  const time = (name: 'retire_after' | 'remove_after' | 'freshness_margin' | 'default_interval', fallback: number) =>
    a[name] ? (duration(a[name].value, a[name].pos, `${label}: ${name}`, ctx) ?? fallback) : fallback;
  s.retireAfterMs = time('retire_after', s.retireAfterMs);
  s.removeAfterMs = time('remove_after', s.removeAfterMs);
  s.freshnessMarginMs = time('freshness_margin', s.freshnessMarginMs);
  s.defaultIntervalMs = time('default_interval', s.defaultIntervalMs);
  if (s.removeAfterMs <= s.retireAfterMs) {
    ctx.issue(a.remove_after?.pos ?? a.retire_after?.pos ?? cls.pos, `${label}: remove_after must be longer than retire_after (a probe is retired before it is ever removed)`);
  }
  for (const name of ['nagios_cfg', 'check_dummy'] as const) {
    const attr = a[name];
    if (!attr) continue;
    const path = ctx.expand(attr.value, attr.pos).trim();
    if (!path.startsWith('/')) ctx.issue(attr.pos, `${label}: ${name} "${attr.value}" must be an absolute path`);
    // The plugin's path goes into a command_line: no white space, comment, macro or quote there.
    else if (name === 'check_dummy' && /[\s;$!"'`\\]/.test(path)) ctx.issue(attr.pos, `${label}: check_dummy "${attr.value}" must not hold white space or any of ; $ ! " ' \` \\`);
    else if (name === 'nagios_cfg') s.nagiosCfg = path;
    else s.checkDummy = path;
  }
  for (const name of ['host_template', 'service_template'] as const) {
    const attr = a[name];
    if (!attr) continue;
    const value = attr.value.trim();
    if (!TEMPLATE_NAME.test(value)) ctx.issue(attr.pos, `${label}: ${name} "${attr.value}" is not one Nagios template name (letters, digits, . _ - @ : /)`);
    else if (name === 'host_template') s.hostTemplate = value;
    else s.serviceTemplate = value;
  }
  return s;
}
