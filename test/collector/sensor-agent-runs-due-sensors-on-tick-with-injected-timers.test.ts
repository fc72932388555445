/**
 * The sensor agent's loop takes an injectable scheduler beside its clock and exposes one tick: a test moves its own
 * clock, calls tick() and reads the samples, with no real or faked global timers. The agent arms only the given
 * scheduler, for the earliest due sensor.
 */
import { describe, expect, it } from 'vitest';
import type { SampleInput } from '../../collector/index.js';
import { createSensorAgent, type CommandResult, type SensorDef } from '../../collector/sensor-agent/index.js';
import type { Scheduler } from '../../common/index.js';

const T0 = Date.UTC(2024, 4, 1, 12, 0, 0);

function sensor(name: string, everyMs: number): SensorDef {
  return { name, metric: name, commandLine: name, argv: [name], schedule: { kind: 'interval', everyMs, offsetMs: 0 }, timeoutMs: 10_000, perfdata: false, pos: { file: 'x.xml', line: 1, column: 1 } };
}

describe('the sensor agent driven by tick()', () => {
  it('runs the sensors due at its clock on each tick and arms the injected scheduler for the next one', async () => {
    let now = T0 + 1;
    const armed: number[] = [];
    const scheduler: Scheduler = {
      setTimeout: (_fn, ms) => armed.push(ms),
      clearTimeout: () => undefined,
    };
    const stored: SampleInput[] = [];
    const ran: string[] = [];
    const run = async (argv: readonly string[]): Promise<CommandResult> => {
      ran.push(`${argv[0]!}@${now - T0}`);
      return { exitCode: 0, signal: null, stdout: 'OK fine', stderr: '', timedOut: false, durationMs: 1 };
    };
    const agent = createSensorAgent({ sink: { insertSamples: async (s) => void stored.push(...s) }, run, clock: () => new Date(now), scheduler });
    agent.applyConfig([{ name: 'g', node: 'node1', concurrency: 1, sensors: [sensor('a', 10_000), sensor('b', 30_000)] }]);
    agent.start();
    expect(armed).toEqual([9_999]);

    await agent.tick();
    expect(ran).toEqual([]);

    now = T0 + 10_000;
    await agent.tick();
    expect(ran).toEqual(['a@10000']);
    expect(armed.at(-1)).toBe(10_000);

    // Both due; one at a time (concurrency 1): the tick resolves once the second has run too.
    now = T0 + 30_000;
    await agent.tick();
    expect(ran).toEqual(['a@10000', 'a@30000', 'b@30000']);
    expect(stored.map((s) => [s.metric, s.value, s.summary, s.time.getTime() - T0])).toEqual([
      ['a', 0, 'OK fine', 10_000],
      ['a', 0, 'OK fine', 30_000],
      ['b', 0, 'OK fine', 30_000],
    ]);
    await agent.stop();
  });
});
