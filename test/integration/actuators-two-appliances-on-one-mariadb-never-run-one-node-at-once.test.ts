/**
 * Two appliance processes on one MariaDB dispatching to the same nodes: each node's requests run one at a time and in
 * dispatch order, whichever appliance took them and whichever runs them, and each runs exactly once.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usersFileLine } from '../../access/index.js';
import type { HandleStatus } from '../../actuators/index.js';
import { ALL_MIGRATIONS } from '../../appliance.js';
import type { Store } from '../../store/index.js';
import { startApplianceProcess, type ApplianceProcess } from '../support/appliance-process.js';
import { copyShippedConfig } from '../support/config-dir.js';
import { mysqlUrlOf, testBackends, type TestBackend } from '../support/stores.js';
import { removeTempDirs, tempDir } from '../support/temp-files.js';

const mysql = testBackends().find((b) => b.name === 'mysql');
const operator = { Authorization: `Basic ${Buffer.from('operator:op-secret').toString('base64')}`, 'Content-Type': 'application/json' };
const work = tempDir();
const NODES = ['n1', 'n2', 'n3'];
const PER_NODE = 6;

const ACTUATORS_XML = `<graphtool-config>
<class type="Actuators" name="actuators">
  <actuator name="mark" kind="command" timeout="1m">
    <arg>/bin/sh</arg><arg>-c</arg><arg>echo "start $ACTUATOR_NODE $ACTUATOR_HANDLE $(date +%s%N)" >> ${work}/log; sleep 0.15; echo "end $ACTUATOR_NODE $ACTUATOR_HANDLE $(date +%s%N)" >> ${work}/log</arg>
  </actuator>
  ${NODES.map((n) => `<node name="${n}"/>`).join('')}
</class>
</graphtool-config>
`;

describe.runIf(mysql)('two appliances on one MariaDB dispatching to the same nodes', () => {
  let db: Awaited<ReturnType<TestBackend['create']>>;
  let store: Store;
  const apps: ApplianceProcess[] = [];

  beforeAll(async () => {
    db = await mysql!.create();
    store = db.open();
    await store.migrate(ALL_MIGRATIONS);
    const usersFile = join(tempDir(), 'users');
    writeFileSync(usersFile, `${usersFileLine('operator', 'op-secret')}\n`);
    const configDir = copyShippedConfig();
    writeFileSync(join(configDir, 'actuators.xml'), ACTUATORS_XML);
    const start = () => startApplianceProcess({ dataDir: tempDir(), args: ['--config', configDir, '--users', usersFile, '--db', mysqlUrlOf(db.connection)] });
    apps.push(...(await Promise.all([start(), start()])));
  }, 120_000);

  afterAll(async () => {
    await Promise.allSettled(apps.map((a) => a.stop()));
    await store?.close();
    await db?.dispose();
    removeTempDirs();
  });

  it('runs each node one request at a time, in dispatch order, each once', { timeout: 120_000 }, async () => {
    const [a, b] = apps as [ApplianceProcess, ApplianceProcess];
    const order = new Map<string, string[]>(NODES.map((n) => [n, []]));
    const handles: string[] = [];
    // Alternate the appliance per request, so both queue work for every node and both claim.
    for (let i = 0; i < PER_NODE; i++) {
      for (const [k, node] of NODES.entries()) {
        const app = (i + k) % 2 ? a : b;
        const res = await fetch(`${app.url}api/v1/dispatch`, { method: 'POST', headers: operator, body: JSON.stringify({ actuator: 'mark', node, timeout: 600_000 }) });
        expect(res.status).toBe(202);
        const { handle } = (await res.json()) as { handle: string };
        order.get(node)!.push(handle);
        handles.push(handle);
      }
    }
    const finals: HandleStatus[] = [];
    for (const [i, h] of handles.entries()) {
      for (let t = 0; ; t++) {
        const s = (await (await fetch(`${(i % 2 ? a : b).url}api/v1/dispatch/${h}`, { headers: operator })).json()) as HandleStatus;
        if (s.status === 'FINISHED') {
          finals.push(s);
          break;
        }
        expect(s.status === 'QUEUED' || s.status === 'RUNNING').toBe(true);
        if (t > 1_200) throw new Error(`${h} did not finish: ${JSON.stringify(s)}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    const lines = readFileSync(join(work, 'log'), 'utf8').trim().split('\n').map((l) => l.split(' '));
    for (const node of NODES) {
      const mine = lines.filter((l) => l[1] === node);
      // start, end, start, end ...: never two at once on one node, across both processes.
      expect(mine.map((l) => l[0])).toEqual(Array.from({ length: PER_NODE }, () => ['start', 'end']).flat());
      const starts = mine.filter((l) => l[0] === 'start').map((l) => l[2]);
      expect(starts).toEqual(order.get(node));
      for (let i = 1; i < mine.length; i++) expect(BigInt(mine[i]![3]!) >= BigInt(mine[i - 1]![3]!)).toBe(true);
    }
    expect(finals.every((s) => s.attempts.length === 1 && s.exitCode === 0)).toBe(true);
    // Both processes ran some of it.
    const owners = new Set(finals.map((s) => s.attempts[0]!.owner.split(':').slice(0, 2).join(':')));
    expect(owners.size).toBe(2);
  });
});
