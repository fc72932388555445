/**
 * Two appliance processes on one MariaDB taking the same commands at the same time: a command sent to both with one
 * `request_id` is queued once, and both answer that one command's id (the second as a duplicate), so a removal by
 * that id works through either; Debian's real Nagios 4 shows each downtime once.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usersFileLine } from '../../access/index.js';
import { ALL_MIGRATIONS } from '../../appliance.js';
import type { Store } from '../../store/index.js';
import { startApplianceProcess, type ApplianceProcess } from '../support/appliance-process.js';
import { copyShippedConfig } from '../support/config-dir.js';
import { createNagios, nagiosAvailable, until, type NagiosInstance } from '../support/nagios.js';
import { mysqlUrlOf, testBackends, type TestBackend } from '../support/stores.js';
import { removeTempDirs, tempDir } from '../support/temp-files.js';

const mysql = testBackends().find((b) => b.name === 'mysql');
const HOST = 'ce-two.example.org';
const SERVICES = Array.from({ length: 40 }, (_, i) => `dt-${i}`);
const operator = { Authorization: `Basic ${Buffer.from('operator:op-secret').toString('base64')}`, 'Content-Type': 'application/json' };
const now = Math.floor(Date.now() / 1000);

const BRIDGE_XML = `<graphtool-config>
<class type="NagiosBridge" name="nagios">
  <attribute name="retry_min">100ms</attribute>
  <attribute name="retry_max">500ms</attribute>
</class>
</graphtool-config>
`;

interface Answer {
  status: number;
  commands: { id: string; targets: string[]; duplicate: boolean }[];
}
const send = async (app: ApplianceProcess, commands: unknown[]): Promise<Answer> => {
  const res = await fetch(`${app.url}api/v1/nagios/commands`, { method: 'POST', headers: operator, body: JSON.stringify({ commands }) });
  const body = (await res.json()) as { commands?: Answer['commands'] };
  return { status: res.status, commands: body.commands ?? [] };
};

describe.runIf(mysql && nagiosAvailable())('two appliances on one MariaDB taking the same commands', () => {
  let nagios: NagiosInstance;
  let db: Awaited<ReturnType<TestBackend['create']>>;
  let store: Store;
  const apps: ApplianceProcess[] = [];
  const downtimes = () => nagios.status().filter((b) => b.type === 'servicedowntime').map((b) => b.fields);

  beforeAll(async () => {
    nagios = createNagios({ [HOST]: SERVICES });
    await nagios.start();
    db = await mysql!.create();
    store = db.open();
    await store.migrate(ALL_MIGRATIONS);
    const usersFile = join(tempDir(), 'users');
    writeFileSync(usersFile, `${usersFileLine('operator', 'op-secret')}\n`);
    const configDir = copyShippedConfig();
    writeFileSync(join(configDir, 'nagios_bridge.xml'), BRIDGE_XML);
    const start = () => startApplianceProcess({ dataDir: tempDir(), args: ['--config', configDir, '--users', usersFile, '--db', mysqlUrlOf(db.connection), '--nagios-command-file', nagios.commandFile] });
    apps.push(...(await Promise.all([start(), start()])));
  }, 90_000);

  afterAll(async () => {
    await Promise.allSettled(apps.map((a) => a.stop()));
    await store?.close();
    await db?.dispose();
    await nagios?.dispose();
    removeTempDirs();
  });

  it('queues each request id once and answers its one id from both, even when both take it at the same instant', { timeout: 120_000 }, async () => {
    const [a, b] = apps as [ApplianceProcess, ApplianceProcess];
    const command = (service: string) => ({ command: 'schedule_downtime', host: HOST, service, start: now - 60, end: now + 3600, comment: `window ${service}`, request_id: `maint-${service}` });
    // One request of every command to both at once (long transactions that overlap), then each one alone to both at once.
    const [x, y] = await Promise.all([send(a, SERVICES.map(command)), send(b, SERVICES.map(command))]);
    const singles = await Promise.all(SERVICES.map((s) => Promise.all([send(a, [command(s)]), send(b, [command(s)])])));
    for (const [i, s] of SERVICES.entries()) {
      const answers = [x.commands[i]!, y.commands[i]!, singles[i]![0].commands[0]!, singles[i]![1].commands[0]!];
      const label = `${s}: ${JSON.stringify(answers)}`;
      expect(new Set(answers.map((c) => c.id)).size, label).toBe(1);
      expect(answers.filter((c) => !c.duplicate), label).toHaveLength(1);
    }
    expect(singles.flat().map((r) => r.status)).toEqual(singles.flat().map(() => 200));
    const pairs = singles;
    const [row] = await store.query<{ n: number | string; ids: number | string }>(
      `SELECT count(*) AS n, count(DISTINCT command_id) AS ids FROM nagios_commands WHERE host = ?`,
      [HOST],
    );
    expect([Number(row!.n), Number(row!.ids)]).toEqual([SERVICES.length, SERVICES.length]);
    await until(() => downtimes().length === SERVICES.length, 'one downtime per service in status.dat', 30_000);
    expect(new Set(downtimes().map((d) => d.service_description)).size).toBe(SERVICES.length);

    // The id either answered removes the downtime through the other.
    const id = pairs[0]![0].commands[0]!.id;
    const removal = await send(b, [{ command: 'remove_downtime', schedule_id: id }]);
    expect(removal.status).toBe(202);
    await until(() => !downtimes().some((d) => d.service_description === SERVICES[0]), `${SERVICES[0]}'s downtime removed by its id`, 30_000);
    expect(downtimes()).toHaveLength(SERVICES.length - 1);
  });
});
