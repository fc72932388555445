/**
 * Schedules: interval slots with offsets and Vixie cron expressions as pure functions of time, and the agent's
 * timing under a fake clock: when each sensor starts, slots skipped by an overrunning sensor, bounded concurrency.
 * The commands here are stand-ins that take fake time; real commands are in sensor-agent-runs-real-commands-*.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SampleInput } from '../../collector/index.js';
import { createSensorAgent, nextRun, parseCron, type CommandResult, type Schedule, type SensorDef, type SensorsConfig } from '../../collector/sensor-agent/index.js';

const at = (iso: string) => new Date(iso);
const interval = (everyMs: number, offsetMs = 0): Schedule => ({ kind: 'interval', everyMs, offsetMs });
function cron(expression: string): Schedule {
  const parsed = parseCron(expression);
  if (typeof parsed === 'string') throw new Error(parsed);
  return { kind: 'cron', expression, cron: parsed };
}

describe('interval schedules', () => {
  it('runs at offset + k × every since the epoch, strictly after the given time', () => {
    expect(nextRun(interval(60_000, 5000), at('2024-05-01T12:00:03Z'))).toEqual(at('2024-05-01T12:00:05Z'));
    expect(nextRun(interval(60_000, 5000), at('2024-05-01T12:00:05Z'))).toEqual(at('2024-05-01T12:01:05Z'));
    expect(nextRun(interval(3_600_000, 300_000), at('2024-05-01T12:07:00Z'))).toEqual(at('2024-05-01T13:05:00Z'));
  });
});

describe('cron schedules (local time)', () => {
  const local = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0) => new Date(y, mo - 1, d, h, mi, s);

  it('reads five fields (seconds 0) and six fields', () => {
    expect(nextRun(cron('*/15 * * * *'), local(2024, 5, 1, 10, 7, 30))).toEqual(local(2024, 5, 1, 10, 15));
    expect(nextRun(cron('*/15 * * * *'), local(2024, 5, 1, 10, 15))).toEqual(local(2024, 5, 1, 10, 30));
    expect(nextRun(cron('*/10 * * * * *'), local(2024, 5, 1, 10, 0, 1))).toEqual(local(2024, 5, 1, 10, 0, 10));
    expect(nextRun(cron('0 30 2 * * *'), local(2024, 5, 1, 10))).toEqual(local(2024, 5, 2, 2, 30));
  });

  it('reads week day names, months and year ends ("every Sunday at noon", WP4\'s example)', () => {
    expect(nextRun(cron('0 12 * * SUN'), local(2024, 5, 1, 13))).toEqual(local(2024, 5, 5, 12));
    expect(nextRun(cron('0 0 1 JAN *'), local(2024, 12, 31, 23, 59, 59))).toEqual(local(2025, 1, 1));
    expect(nextRun(cron('0 0 29 2 *'), local(2025, 3, 1))).toEqual(local(2028, 2, 29));
  });

  it('says when an expression never runs, and refuses what is not cron', () => {
    expect(parseCron('0 0 31 2 *')).toMatch(/never runs/);
    expect(parseCron('61 * * * *')).toMatch(/Invalid value for minute: 61/);
    expect(parseCron('not cron')).toMatch(/five, six, or seven/);
    expect(parseCron('0 0 0 1 1 * 2030')).toEqual(expect.any(String));
  });

  it('runs on a day matching day-of-month OR day-of-week when both are restricted, as Vixie cron does', () => {
    // 2024-05-01 is a Wednesday: the next Friday (3rd) comes before the next 13th.
    expect(nextRun(cron('0 0 13 * FRI'), local(2024, 5, 1, 10))).toEqual(local(2024, 5, 3));
    expect(nextRun(cron('0 0 13 * FRI'), local(2024, 5, 10, 1))).toEqual(local(2024, 5, 13));
    expect(nextRun(cron('0 0 13 * FRI'), local(2024, 5, 13, 1))).toEqual(local(2024, 5, 17));
    // One of them a wildcard: the other alone decides.
    expect(nextRun(cron('0 0 13 * *'), local(2024, 5, 1, 10))).toEqual(local(2024, 5, 13));
    expect(nextRun(cron('0 0 * * FRI'), local(2024, 5, 4))).toEqual(local(2024, 5, 10));
  });
});

/** A sensor whose command takes `takesMs` of fake time and prints OK with one perfdata item. */
function sensor(name: string, schedule: Schedule, timeoutMs = 60_000): SensorDef {
  return { name, metric: name, commandLine: name, argv: [name], schedule, timeoutMs, perfdata: true, pos: { file: 'x.xml', line: 1, column: 1 } };
}
const group = (sensors: SensorDef[], concurrency = 4): SensorsConfig => ({ name: 'g', node: 'node1', concurrency, sensors });

