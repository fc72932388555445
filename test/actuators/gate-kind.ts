/**
 * A test actuator kind that records each run's start and end and holds a run until the test releases it: the
 * dispatcher's ordering is then observable exactly. The real kinds (command, echo) have their own tests.
 */
import type { ActuatorDefinition, ActuatorKind, ActuatorSettings } from '../../actuators/index.js';
import { defaultActuatorSettings } from '../../actuators/index.js';

export interface GateKind {
  kind: ActuatorKind<never>;
  /** `start <tag>` and `end <tag>` in the order they happened; the tag is the run's `tag` parameter. */
  events: string[];
  /** Lets the held run with this tag end with this exit code. */
  release(tag: string, exitCode?: number): void;
  /** Resolves once a run with this tag has started. */
  started(tag: string): Promise<void>;
}

export function gateKind(): GateKind {
  const events: string[] = [];
  const releases = new Map<string, (code: number) => void>();
  const early = new Map<string, number>();
  const startWaiters = new Map<string, () => void>();
  const kind: ActuatorKind<{ hold: boolean }> = {
    kind: 'gate',
    build: (el) => ({ hold: el.attrs.hold !== 'false' }),
    run: async (s, run) => {
      const tag = run.params.tag ?? run.handle;
      events.push(`start ${tag}`);
      startWaiters.get(tag)?.();
      const code = !s.hold ? 0 : early.has(tag) ? early.get(tag)! : await new Promise<number>((resolve) => {
        releases.set(tag, resolve);
        run.signal.addEventListener('abort', () => resolve(-1), { once: true });
      });
      events.push(`end ${tag}`);
      return { exitCode: code, output: `ran ${tag}\n` };
    },
  };
  return {
    kind: kind as ActuatorKind<never>,
    events,
    release(tag, exitCode = 0) {
      const r = releases.get(tag);
      if (r) r(exitCode);
      else early.set(tag, exitCode);
    },
    started: (tag) => (events.includes(`start ${tag}`) ? Promise.resolve() : new Promise((resolve) => startWaiters.set(tag, resolve))),
  };
}

/** Settings with these actuators (kind `gate` unless given) on these nodes. */
export function gateSettings(nodes: string[], actuators: Partial<ActuatorDefinition>[], extra: Partial<ActuatorSettings> = {}): ActuatorSettings {
  const s = defaultActuatorSettings();
  for (const n of nodes) s.nodes.add(n);
  for (const a of actuators) {
    const def: ActuatorDefinition = { name: a.name!, kind: a.kind ?? 'gate', intrusive: a.intrusive ?? false, idempotent: a.idempotent ?? false, runLimitMs: a.runLimitMs ?? 60_000, settings: a.settings ?? { hold: true } };
    s.actuators.set(def.name, def);
  }
  return { ...s, ...extra, actuators: s.actuators, nodes: s.nodes };
}
