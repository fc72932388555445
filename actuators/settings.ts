/**
 * The `Actuators` class type: the registered actuators (`<actuator name= kind= intrusive= idempotent= timeout=>` with
 * the kind's own attributes and `<arg>`/`<env>` children), the known nodes (`<node name=/>`), and the dispatcher's
 * retention, lease, output bound and parallelism. Every problem names its file, line and element.
 */
import { objectsOfType, parseBoolean, warnUnknownAttributes, type BuildContext, type ClassTypeHandler, type ConfigNode, type LoadedConfig, type SourcePos } from '../grammar/index.js';
import { BUILTIN_KINDS } from './kinds/index.js';
import type { ActuatorDefinition, ActuatorElement, ActuatorKind } from './types.js';

export interface ActuatorSettings {
  actuators: Map<string, ActuatorDefinition>;
  nodes: Set<string>;
  /** Finished, timed-out and abandoned statuses are kept this long after they end, then purged (default 7 d). */
  retentionMs: number;
  /** A running request's lease, renewed every third of it; a process killed mid-run is noticed this long after (default 10 s). */
  leaseMs: number;
  /** Bytes of each run's output kept (default 64 KiB). */
  outputLimit: number;
  /** Runs at once over all nodes in one process (default 32). */
  maxParallel: number;
  /** Timeout of a dispatch that names none (default 1 h). */
  defaultTimeoutMs: number;
}

export function defaultActuatorSettings(): ActuatorSettings {
  return { actuators: new Map(), nodes: new Set(), retentionMs: 7 * 86_400_000, leaseMs: 10_000, outputLimit: 65_536, maxParallel: 32, defaultTimeoutMs: 3_600_000 };
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3600_000, d: 86_400_000 };
const NAME = /^[A-Za-z0-9_.:-]{1,128}$/;
const NODE = /^[A-Za-z0-9_.:-]{1,190}$/;
const ATTRIBUTES = ['retention', 'lease', 'output_limit', 'max_parallel', 'default_timeout'] as const;
const ACTUATOR_ATTRS = ['name', 'kind', 'intrusive', 'idempotent', 'timeout', 'cwd'];

/** `500ms`, `30s`, `5m`, `24h`, `7d`. */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d{1,9})\s*(ms|s|m|h|d)$/.exec(text.trim());
  return m && Number(m[1]) > 0 ? Number(m[1]) * UNITS[m[2]!]! : undefined;
}

function duration(text: string, pos: SourcePos, what: string, ctx: BuildContext): number | undefined {
  const ms = parseDuration(text);
  if (ms === undefined) ctx.issue(pos, `${what} "${text}" is not a duration; write e.g. 500ms, 30s, 5m, 24h, 7d`);
  return ms;
}

function whole(text: string, pos: SourcePos, what: string, ctx: BuildContext, min: number, max: number): number | undefined {
  const n = /^\d{1,9}$/.test(text.trim()) ? Number(text.trim()) : NaN;
  if (n >= min && n <= max) return n;
  ctx.issue(pos, `${what} "${text}" is not a whole number from ${min} to ${max}`);
  return undefined;
}

function element(el: ConfigNode): ActuatorElement {
  return {
    name: el.attrs.name ?? '',
    attrs: el.attrs,
    args: el.children.filter((c) => c.tag === 'arg').map((c) => ({ text: c.text, pos: c.pos })),
    env: el.children.filter((c) => c.tag === 'env').map((c) => ({ name: c.attrs.name ?? '', value: c.attrs.value ?? '', pos: c.pos })),
    pos: el.pos,
  };
}

function buildActuator(el: ConfigNode, label: string, kinds: ReadonlyMap<string, ActuatorKind<unknown>>, ctx: BuildContext): ActuatorDefinition | undefined {
  const { name = '', kind = '' } = el.attrs;
  const what = `${label}: <actuator name="${name}">`;
  let ok = true;
  if (!NAME.test(name)) {
    ctx.issue(el.pos, `${label}: <actuator> needs name="..." of 1 to 128 letters, digits, '.', '_', ':' or '-'`);
    ok = false;
  }
  for (const a of Object.keys(el.attrs)) if (!ACTUATOR_ATTRS.includes(a)) ctx.issue(el.pos, `${what}: unknown attribute "${a}" (known: ${ACTUATOR_ATTRS.join(', ')})`, 'warning');
  for (const c of el.children) if (c.tag !== 'arg' && c.tag !== 'env') ctx.issue(c.pos, `${what}: unknown element <${c.tag}> (known: arg, env)`, 'warning');
  const k = kinds.get(kind);
  if (!k) {
    ctx.issue(el.pos, `${what}: kind "${kind}" is not one of ${[...kinds.keys()].join(', ')}`);
    return undefined;
  }
  const flag = (attr: 'intrusive' | 'idempotent') => (el.attrs[attr] === undefined ? false : parseBoolean(el.attrs[attr], el.pos, `${what}: ${attr}`, ctx));
  const intrusive = flag('intrusive');
  const idempotent = flag('idempotent');
  const runLimitMs = el.attrs.timeout === undefined ? 300_000 : duration(el.attrs.timeout, el.pos, `${what}: timeout`, ctx);
  const settings = k.build(element(el), (pos, message) => ctx.issue(pos, message));
  if (!ok || settings === undefined || intrusive === undefined || idempotent === undefined || runLimitMs === undefined) return undefined;
  return { name, kind, intrusive, idempotent, runLimitMs, settings, pos: el.pos };
}

