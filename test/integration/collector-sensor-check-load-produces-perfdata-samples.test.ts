/** Debian's monitoring-plugins as a sensor: the agent runs the real `check_load` and its state and perfdata land as samples in a store. */
import { existsSync } from 'node:fs';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSensorAgent, sensorsClassType, sensorsConfigsOf, type SensorAgent } from '../../collector/sensor-agent/index.js';
import { loadConfig } from '../../grammar/index.js';
import type { Store } from '../../store/index.js';
import { serviceMissing } from '../support/services.js';
import { sqliteBackend } from '../support/stores.js';
import { removeTempDirs, tempDir } from '../support/temp-files.js';
import { openTestRepository, type StoredSample, type TestRepository } from './collector-influx-repository.js';

const CHECK_LOAD = '/usr/lib/nagios/plugins/check_load';
const available = existsSync(CHECK_LOAD);
if (!available) serviceMissing('monitoring-plugins', `${CHECK_LOAD} is missing: apt-get install -y monitoring-plugins`);

describe.skipIf(!available)('check_load as a sensor', () => {
  let store: Store;
  let dispose: () => Promise<void>;
  let repo: TestRepository;
  let samples: TestRepository['repository'];
  let agent: SensorAgent | undefined;

  beforeAll(async () => {
    const db = await sqliteBackend.create();
    dispose = db.dispose;
    store = db.open();
    repo = await openTestRepository(store);
    samples = repo.repository;
  });
  afterAll(async () => {
    await agent?.stop();
    await repo?.stop();
    await store?.close();
    await dispose?.();
    removeTempDirs();
  });

  it('stores the state with the plugin\'s first line and one sample per perfdata label', async () => {
    const dir = tempDir({
      'sensors.xml': `<graphtool-config>
<class type="Sensors" name="local">
  <attribute name="node">wn01</attribute>
  <sensor name="load" metric="load" every="1s" timeout="10s">${CHECK_LOAD} -w 50,40,30 -c 100,80,60</sensor>
</class>
</graphtool-config>`,
    });
    const config = loadConfig(dir, { classTypes: [sensorsClassType] });
    expect(config.issues).toEqual([]);
    const sensors = sensorsConfigsOf(config);

    const metrics = new Registry();
    agent = createSensorAgent({ sink: samples, metrics });
    agent.applyConfig(sensors);
    agent.start();

    let stored: StoredSample[] = [];
    const deadline = Date.now() + 10_000;
    while (stored.length < 4 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      stored = await samples.readAfter(0, 100);
    }
    await agent.stop();
    const firstRun = stored.slice(0, 4);
    expect(firstRun.map((s) => s.metric)).toEqual(['load', 'load.load1', 'load.load5', 'load.load15']);
    const [state, ...perf] = firstRun;
    expect(state).toMatchObject({ node: 'wn01', source: 'sensor', value: 0, summary: expect.stringMatching(/^LOAD OK - (total )?load average: [\d.]+, [\d.]+, [\d.]+$/) as unknown });
    // The perfdata values are the load averages the plugin printed in its first line (there to 2 decimals, in perfdata to 3).
    const printed = /([\d.]+), ([\d.]+), ([\d.]+)$/.exec(state!.summary!)!.slice(1).map(Number);
    perf.forEach((s, i) => expect(Math.abs(s.value - printed[i]!)).toBeLessThanOrEqual(0.005));
    expect(perf.map((s) => s.tags)).toEqual([
      { warn: '50.000', crit: '100.000', min: '0' },
      { warn: '40.000', crit: '80.000', min: '0' },
      { warn: '30.000', crit: '60.000', min: '0' },
    ]);
    expect(await metrics.metrics()).toMatch(/appliance_sensor_runs_total\{sensor="local\/load",state="OK"\} [1-9]/);
  });
});
