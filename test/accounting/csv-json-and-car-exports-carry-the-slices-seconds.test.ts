import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../common/index.js';
import { exportDocument, monthsBetween, parseExportRequest, writeSegments, type VmSegment } from '../../accounting/index.js';
import type { Store } from '../../store/index.js';
import { parseApelMessage } from '../support/apel-message-parser.js';
import { testBackends } from '../support/stores.js';
import { daySlicesOf } from '../support/usage-slices.js';
import { CREATE_TIME, loadScenario, NOW, SETTINGS, UTC_SEGMENTS } from './export-scenario.js';

async function text(store: Store, query: Record<string, unknown>): Promise<string> {
  let out = '';
  for await (const chunk of exportDocument(store, parseExportRequest(query), SETTINGS, CREATE_TIME).body) out += chunk;
  return out;
}

const badRequest = (query: Record<string, unknown>) => {
  try {
    parseExportRequest(query);
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return { status: (err as AppError).httpStatus, field: (err as AppError).context.field, message: (err as AppError).message };
  }
  throw new Error(`accepted ${JSON.stringify(query)}`);
};

for (const backend of testBackends()) {
  describe(`CSV, JSON and CAR exports on ${backend.name}`, () => {
    let store: Store;
    let dispose: () => Promise<void>;
    beforeAll(async () => {
      const db = await backend.create();
      dispose = db.dispose;
      store = db.open();
      await loadScenario(store);
      // August 2026: a name CSV must quote.
      const odd: VmSegment = { ...UTC_SEGMENTS[1]!, vmId: 900, vmName: 'a,"b"\nc', start: 1786233600, end: 1786237200, runStart: 1786233600, runEnd: 1786237200 };
      await store.transaction((tx) => writeSegments(tx, [odd], daySlicesOf(odd, 'UTC', NOW), NOW));
    });
    afterAll(async () => {
      await store.close();
      await dispose();
    });

    it('CSV has one row per VM x month x resource, exact integers computed by hand (a resize weighs each size by its time)', async () => {
      const lines = (await text(store, { period: '2026-10', format: 'csv' })).split('\r\n');
      expect(lines[0]).toBe('period,endpoint,vm_id,vm_name,owner,group,resource,quantity,unit');
      const rows = lines.slice(1, -1).map((l) => l.split(','));
      const q = (vm: string, resource: string) => rows.find((r) => r[2] === vm && r[6] === resource)?.[7];
      expect(['allocated_time', 'running_time', 'cpu_time', 'memory', 'disk', 'public_ip'].map((r) => q('101', r)))
        .toEqual(['7200', '7200', '14400', '14745600', '73728000', '7200']);
      expect(['allocated_time', 'running_time', 'cpu_time', 'memory', 'disk', 'public_ip'].map((r) => q('104', r)))
        .toEqual(['172800', '172800', '302400', '619315200', '3538944000', '0']);
      expect(['allocated_time', 'running_time', 'cpu_time', 'memory', 'disk', 'public_ip'].map((r) => q('105', r)))
        .toEqual(['2678400', '2592000', '5184000', '10970726400', '137134080000', '5356800']);
      expect(rows.map((r) => r[2])).toEqual([...Array<string>(6).fill('101'), ...Array<string>(6).fill('104'), ...Array<string>(6).fill('105')]);
      expect(lines.at(-1)).toBe('');
    });

    it('the per-slice CSV sums to the same seconds, one row per day slice', async () => {
      const lines = (await text(store, { period: '2026-10', format: 'csv', form: 'slices' })).trimEnd().split('\r\n');
      const head = lines[0]!.split(',');
      const rows = lines.slice(1).map((l) => l.split(','));
      expect(rows).toHaveLength(1 + 3 + 31);
      const sum = (col: string) => rows.reduce((a, r) => a + Number(r[head.indexOf(col)]), 0);
      expect([sum('allocated_seconds'), sum('running_seconds'), sum('cpu_seconds')]).toEqual([7200 + 172800 + 2678400, 7200 + 172800 + 2592000, 14400 + 302400 + 5184000]);
    });

    it('CSV quotes a field with a comma, quote or newline', async () => {
      const body = await text(store, { period: '2026-08', format: 'csv' });
      expect(body).toContain('2026-08,one-a,900,"a,""b""\nc",alice,fermilab,allocated_time,3600,s\r\n');
    });

    it('JSON carries the same rows, quantities as strings, and the period bounds', async () => {
      const doc = JSON.parse(await text(store, { period: '2026-10', format: 'json' })) as { from: string; to: string; rows: Record<string, string>[] };
      expect([doc.from, doc.to]).toEqual(['2026-10-01T00:00:00Z', '2026-11-01T00:00:00Z']);
      expect(doc.rows).toHaveLength(18);
      expect(doc.rows.find((r) => r.vm_id === (105 as unknown as string) && r.resource === 'disk')?.quantity).toBe('137134080000');
      const slices = JSON.parse(await text(store, { period: '2026-10', format: 'json', form: 'slices' })) as { rows: { running_seconds: number }[] };
      expect(slices.rows.reduce((a, r) => a + r.running_seconds, 0)).toBe(2772000);
    });

    it('EMI CAR 1.2: one UsageRecord per slice in its namespace, running time as WallDuration', async () => {
      const body = await text(store, { period: '2026-10', format: 'car' });
      expect(XMLValidator.validate(body)).toBe(true);
      const doc = new XMLParser({ ignoreAttributes: false, processEntities: false }).parse(body) as { 'urf:UsageRecords': { '@_xmlns:urf': string; 'urf:UsageRecord': Record<string, unknown>[] } };
      expect(doc['urf:UsageRecords']['@_xmlns:urf']).toBe('http://eu-emi.eu/namespaces/2012/11/computerecord');
      const recs = doc['urf:UsageRecords']['urf:UsageRecord'];
      expect(recs).toHaveLength(35);
      const secs = (d: unknown) => Number(/^PT(\d+)S$/.exec(String(d))![1]);
      expect(recs.reduce((a, r) => a + secs(r['urf:WallDuration']), 0)).toBe(2772000);
    });

    it('an empty period gives each format its empty document, not made-up numbers', async () => {
      expect(await text(store, { period: '2030-01', format: 'csv' })).toBe('period,endpoint,vm_id,vm_name,owner,group,resource,quantity,unit\r\n');
      expect(JSON.parse(await text(store, { period: '2030-01', format: 'json' }))).toMatchObject({ period: '2030-01', rows: [] });
      expect(await text(store, { period: '2030-01', format: 'ogf-ur' })).toMatch(/<UsageRecords [^>]+>\n<\/UsageRecords>\n$/);
      expect(await text(store, { period: '2030-01', format: 'car' })).toMatch(/<urf:UsageRecords [^>]+>\n<\/urf:UsageRecords>\n$/);
      expect(parseApelMessage(await text(store, { period: '2030-01', format: 'apel' }))).toEqual({ type: 'APEL-cloud-message', version: '0.4', records: [] });
    });
  });
}