/** The class type over these kinds (the built-in command and echo, plus those other stages add). */
export function actuatorsClassTypeWith(extraKinds: readonly ActuatorKind<never>[] = []): ClassTypeHandler<ActuatorSettings> {
  const kinds = new Map<string, ActuatorKind<unknown>>([...BUILTIN_KINDS, ...extraKinds].map((k) => [k.kind, k as ActuatorKind<unknown>]));
  return {
    type: 'Actuators',
    build(cls, ctx) {
      const label = `Actuators "${cls.name}"`;
      const s = defaultActuatorSettings();
      warnUnknownAttributes(cls, ATTRIBUTES, label, ctx);
      const a = cls.attributes;
      if (a.retention) s.retentionMs = duration(a.retention.value, a.retention.pos, `${label}: retention`, ctx) ?? s.retentionMs;
      if (a.default_timeout) s.defaultTimeoutMs = duration(a.default_timeout.value, a.default_timeout.pos, `${label}: default_timeout`, ctx) ?? s.defaultTimeoutMs;
      if (a.lease) {
        const ms = duration(a.lease.value, a.lease.pos, `${label}: lease`, ctx);
        if (ms !== undefined && ms < 1_000) ctx.issue(a.lease.pos, `${label}: lease must be at least 1s (it is renewed every third of it)`);
        else if (ms !== undefined) s.leaseMs = ms;
      }
      if (a.output_limit) s.outputLimit = whole(a.output_limit.value, a.output_limit.pos, `${label}: output_limit`, ctx, 256, 16_777_216) ?? s.outputLimit;
      if (a.max_parallel) s.maxParallel = whole(a.max_parallel.value, a.max_parallel.pos, `${label}: max_parallel`, ctx, 1, 1_000) ?? s.maxParallel;
      for (const el of cls.node.children) {
        if (el.tag === 'actuator') {
          const d = buildActuator(el, label, kinds, ctx);
          if (!d) continue;
          if (s.actuators.has(d.name)) ctx.issue(el.pos, `${label}: a second <actuator name="${d.name}">; actuator names must be unique`);
          else s.actuators.set(d.name, d);
        } else if (el.tag === 'node') {
          const n = el.attrs.name ?? '';
          if (!NODE.test(n)) ctx.issue(el.pos, `${label}: <node> needs name="..." of 1 to 190 letters, digits, '.', '_', ':' or '-'`);
          else s.nodes.add(n);
        } else if (el.tag !== 'attribute') {
          ctx.issue(el.pos, `${label}: unknown element <${el.tag}> (known: attribute, actuator, node)`, 'warning');
        }
      }
      return s;
    },
  };
}

export const actuatorsClassType = actuatorsClassTypeWith();

/** The dispatcher settings of a loaded configuration: its `Actuators` classes merged (a name defined twice is an error at the second). */
export function actuatorSettingsOf(config: LoadedConfig): ActuatorSettings {
  const [first, ...rest] = objectsOfType<ActuatorSettings>(config, 'Actuators');
  if (!first) return defaultActuatorSettings();
  const s: ActuatorSettings = { ...first.value, actuators: new Map(first.value.actuators), nodes: new Set(first.value.nodes) };
  for (const o of rest) {
    for (const [n, d] of o.value.actuators) if (!s.actuators.has(n)) s.actuators.set(n, d);
    for (const n of o.value.nodes) s.nodes.add(n);
  }
  return s;
}

/** Actuators defined in two classes: each an error at the second definition. */
export function actuatorConfigProblems(config: LoadedConfig): { pos: SourcePos; severity: 'error'; message: string }[] {
  const seen = new Map<string, string>();
  const problems: { pos: SourcePos; severity: 'error'; message: string }[] = [];
  for (const o of objectsOfType<ActuatorSettings>(config, 'Actuators')) {
    for (const [n, d] of o.value.actuators) {
      const prev = seen.get(n);
      if (prev !== undefined && d.pos) problems.push({ pos: d.pos, severity: 'error', message: `Actuators "${o.name}": actuator "${n}" is already defined in Actuators "${prev}"` });
      else seen.set(n, o.name);
    }
  }
  return problems;
}