describe('the agent under a fake clock', () => {
  const T0 = Date.UTC(2024, 4, 1, 12, 0, 0);
  let started: { sensor: string; at: number }[];
  let stored: SampleInput[];
  let durations: Record<string, number>;

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    vi.setSystemTime(T0 + 1);
    started = [];
    stored = [];
    durations = {};
  });
  afterEach(() => vi.useRealTimers());

  // Like runCommand: ends at its timeout (timedOut) or when the agent aborts it (killed), whichever comes first.
  const run = (argv: readonly string[], timeoutMs: number, signal: AbortSignal): Promise<CommandResult> => {
    const name = argv[0]!;
    started.push({ sensor: name, at: Date.now() - T0 });
    const takes = durations[name] ?? 100;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        const timedOut = takes > timeoutMs;
        resolve({ exitCode: timedOut ? null : 0, signal: timedOut ? 'SIGTERM' : null, stdout: `OK|x=${Date.now() - T0}`, stderr: '', timedOut, durationMs: Math.min(takes, timeoutMs) });
      }, Math.min(takes, timeoutMs));
      signal.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve({ exitCode: null, signal: 'SIGTERM', stdout: '', stderr: '', timedOut: false, durationMs: 0 });
      });
    });
  };
  const agentWith = (configs: SensorsConfig[]) => {
    const agent = createSensorAgent({ sink: { insertSamples: async (s) => void stored.push(...s) }, run });
    agent.applyConfig(configs);
    agent.start();
    return agent;
  };

  it('starts each sensor at its slots', async () => {
    const agent = agentWith([group([sensor('a', interval(10_000)), sensor('b', interval(10_000, 5000))])]);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(started).toEqual([
      { sensor: 'b', at: 5000 }, { sensor: 'a', at: 10_000 }, { sensor: 'b', at: 15_000 }, { sensor: 'a', at: 20_000 }, { sensor: 'b', at: 25_000 }, { sensor: 'a', at: 30_000 },
    ]);
    await agent.stop();
    expect(stored.filter((s) => s.metric === 'a').map((s) => s.time.getTime() - T0)).toEqual([10_000, 20_000]);
    expect(stored.find((s) => s.metric === 'a.x')).toMatchObject({ node: 'node1', source: 'sensor', value: 10_100 });
  });

  it('skips the slots of a sensor that is still running instead of piling up runs', async () => {
    durations.slow = 25_000;
    const agent = agentWith([group([sensor('slow', interval(10_000))])]);
    await vi.advanceTimersByTimeAsync(50_000);
    expect(started.map((s) => s.at)).toEqual([10_000, 40_000]);
    await agent.stop();
  });

  it('runs at most `concurrency` sensors of a group at once; the others wait in order', async () => {
    durations = { a: 4000, b: 4000, c: 4000, d: 4000 };
    const agent = agentWith([group(['a', 'b', 'c', 'd'].map((n) => sensor(n, interval(60_000))), 2)]);
    await vi.advanceTimersByTimeAsync(69_000);
    expect(started).toEqual([{ sensor: 'a', at: 60_000 }, { sensor: 'b', at: 60_000 }, { sensor: 'c', at: 64_000 }, { sensor: 'd', at: 64_000 }]);
    await agent.stop();
  });

  it('reports a sensor that overruns its timeout as UNKNOWN, without perfdata', async () => {
    durations.hung = 50_000;
    const agent = agentWith([group([sensor('hung', interval(60_000), 5000)])]);
    await vi.advanceTimersByTimeAsync(66_000);
    expect(stored).toEqual([{ node: 'node1', metric: 'hung', time: new Date(T0 + 60_000), value: 3, source: 'sensor', summary: 'UNKNOWN: sensor "hung" overran its 5s timeout and was killed' }]);
    await agent.stop();
  });

  it('applies a new configuration from the next slot and stops all scheduling on stop', async () => {
    const agent = agentWith([group([sensor('a', interval(10_000))])]);
    await vi.advanceTimersByTimeAsync(10_000);
    agent.applyConfig([group([sensor('b', interval(3_000))])]);
    await vi.advanceTimersByTimeAsync(7_000);
    await agent.stop();
    await vi.advanceTimersByTimeAsync(30_000);
    expect(started).toEqual([{ sensor: 'a', at: 10_000 }, { sensor: 'b', at: 12_000 }, { sensor: 'b', at: 15_000 }]);
  });
});
