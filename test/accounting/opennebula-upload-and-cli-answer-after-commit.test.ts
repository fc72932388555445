/**
 * The entries of an import: `POST /api/v1/accounting/opennebula` (operator only: 401 anonymous, 403 for a viewer; 413
 * over the upload limit, 400 for malformed XML naming its line; 200 with the report only after the commit) and
 * `appliance import oneacct FILE` (the report printed, exit 0, 3 with rejects, 1 when refused whole). The import
 * history is there as JSON and pages.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNTING_CLASS_TYPES, ACCOUNTING_PARTS, SEGMENTS_TABLE, USAGE_TABLE } from '../../accounting/index.js';
import { packageRoot } from '../../common/index.js';
import { loadConfig } from '../../grammar/index.js';
import { gratiaMigrations, openStore, type Store } from '../../store/index.js';
import { oneacctXml, type HistorySpec } from '../support/one-history-documents.js';
import { removeTempDirs, tempDir } from '../support/temp-files.js';
import { ACCOUNTING_APP_MIGRATIONS, basic, startAccountingApp, type AccountingApp } from './support/accounting-app.js';

const T = (iso: string) => Date.parse(iso) / 1000;
const good: HistorySpec = { vmId: 1, stime: T('2026-11-02T10:00:00Z'), etime: T('2026-11-02T12:00:00Z'), vm: { disks: [10] } };
const bad: HistorySpec = { ...good, vmId: 2, vm: { disks: [10], vcpu: 0 } };

describe('the upload', () => {
  let store: Store;
  let app: AccountingApp;
  beforeAll(async () => {
    store = openStore({ interface: 'sqlite', file: join(tempDir(), 'a.db') });
    // Every part runs, the Gratia writer's listener too: it writes the Gratia tables.
    await store.migrate([...gratiaMigrations, ...ACCOUNTING_APP_MIGRATIONS]);
    const dir = tempDir({ 'accounting.xml': '<graphtool-config><class type="Accounting" name="A"><attribute name="max_upload_mb">1</attribute></class></graphtool-config>' });
    app = await startAccountingApp(store, { parts: ACCOUNTING_PARTS, config: loadConfig(dir, { classTypes: [...ACCOUNTING_CLASS_TYPES] }) });
  });
  afterAll(async () => {
    await app.close();
    await store.close();
    removeTempDirs();
  });
  const post = (body: string, auth?: string, endpoint = 'site-a') =>
    fetch(`${app.url}/api/v1/accounting/opennebula?endpoint=${endpoint}`, { method: 'POST', body, headers: { 'content-type': 'application/xml', ...(auth ? { authorization: auth } : {}) } });

  it('needs the operator role', async () => {
    expect((await post(oneacctXml([good]))).status).toBe(401);
    expect((await post(oneacctXml([good]), basic('viewer'))).status).toBe(403);
    expect(await store.query(`SELECT COUNT(*) AS n FROM ${SEGMENTS_TABLE}`)).toEqual([{ n: 0 }]);
  });

  it('answers 200 with the report once committed; rejected records are in it with their lines', async () => {
    const res = await post(oneacctXml([good, bad]), basic('operator'));
    expect(res.status).toBe(200);
    const report = (await res.json()) as { id: number; endpoint: string; imported: number; rejected: number; source: string; issues: { line: number; reason: string }[] };
    expect(report).toMatchObject({ endpoint: 'site-a', imported: 1, rejected: 1, source: 'upload by operator' });
    expect(report.issues).toEqual([expect.objectContaining({ kind: 'rejected', line: 3, vmId: 2, reason: 'TEMPLATE/VCPU is 0' })]);
    expect(await store.query(`SELECT endpoint, vm_id, allocated_seconds FROM ${USAGE_TABLE}`)).toEqual([{ endpoint: 'site-a', vm_id: 1, allocated_seconds: 7200 }]);
    const history = (await (await fetch(`${app.url}/api/v1/accounting/imports/${report.id}`)).json()) as { issues: unknown[]; status: string };
    expect(history).toMatchObject({ status: 'ok', issues: [expect.objectContaining({ line: 3, reason: 'TEMPLATE/VCPU is 0' })] });
    const page = await (await fetch(`${app.url}/accounting/imports`)).text();
    expect(page).toContain('line 3, VM 2 seq 0: <span class="error">TEMPLATE/VCPU is 0</span>');
    const detail = await (await fetch(`${app.url}/accounting/imports/${report.id}`)).text();
    expect(detail).toMatch(/<tr data-line="3"><td>3<\/td><td>2<\/td><td>0<\/td>/);
  });

  it('refuses malformed XML with 400 naming the line, and a bad endpoint name naming the field', async () => {
    const res = await post('<HISTORY_RECORDS>\n<HISTORY>\n</VM>\n', basic('operator'));
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ message: 'line 3: closing tag </VM> does not match <HISTORY>', error: { line: 3, importId: expect.any(Number) as number } });
    const named = await post(oneacctXml([good]), basic('operator'), 'bad%20name');
    expect(named.status).toBe(400);
    expect(await named.json()).toMatchObject({ error: { field: 'endpoint' } });
  });

  it('refuses a body over the limit with 413, declared or streamed, and stores nothing', async () => {
    const big = oneacctXml(Array.from({ length: 6000 }, (_, i) => ({ ...good, vmId: 100 + i })));
    expect(big.length).toBeGreaterThan(1024 * 1024);
    const before = await store.query(`SELECT COUNT(*) AS n FROM ${SEGMENTS_TABLE}`);
    const res = await post(big, basic('operator'));
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: { setting: 'max_upload_mb' } });
    // Without a Content-Length (chunked), the limit stops the read.
    const chunks = new ReadableStream({
      start(c) {
        for (let i = 0; i < big.length; i += 65536) c.enqueue(new TextEncoder().encode(big.slice(i, i + 65536)));
        c.close();
      },
    });
    const streamed = await fetch(`${app.url}/api/v1/accounting/opennebula`, { method: 'POST', body: chunks, duplex: 'half', headers: { authorization: basic('operator') } } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(await store.query(`SELECT COUNT(*) AS n FROM ${SEGMENTS_TABLE}`)).toEqual(before);
  });
});

describe('appliance import oneacct FILE', () => {
  const run = promisify(execFile);
  const cli = join(packageRoot(), 'bin/appliance.ts');
  const tsx = join(packageRoot(), 'node_modules/.bin/tsx');
  const appliance = async (args: string[]) => {
    try {
      const { stdout, stderr } = await run(tsx, [cli, ...args], { env: { ...process.env, APPLIANCE_DEBUG: '', APPLIANCE_USERS_FILE: '', APPLIANCE_DB: '' }, timeout: 90_000 });
      return { code: 0, stdout, stderr };
    } catch (err) {
      const e = err as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  };
  afterAll(removeTempDirs);

  it('prints the report and each rejected record; exit 0, 3 with rejects, 1 when refused; the store has the slices', async () => {
    const dir = tempDir();
    const data = join(dir, 'data');
    writeFileSync(join(dir, 'good.xml'), oneacctXml([good]));
    writeFileSync(join(dir, 'mixed.xml'), oneacctXml([good, bad]));
    writeFileSync(join(dir, 'broken.xml'), '<HISTORY_RECORDS>\n  <HISTORY>\n');
    const ok = await appliance(['--data', data, '--no-demo', 'import', 'oneacct', join(dir, 'good.xml'), '--endpoint', 'site-b']);
    expect(ok.stderr).not.toMatch(/ERROR|appliance:/);
    expect(ok.stdout).toMatch(/^import 1 of .*good\.xml \(endpoint site-b, days in UTC\): 1 records, 1 imported, 0 rejected, 0 warnings; 1 day slices written \(0 replaced\)\n$/);
    expect(ok.code).toBe(0);
    const mixed = await appliance(['--data', data, 'import', 'oneacct', join(dir, 'mixed.xml'), '--endpoint', 'site-b']);
    expect(mixed.code).toBe(3);
    expect(mixed.stdout).toContain(`${join(dir, 'mixed.xml')}:3: rejected: VM 2 seq 0: TEMPLATE/VCPU is 0\n`);
    expect(mixed.stdout).toMatch(/2 records, 1 imported, 1 rejected, 0 warnings; 1 day slices written \(1 replaced\)/);
    const broken = await appliance(['--data', data, 'import', 'oneacct', join(dir, 'broken.xml')]);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain(`${join(dir, 'broken.xml')}:3: <HISTORY_RECORDS>, <HISTORY> not closed before the end of the data`);
    expect(broken.stderr).toContain('nothing of');
    const store = openStore({ interface: 'sqlite', file: join(data, 'appliance.db') });
    try {
      expect(await store.query(`SELECT endpoint, vm_id, allocated_seconds FROM ${USAGE_TABLE}`)).toEqual([{ endpoint: 'site-b', vm_id: 1, allocated_seconds: 7200 }]);
    } finally {
      await store.close();
    }
  }, 240_000);
});