describe('export parameters', () => {
  it('a bad parameter is a 400 naming it', () => {
    expect(badRequest({ format: 'csv' })).toMatchObject({ status: 400, field: 'period' });
    expect(badRequest({ period: '2026-1', format: 'csv' })).toMatchObject({ status: 400, field: 'period' });
    expect(badRequest({ period: '2026-00', format: 'csv' })).toMatchObject({ status: 400, field: 'period' });
    expect(badRequest({ period: '2026-10' })).toMatchObject({ status: 400, field: 'format' });
    expect(badRequest({ period: '2026-10', format: 'xml' })).toMatchObject({ status: 400, field: 'format', message: expect.stringMatching(/csv, json, ogf-ur, car, apel/) as unknown });
    expect(badRequest({ period: '2026-10', format: 'apel', version: '0.3' })).toMatchObject({ status: 400, field: 'version' });
    expect(badRequest({ period: '2026-10', format: 'csv', form: 'all' })).toMatchObject({ status: 400, field: 'form' });
    expect(badRequest({ period: ['2026-10', '2026-11'], format: 'csv' })).toMatchObject({ status: 400, field: 'period' });
    expect(badRequest({ period: '2026-10', format: 'csv', endpoint: 'a b' })).toMatchObject({ status: 400, field: 'endpoint' });
  });

  it('a republish period is every month from --from to --to, in the accounting zone', () => {
    expect(monthsBetween('2026-11', '2027-02').map((m) => m.label)).toEqual(['2026-11', '2026-12', '2027-01', '2027-02']);
    const [oct] = monthsBetween('2026-10', '2026-10', 'Europe/Zurich');
    expect([oct!.from, oct!.to]).toEqual([1790805600, 1793487600]);
    expect(() => monthsBetween('2026-12', '2026-10')).toThrow(/to \(2026-10\) is before from \(2026-12\)/);
  });
});
