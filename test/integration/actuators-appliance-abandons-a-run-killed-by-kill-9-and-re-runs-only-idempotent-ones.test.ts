/**
 * Crash truth with a real appliance process: `kill -9` while two command actuators run; the restarted appliance marks
 * the non-idempotent run ABANDONED (not re-run), runs the idempotent one again as a second attempt, and then runs
 * what was queued behind them, each once.
 */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { usersFileLine } from '../../access/index.js';
import type { HandleStatus } from '../../actuators/index.js';
import { startApplianceProcess, type ApplianceProcess } from '../support/appliance-process.js';
import { copyShippedConfig } from '../support/config-dir.js';
import { removeTempDirs, tempDir } from '../support/temp-files.js';

const operator = { Authorization: `Basic ${Buffer.from('operator:op-secret').toString('base64')}`, 'Content-Type': 'application/json' };
const work = tempDir();

const ACTUATORS_XML = `<graphtool-config>
<class type="Actuators" name="actuators">
  <attribute name="lease">1s</attribute>
  <actuator name="echo" kind="echo" idempotent="true"/>
  <actuator name="slow" kind="command" timeout="2m">
    <arg>/bin/sh</arg><arg>-c</arg><arg>echo $$ >> ${work}/pids; echo started >> ${work}/slow-runs; sleep 60</arg>
  </actuator>
  <actuator name="slow-idem" kind="command" idempotent="true" timeout="2m">
    <arg>/bin/sh</arg><arg>-c</arg><arg>echo $$ >> ${work}/pids; n=$(cat ${work}/idem-runs 2>/dev/null || echo 0); n=$((n+1)); echo $n > ${work}/idem-runs; [ $n -ge 2 ] || sleep 60; echo done $n</arg>
  </actuator>
  <node name="n1"/><node name="n2"/>
</class>
</graphtool-config>
`;

describe('the actuator dispatcher through a kill -9 of its appliance', () => {
  const apps: ApplianceProcess[] = [];
  afterAll(async () => {
    await Promise.allSettled(apps.map((a) => a.stop()));
    // The killed appliance's commands were in their own process groups: end them.
    const pids = existsSync(join(work, 'pids')) ? readFileSync(join(work, 'pids'), 'utf8').trim().split('\n').map(Number) : [];
    for (const p of pids) {
      try {
        process.kill(-p, 'SIGKILL');
      } catch {
        // gone already
      }
    }
    removeTempDirs();
  });

  it('abandons the run it lost, re-runs only the idempotent one, and runs the queue behind them once', { timeout: 120_000 }, async () => {
    const usersFile = join(tempDir(), 'users');
    writeFileSync(usersFile, `${usersFileLine('operator', 'op-secret')}\n`);
    const configDir = copyShippedConfig();
    writeFileSync(join(configDir, 'actuators.xml'), ACTUATORS_XML);
    const dataDir = tempDir();
    const start = async () => {
      const app = await startApplianceProcess({ dataDir, args: ['--config', configDir, '--users', usersFile] });
      apps.push(app);
      return app;
    };
    const first = await start();
    const dispatch = async (app: ApplianceProcess, actuator: string, node: string) => {
      const res = await fetch(`${app.url}api/v1/dispatch`, { method: 'POST', headers: operator, body: JSON.stringify({ actuator, node, timeout: 600_000 }) });
      expect(res.status).toBe(202);
      return ((await res.json()) as { handle: string }).handle;
    };
    const status = async (app: ApplianceProcess, handle: string) => (await (await fetch(`${app.url}api/v1/dispatch/${handle}`, { headers: operator })).json()) as HandleStatus;
    const until = async (app: ApplianceProcess, handle: string, wanted: string[]) => {
      for (let i = 0; i < 600; i++) {
        const s = await status(app, handle);
        if (wanted.includes(s.status)) return s;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`${handle} never reached ${wanted.join('/')}: ${JSON.stringify(await status(app, handle))}`);
    };

    const slow = await dispatch(first, 'slow', 'n1');
    const idem = await dispatch(first, 'slow-idem', 'n2');
    const behind1 = await dispatch(first, 'echo', 'n1');
    const behind2 = await dispatch(first, 'echo', 'n2');
    await until(first, slow, ['RUNNING']);
    await until(first, idem, ['RUNNING']);
    // Both commands have really started before the kill.
    for (let i = 0; i < 200 && !(existsSync(join(work, 'slow-runs')) && existsSync(join(work, 'idem-runs'))); i++) await new Promise((r) => setTimeout(r, 25));
    expect((await status(first, behind1)).status).toBe('QUEUED');
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));

    const second = await start();
    const lost = await until(second, slow, ['ABANDONED', 'FINISHED']);
    expect(lost.status).toBe('ABANDONED');
    expect(lost.note).toMatch(/outcome is unknown.*not re-run/);
    expect(lost.attempts.map((a) => a.outcome)).toEqual(['ABANDONED']);
    const rerun = await until(second, idem, ['FINISHED', 'ABANDONED']);
    expect(rerun.status).toBe('FINISHED');
    expect(rerun.exitCode).toBe(0);
    expect(rerun.output).toBe('done 2\n');
    expect(rerun.attempts.map((a) => a.outcome)).toEqual(['ABANDONED', 'FINISHED']);
    for (const h of [behind1, behind2]) {
      const s = await until(second, h, ['FINISHED', 'ABANDONED', 'TIMEOUT']);
      expect(s.status).toBe('FINISHED');
      expect(s.attempts).toHaveLength(1);
    }
    // Started once (not re-run) and twice (the idempotent re-run), nothing more.
    expect(readFileSync(join(work, 'slow-runs'), 'utf8')).toBe('started\n');
    expect(readFileSync(join(work, 'idem-runs'), 'utf8')).toBe('2\n');
    const node = (await (await fetch(`${second.url}api/v1/nodes/n1`, { headers: operator })).json()) as { state: string; queued: unknown[]; running: unknown[] };
    expect(node).toMatchObject({ state: 'production', queued: [], running: [] });
  });
});
