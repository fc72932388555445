import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportDocument, exportSettings, parseExportRequest, republishApel, type ExportSettings } from '../../accounting/index.js';
import type { Store } from '../../store/index.js';
import { parseApelMessage } from '../support/apel-message-parser.js';
import { testBackends } from '../support/stores.js';
import { CREATE_TIME, loadScenario, SETTINGS } from './export-scenario.js';

const golden = (name: string) => readFileSync(new URL(`./golden/${name}`, import.meta.url), 'utf8');

async function text(store: Store, query: Record<string, string>, settings: ExportSettings = SETTINGS): Promise<string> {
  let out = '';
  for await (const chunk of exportDocument(store, parseExportRequest(query), settings, CREATE_TIME).body) out += chunk;
  return out;
}

/** The SSM queue's messages in the order ssmsend takes them (directories, then files, sorted). */
function queued(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((sub) => {
    expect(sub).toMatch(/^[0-9a-f]{8}$/);
    const names = readdirSync(join(dir, sub)).sort();
    for (const n of names) expect(n).toMatch(/^[0-9a-f]{14}$/);
    return names.map((n) => readFileSync(join(dir, sub, n), 'utf8'));
  });
}

for (const backend of testBackends()) {
  describe(`exports against golden files on ${backend.name}`, () => {
    let store: Store;
    let zurichStore: Store;
    const disposers: (() => Promise<void>)[] = [];
    const dirs: string[] = [];
    beforeAll(async () => {
      const db = await backend.create();
      disposers.push(db.dispose);
      store = db.open();
      await loadScenario(store);
      const zdb = await backend.create();
      disposers.push(zdb.dispose);
      zurichStore = zdb.open();
      await loadScenario(zurichStore, 'Europe/Zurich');
    });
    afterAll(async () => {
      await store.close();
      await zurichStore.close();
      for (const d of disposers) await d();
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    });

    it('apel republish writes v0.4 records cumulative per VM per month into an ssmsend directory, at most N per message', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'ssm-outgoing-'));
      dirs.push(dir);
      const report = await republishApel(store, { from: '2026-09', to: '2027-01', version: '0.4', outgoingDir: dir, settings: SETTINGS });
      expect(report.months.map((m) => [m.month, m.records, m.messages.length]))
        .toEqual([['2026-09', 1, 1], ['2026-10', 3, 2], ['2026-11', 2, 1], ['2026-12', 1, 1], ['2027-01', 1, 1]]);
      const messages = queued(dir);
      expect(messages.join('')).toBe(golden('apel-v0.4-republish-2026-09-to-2027-01.txt'));
      const parsed = messages.map(parseApelMessage);
      for (const m of parsed) {
        expect([m.type, m.version]).toEqual(['APEL-cloud-message', '0.4']);
        expect(m.records.length).toBeLessThanOrEqual(2);
      }
      // The VM running across three months: one record a month, cumulative, started until it stops.
      const vm105 = parsed.flatMap((m) => m.records).filter((r) => r.VMUUID?.includes('/compute/105 '));
      expect(vm105.map((r) => [r.Status, r.EndTime, r.WallDuration, r.SuspendDuration, r.CpuDuration])).toEqual([
        ['started', null, '1360800', '0', '2721600'],
        ['started', null, '3952800', '86400', '7905600'],
        ['started', null, '5637600', '86400', '11275200'],
      ]);
      expect(new Set(vm105.map((r) => r.VMUUID)).size).toBe(1);
    });

    it('republishing a period writes the same records again (APEL replaces a VM-month) and leaves no temporary file', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'ssm-outgoing-'));
      dirs.push(dir);
      for (let i = 0; i < 2; i++) await republishApel(store, { from: '2026-10', to: '2026-10', version: '0.4', outgoingDir: dir, settings: SETTINGS });
      const messages = queued(dir);
      expect(messages).toHaveLength(4);
      expect(messages.slice(2)).toEqual(messages.slice(0, 2));
    });

    it('a v0.2 message has no RecordCreateTime, CloudComputeService, PublicIPCount or benchmark, and integer CpuCount', async () => {
      const body = await text(store, { period: '2026-10', format: 'apel', version: '0.2' });
      expect(body).toBe(golden('apel-v0.2-2026-10.txt'));
      const m = parseApelMessage(body);
      expect(m.version).toBe('0.2');
      for (const r of m.records) {
        for (const k of ['RecordCreateTime', 'CloudComputeService', 'PublicIPCount', 'BenchmarkType', 'Benchmark']) expect(r).not.toHaveProperty(k);
        expect(r.CpuCount).toMatch(/^\d+$/);
      }
    });

    it('a VM on the leap day has one whole-day v0.4 record, completed at 2028-03-01 00:00 UTC', async () => {
      expect(await text(store, { period: '2028-02', format: 'apel' })).toBe(golden('apel-v0.4-2028-02.txt'));
    });

    it('OGF UR 1.0 (Gratia profile) per slice: a resize cuts the day, a month end, 1 January 00:00 UTC, a leap day', async () => {
      for (const [period, file] of [['2026-10', 'ogf-ur-2026-10-one-a.xml'], ['2027-01', 'ogf-ur-2027-01.xml'], ['2028-02', 'ogf-ur-2028-02.xml']]) {
        const body = await text(store, { period: period!, format: 'ogf-ur', endpoint: 'one-a' });
        expect(XMLValidator.validate(body)).toBe(true);
        expect(body).toBe(golden(file!));
      }
    });

    it('in Europe/Zurich the day of the DST change is one slice of 25 hours, in the local October', async () => {
      const zurich = exportSettings({ ...SETTINGS, timeZone: 'Europe/Zurich' });
      expect(await text(zurichStore, { period: '2026-10', format: 'ogf-ur' }, zurich)).toBe(golden('ogf-ur-2026-10-zurich.xml'));
      const apel = parseApelMessage(await text(zurichStore, { period: '2026-10', format: 'apel' }, zurich));
      expect(apel.records.map((r) => [r.WallDuration, r.StartTime, r.EndTime, r.Status])).toEqual([['90000', '1792879200', '1792969200', 'completed']]);
    });
  });
}
