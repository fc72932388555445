/** The `Sensors` class type: a group of sensor commands with their metrics, schedules and timeouts. */
import { hostname } from 'node:os';
import { objectsOfType, warnUnknownAttributes, type ClassTypeHandler, type LoadedConfig, type SourcePos } from '../../grammar/index.js';
import { splitCommandLine } from './command-line.js';
import { formatDuration, parseDuration } from './duration.js';
import { parseCron, type Schedule } from './schedule.js';

/** One sensor: a command run on a schedule, reported as metric `metric` (and `metric.label` per perfdata item). */
export interface SensorDef {
  name: string;
  metric: string;
  /** The command as configured, and split into argv (run without a shell). */
  commandLine: string;
  argv: string[];
  schedule: Schedule;
  timeoutMs: number;
  /** Whether perfdata items become samples (default true). */
  perfdata: boolean;
  pos: SourcePos;
}

/** A `Sensors` class: its sensors share a node name and a bound on how many run at once. */
export interface SensorsConfig {
  name: string;
  /** The node the samples are about (default: this machine's host name). */
  node: string;
  /** At most this many of the group's sensors run at once. */
  concurrency: number;
  sensors: SensorDef[];
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_CONCURRENCY = 4;
const KNOWN_ATTRIBUTES = ['node', 'concurrency', 'timeout'] as const;
const SENSOR_ATTRIBUTES = ['name', 'metric', 'every', 'offset', 'cron', 'timeout', 'perfdata'] as const;

/**
 * ```xml
 * <class type="Sensors" name="local">
 *   <attribute name="node">wn01</attribute>            <!-- default: the host name -->
 *   <attribute name="concurrency">4</attribute>        <!-- sensors of this class running at once -->
 *   <attribute name="timeout">30s</attribute>          <!-- default timeout of its sensors -->
 *   <sensor name="load" metric="load" every="1m" offset="5s" timeout="10s">/usr/lib/nagios/plugins/check_load -w 5,4,3 -c 10,8,6</sensor>
 *   <sensor name="backup" cron="0 30 2 * * *">/usr/local/bin/check_backup --max-age 1d</sensor>
 * </class>
 * ```
 * Each sensor has `every` (with an optional `offset`) or `cron`; `metric` defaults to its name; `perfdata="false"`
 * keeps only the state sample. The command runs without a shell: quote arguments with spaces.
 */
export const sensorsClassType: ClassTypeHandler<SensorsConfig> = {
  type: 'Sensors',
  build(cls, ctx) {
    const label = `Sensors "${cls.name}"`;
    const attr = cls.attributes;
    warnUnknownAttributes(cls, KNOWN_ATTRIBUTES, label, ctx);
    const node = attr.node ? ctx.expand(attr.node.value, attr.node.pos).trim() : hostname();
    let concurrency = DEFAULT_CONCURRENCY;
    if (attr.concurrency) {
      const n = /^\d+$/.test(attr.concurrency.value.trim()) ? Number(attr.concurrency.value.trim()) : 0;
      if (n >= 1 && n <= 256) concurrency = n;
      else ctx.issue(attr.concurrency.pos, `${label}: concurrency "${attr.concurrency.value}" is not a whole number from 1 to 256`);
    }
    let defaultTimeout = DEFAULT_TIMEOUT_MS;
    if (attr.timeout) {
      const ms = parseDuration(attr.timeout.value);
      if (ms && ms > 0) defaultTimeout = ms;
      else ctx.issue(attr.timeout.pos, `${label}: timeout "${attr.timeout.value}" is not a duration; write e.g. 10s`);
    }

    const sensors: SensorDef[] = [];
    const names = new Set<string>();
    for (const el of cls.node.children) {
      if (el.tag === 'attribute') continue;
      if (el.tag !== 'sensor') {
        ctx.issue(el.pos, `${label}: unknown element <${el.tag}>; use <attribute> or <sensor>`, 'warning');
        continue;
      }
      const a = el.attrs;
      const where = `${label}: sensor "${a.name ?? ''}"`;
      for (const k of Object.keys(a)) {
        if (!(SENSOR_ATTRIBUTES as readonly string[]).includes(k)) ctx.issue(el.pos, `${where}: unknown attribute "${k}"; use ${SENSOR_ATTRIBUTES.join(', ')}`, 'warning');
      }
      let ok = true;
      const bad = (message: string) => {
        ctx.issue(el.pos, `${where}: ${message}`);
        ok = false;
      };
      const name = a.name?.trim() ?? '';
      if (!name) bad('needs name="..."');
      else if (names.has(name)) bad('is defined twice in this class; give each sensor its own name');
      names.add(name);
      const metric = a.metric?.trim() || name;
      const commandLine = ctx.expand(el.text, el.pos).trim();
      const argv = splitCommandLine(commandLine);
      if (typeof argv === 'string') bad(`command: ${argv}`);
      else if (!argv.length) bad('has no command; write it as the element text');

      let schedule: Schedule | undefined;
      if ((a.every === undefined) === (a.cron === undefined)) bad('needs either every="1m" (with an optional offset) or cron="..."');
      else if (a.every !== undefined) {
        const every = parseDuration(a.every);
        const offset = a.offset === undefined ? 0 : parseDuration(a.offset);
        if (!every || every < 1000) bad(`every "${a.every}" is not a duration of at least 1s`);
        else if (offset === undefined || offset >= every) bad(`offset "${a.offset ?? ''}" is not a duration shorter than every (${formatDuration(every)})`);
        else schedule = { kind: 'interval', everyMs: every, offsetMs: offset };
      } else {
        if (a.offset !== undefined) bad('offset goes with every, not with cron; put it into the cron expression');
        const cron = parseCron(a.cron!);
        if (typeof cron === 'string') bad(`cron "${a.cron}": ${cron}`);
        else schedule = { kind: 'cron', expression: a.cron!, cron };
      }
      let timeoutMs = defaultTimeout;
      if (a.timeout !== undefined) {
        const ms = parseDuration(a.timeout);
        if (ms && ms > 0) timeoutMs = ms;
        else bad(`timeout "${a.timeout}" is not a duration; write e.g. 10s`);
      }
      let perfdata = true;
      if (a.perfdata !== undefined) {
        if (['true', 'false'].includes(a.perfdata)) perfdata = a.perfdata === 'true';
        else bad(`perfdata "${a.perfdata}" is not true or false`);
      }
      if (ok && schedule && Array.isArray(argv)) sensors.push({ name, metric, commandLine, argv, schedule, timeoutMs, perfdata, pos: el.pos });
    }
    return { name: cls.name, node, concurrency, sensors };
  },
};

/** Every `Sensors` class of a loaded configuration, in file order: what `SensorAgent.applyConfig` takes. */
export function sensorsConfigsOf(config: LoadedConfig): SensorsConfig[] {
  return objectsOfType<SensorsConfig>(config, 'Sensors').map((o) => o.value);
}
