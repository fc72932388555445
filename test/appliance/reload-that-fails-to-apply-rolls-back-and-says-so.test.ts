/**
 * A reload whose files are valid but which a part cannot apply (the metric declarations cannot be saved) is a
 * failure, said as one over HTTP (500, the part and the reason) and in the log, and the parts applied before it
 * are back on the old configuration. Once the store is mended, the same files apply.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startAppliance, type RunningAppliance } from '../../appliance.js';
import { usersFileLine } from '../../access/index.js';
import { copyShippedConfig } from '../support/config-dir.js';
import { removeTempDirs, tempDir } from '../support/temp-files.js';

let app: RunningAppliance;
let configDir: string;
const logLines: string[] = [];
const logger = { debug: () => {}, info: (m: string) => logLines.push(`INFO ${m}`), warn: () => {}, error: (m: string) => logLines.push(`ERROR ${m}`) };
const admin = { Authorization: `Basic ${Buffer.from('admin:admin-secret').toString('base64')}` };
const reload = () => fetch(new URL('api/v1/admin/reload', app.url), { method: 'POST', headers: admin });
const anonymousRead = async () => (await fetch(new URL('gratia/xml/', app.url))).status;

beforeAll(async () => {
  configDir = copyShippedConfig();
  const usersFile = join(tempDir(), 'users');
  writeFileSync(usersFile, `${usersFileLine('admin', 'admin-secret')}\n`);
  app = await startAppliance(0, { configDir, dataDir: join(tempDir(), 'data'), usersFile, seedDemo: false, logger });
}, 120_000);
afterAll(async () => {
  await app?.stop();
  removeTempDirs();
});

describe('a reload that a part cannot apply', () => {
  it('answers 500 naming the part, logs the failure and the rollback, and leaves the earlier parts on the old config', async () => {
    expect(await anonymousRead()).toBe(200);
    // Valid files: access (applied before the collector) turns anonymous read off; the collector must save a declaration.
    const usersXml = join(configDir, 'users.xml');
    writeFileSync(usersXml, readFileSync(usersXml, 'utf8').replace(/<attribute name="anonymous_read"> true </, '<attribute name="anonymous_read"> false <'));
    writeFileSync(join(configDir, 'declared.xml'), '<graphtool-config>\n<class type="Metrics" name="Declared"><metric name="org.example.declared" unit="s">declared</metric></class>\n</graphtool-config>\n');
    await app.store.execute('ALTER TABLE metrics RENAME TO metrics_away');

    const res = await reload();
    expect(res.status).toBe(500);
    const body = (await res.json()) as { applied: boolean; failed?: string; issues: string[] };
    expect(body).toMatchObject({ applied: false, failed: 'collector' });
    expect(body.issues[0]).toMatch(/^collector: .*metrics/);
    expect(logLines.some((l) => l.startsWith('ERROR configuration reload failed in collector (rolled back collector, graph routes, access, '))).toBe(true);
    expect(logLines.filter((l) => l.startsWith('INFO configuration reloaded'))).toEqual([]);
    // Access was applied before the collector failed: it is back on the old settings.
    expect(await anonymousRead()).toBe(200);
    const metrics = await (await fetch(new URL('metrics', app.url))).text();
    expect(metrics).toMatch(/^appliance_config_reloads_total\{result="failed"\} 1$/m);
    expect(metrics).not.toMatch(/^appliance_config_reloads_total\{result="applied"\}/m);
  });

  it('applies the same files once the store is mended', async () => {
    await app.store.execute('ALTER TABLE metrics_away RENAME TO metrics');
    const res = await reload();
    expect(res.status).toBe(200);
    expect(await anonymousRead()).toBe(401);
    const [row] = await app.store.query<{ unit: string }>("SELECT unit FROM metrics WHERE name = 'org.example.declared'");
    expect(row?.unit).toBe('s');
  });
});
