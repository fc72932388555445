/**
 * importOpenNebulaXml on SQLite and MariaDB: the shared fixtures hand-checked, every bad record rejected with its line
 * and reason while the rest is imported, malformed XML and DOCTYPEs refusing the file whole, re-imports changing
 * nothing, an open record closed by a later import, and day slices at month end, 1 January, a leap day and the DST
 * days of Europe/Berlin; a resize is two segments with their own sizes.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  accountingMigrations, IMPORT_ISSUES_TABLE, IMPORTS_TABLE, ImportFailed, importHistoryMigrations, importOpenNebulaXml, SEGMENTS_TABLE, USAGE_TABLE,
  type ImportInput, type ImportOptions, type SliceChange,
} from '../../accounting/index.js';
import { packageRoot } from '../../common/index.js';
import type { Store } from '../../store/index.js';
import { oneacctXml, vmPoolXml, vmXml, type HistorySpec } from '../support/one-history-documents.js';
import { serviceMissing } from '../support/services.js';
import { testBackends } from '../support/stores.js';

const FIXTURES = join(packageRoot(), '../shared/fixtures/opennebula');
const haveFixtures = existsSync(FIXTURES);
if (!haveFixtures) serviceMissing('shared OpenNebula fixtures', `${FIXTURES} is missing (run beside ../shared)`);

const T = (iso: string) => Date.parse(iso) / 1000;

for (const backend of testBackends()) {
  describe(`OpenNebula import (${backend.name})`, () => {
    let store: Store;
    let dispose: () => Promise<void>;
    beforeAll(async () => {
      const db = await backend.create();
      store = db.open();
      dispose = db.dispose;
      await store.migrate([...accountingMigrations, ...importHistoryMigrations]);
    }, 60_000);
    afterAll(async () => {
      await store.close();
      await dispose();
    });
    beforeEach(async () => {
      for (const t of [USAGE_TABLE, SEGMENTS_TABLE, IMPORT_ISSUES_TABLE, IMPORTS_TABLE]) await store.execute(`DELETE FROM ${t}`);
    });

    const run = (input: Partial<ImportInput> & { xml: string }, options: ImportOptions = {}) =>
      importOpenNebulaXml(store, { endpoint: 'one', source: 'test', ...input }, options);
    const slices = async (order = 'vm_id, seq, slice_start') =>
      store.query(`SELECT vm_id, seq, slice_start, slice_end, day, open, allocated_seconds, running_seconds, cpu_seconds FROM ${USAGE_TABLE} ORDER BY ${order}`);
    const dump = async () => ({
      segments: await store.query(`SELECT * FROM ${SEGMENTS_TABLE} ORDER BY endpoint, vm_id, seq`),
      slices: await store.query(`SELECT * FROM ${USAGE_TABLE} ORDER BY endpoint, vm_id, seq, slice_start`),
    });

    it.skipIf(!haveFixtures)('imports the fixture VM documents with hand-checked segments and slices', async () => {
      const xml = readFileSync(join(FIXTURES, 'one_worker_vm_dn01.xml'), 'utf8');
      const report = await run({ endpoint: 'fermicloud', xml, now: T('2013-11-07T00:00:00Z') });
      expect(report).toMatchObject({ status: 'ok', records: 2, imported: 2, rejected: 0, warnings: 0, slicesWritten: 2, slicesRemoved: 0 });
      const [s0, s1] = await store.query(`SELECT * FROM ${SEGMENTS_TABLE} ORDER BY seq`);
      // Owner from VM/UID, UNAME, GNAME; sizes from the template; disks 10240 + 42368 MB; the one public NIC address.
      expect(s0).toMatchObject({
        endpoint: 'fermicloud', vm_id: 36551, seq: 0, vm_name: 'one-36551', deploy_id: 'one-36551', owner_uid: 120, owner_name: 'uname',
        group_gid: 0, group_name: 'gname', user_dn: '/Dn=FrOm/CN=DN/CN=TeMpLaTe', hostname: 'supermachine1.somewhere.com', host_id: 11,
        cluster_id: 100, vcpu: 1, cpu_share: '0.5', memory_mb: 1736960, disk_mb: 52608, net_rx_bytes: 376832, net_tx_bytes: 43557888,
        public_ips: '123.123.5.5', image_id: '31', status: 'completed', start_time: 1383741169, end_time: 1383741259, run_start: null,
        run_end: null, vm_state: 6,
      });
      expect(s1).toMatchObject({ seq: 1, hostname: 'supermachine2.somewhere.com', start_time: 1383741589, end_time: 1383742270, run_start: 1383741674, run_end: 1383742270 });
      // Both within 2013-11-06 UTC: allocated 90 s (never ran) and 681 s, of which 596 s running on 1 vCPU.
      expect(await slices()).toEqual([
        { vm_id: 36551, seq: 0, slice_start: 1383741169, slice_end: 1383741259, day: '2013-11-06', open: 0, allocated_seconds: 90, running_seconds: 0, cpu_seconds: 0 },
        { vm_id: 36551, seq: 1, slice_start: 1383741589, slice_end: 1383742270, day: '2013-11-06', open: 0, allocated_seconds: 681, running_seconds: 596, cpu_seconds: 596 },
      ]);

      const ips = await run({ endpoint: 'ips', xml: readFileSync(join(FIXTURES, 'one_worker_vm_number_of_public_ips_01.xml'), 'utf8') });
      expect(ips.imported).toBe(2);
      const [row] = await store.query(`SELECT public_ips FROM ${SEGMENTS_TABLE} WHERE endpoint = 'ips' AND seq = 0`);
      // Distinct, first seen first, RFC 1918 addresses (10/8, 172.16/12, 192.168/16) left out; 172.120.5.5 is public.
      expect(row!.public_ips).toBe('123.123.5.5,95.1.1.7,123.123.5.7,124.120.5.5,98.120.5.5,128.1.1.5,172.120.5.5,98.94.93.92');

      const empty = await run({ endpoint: 'empty', xml: readFileSync(join(FIXTURES, 'one_worker_vm_empty_history_records.xml'), 'utf8') });
      expect(empty).toMatchObject({ records: 1, imported: 0, rejected: 1 });
      expect(empty.issues).toEqual([{ kind: 'rejected', line: 1, vmId: 36551, seq: null, reason: expect.stringMatching(/the VM has no history/) as string }]);
    });

    it('rejects each bad record with its line and reason and imports the rest, in one transaction', async () => {
      const ok = (vmId: number, vm = {}): HistorySpec => ({ vmId, stime: T('2026-11-02T10:00:00Z'), etime: T('2026-11-02T11:00:00Z'), vm: { disks: [1000], ...vm } });
      const records: HistorySpec[] = [
        ok(1),
        { ...ok(2), etime: T('2026-11-02T09:00:00Z') },
        { ...ok(3), rstime: T('2026-11-02T10:30:00Z'), retime: T('2026-11-02T10:10:00Z') },
        ok(4, { memory: 'nan' }),
        ok(5, { memory: -512 }),
        ok(6, { vcpu: 0 }),
        ok(7, { disks: [] }),
        ok(8, { state: 12 }),
        ok(9, { disks: ['nan'] }),
        { ...ok(10), stime: 'yesterday' },
        ok(11, { gname: null }),
        ok(12, { noTemplate: true }),
        ok(13, { vcpu: 'nan' }),
        ok(14, { nettx: 'nan' }),
      ];
      const report = await run({ xml: oneacctXml(records) });
      const byVm = Object.fromEntries(report.issues.map((i) => [`${i.kind} ${i.vmId}`, i]));
      // Record k is on line k + 1 (line 1 holds <HISTORY_RECORDS>).
      const expected: [number, RegExp][] = [
        [2, /^HISTORY\/ETIME \d+ is before STIME \d+$/],
        [3, /^HISTORY\/RETIME \d+ is before RSTIME \d+$/],
        [4, /^TEMPLATE\/MEMORY "nan" is not a whole number$/],
        [5, /^TEMPLATE\/MEMORY -512 is negative$/],
        [6, /^TEMPLATE\/VCPU is 0$/],
        [8, /^VM\/STATE 12 is out of range \(0 to 11\)$/],
        [9, /^TEMPLATE\/DISK\[1\]\/SIZE "nan" is not a whole number$/],
        [10, /^HISTORY\/STIME "yesterday" is not a whole number$/],
        [11, /^VM\/GNAME is missing$/],
        [12, /^VM\/TEMPLATE is missing$/],
        [13, /^TEMPLATE\/VCPU "nan" is not a whole number$/],
        [14, /^VM\/MONITORING\/NETTX "nan" is not a whole number$/],
      ];
      for (const [vm, reason] of expected) expect(byVm[`rejected ${vm}`], `VM ${vm}`).toMatchObject({ line: vm + 1, seq: 0, reason: expect.stringMatching(reason) as string });
      // A VM without DISK is imported at 0 MB with a warning (the README says so).
      expect(byVm['warning 7']).toMatchObject({ line: 8, reason: 'the VM has no DISK: its disk size is taken as 0 MB' });
      expect(report).toMatchObject({ records: 14, imported: 2, rejected: 12, warnings: 1 });
      expect((await store.query(`SELECT vm_id, disk_mb FROM ${SEGMENTS_TABLE} ORDER BY vm_id`)).map((r) => [r.vm_id, r.disk_mb])).toEqual([[1, 1000], [7, 0]]);
      // The history keeps every issue, in file order.
      const stored = await store.query(`SELECT kind, line, vm_id, reason FROM ${IMPORT_ISSUES_TABLE} WHERE import_id = ? ORDER BY n`, [report.id]);
      expect(stored.map((r) => [r.kind, r.line])).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15].map((l) => [l === 8 ? 'warning' : 'rejected', l]));
      expect(stored).toHaveLength(13);
    });

    it('refuses malformed XML and DOCTYPEs whole, naming the line; nothing is stored but the failed import', async () => {
      const good = oneacctXml([{ vmId: 1, stime: T('2026-11-02T10:00:00Z'), etime: T('2026-11-02T11:00:00Z') }]);
      const broken = good.replace('</HISTORY_RECORDS>', '  <HISTORY><OID>2</SEQ></HISTORY>\n</HISTORY_RECORDS>');
      const err = await run({ xml: broken }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ImportFailed);
      expect((err as ImportFailed).httpStatus).toBe(400);
      expect((err as ImportFailed).message).toBe('line 3: closing tag </SEQ> does not match <OID>');
      expect((err as ImportFailed).context).toMatchObject({ line: 3 });
      const doctype = `<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n<HISTORY_RECORDS>&e;</HISTORY_RECORDS>`;
      await expect(run({ xml: doctype })).rejects.toThrow(/^line 2: DOCTYPE and entity declarations are not allowed/);
      await expect(run({ xml: '<HISTORY_RECORDS>\n<HISTORY>' })).rejects.toThrow(/^line 2: <HISTORY_RECORDS>, <HISTORY> not closed/);
      await expect(run({ xml: '<VMS></VMS>' })).rejects.toThrow(/document element is <VMS>/);
      expect(await store.query(`SELECT COUNT(*) AS n FROM ${SEGMENTS_TABLE}`)).toEqual([{ n: 0 }]);
      const history = await store.query(`SELECT status, error FROM ${IMPORTS_TABLE} ORDER BY id`);
      expect(history.map((h) => h.status)).toEqual(['failed', 'failed', 'failed', 'failed']);
      expect(history[0]!.error).toBe('line 3: closing tag </SEQ> does not match <OID>');
    });

    it('a listener that throws rolls the whole import back', async () => {
      const xml = oneacctXml([{ vmId: 1, stime: T('2026-11-02T10:00:00Z'), etime: T('2026-11-02T11:00:00Z') }]);
      const seen: SliceChange[] = [];
      await expect(run({ xml }, { onSlices: [async (_tx, change) => void seen.push(change), async () => { throw new Error('gratia down'); }] })).rejects.toThrow('gratia down');
      expect(seen[0]!.written).toHaveLength(1);
      expect(await store.query(`SELECT COUNT(*) AS n FROM ${USAGE_TABLE}`)).toEqual([{ n: 0 }]);
    });

    it('re-importing the same data changes nothing; a corrected record changes exactly its own slices', async () => {
      const records: HistorySpec[] = [
        { vmId: 1, seq: 0, stime: T('2026-11-01T20:00:00Z'), etime: T('2026-11-03T04:00:00Z'), vm: { disks: [500] } },
        { vmId: 2, seq: 0, stime: T('2026-11-02T08:00:00Z'), etime: T('2026-11-02T09:00:00Z'), vm: { disks: [500] } },
      ];
      const first = await run({ xml: oneacctXml(records), now: T('2026-11-04T00:00:00Z') });
      const before = await dump();
      const again = await run({ xml: oneacctXml(records), now: T('2026-11-05T00:00:00Z') });
      expect(again).toMatchObject({ slicesWritten: first.slicesWritten, slicesRemoved: first.slicesWritten });
      const after = await dump();
      expect(after.slices).toEqual(before.slices);
      expect(after.segments.map(({ updated_at: _u, ...s }) => s)).toEqual(before.segments.map(({ updated_at: _u, ...s }) => s));
      const changes: SliceChange[] = [];
      await run({ xml: oneacctXml([{ ...records[1]!, etime: T('2026-11-02T09:30:00Z') }]) }, { onSlices: async (_tx, c) => void changes.push(c) });
      expect(changes).toHaveLength(1);
      expect(changes[0]!.removed.map((s) => s.allocatedSeconds)).toEqual([3600]);
      expect(changes[0]!.written.map((s) => s.allocatedSeconds)).toEqual([5400]);
      const rows = await slices();
      expect(rows.filter((r) => r.vm_id === 1)).toEqual(before.slices.filter((r) => r.vm_id === 1).map((r) => ({
        vm_id: r.vm_id, seq: r.seq, slice_start: r.slice_start, slice_end: r.slice_end, day: r.day, open: r.open,
        allocated_seconds: r.allocated_seconds, running_seconds: r.running_seconds, cpu_seconds: r.cpu_seconds,
      })));
    });

    it('an open record ends at "now", partial; a later import closes it and replaces its slices', async () => {
      const stime = T('2026-11-02T22:00:00Z');
      const open: HistorySpec = { vmId: 5, stime, etime: 0, rstime: stime + 600, retime: 0, vm: { vcpu: 4, disks: [10] } };
      await run({ xml: oneacctXml([open]), now: T('2026-11-03T06:00:00Z') });
      expect(await slices()).toEqual([
        { vm_id: 5, seq: 0, slice_start: stime, slice_end: T('2026-11-03T00:00:00Z'), day: '2026-11-02', open: 1, allocated_seconds: 7200, running_seconds: 6600, cpu_seconds: 26400 },
        { vm_id: 5, seq: 0, slice_start: T('2026-11-03T00:00:00Z'), slice_end: T('2026-11-03T06:00:00Z'), day: '2026-11-03', open: 1, allocated_seconds: 21600, running_seconds: 21600, cpu_seconds: 86400 },
      ]);
      // Since 5.12 a poweroff sets RETIME only: the record stays open, allocated but not running.
      await run({ xml: oneacctXml([{ ...open, retime: T('2026-11-03T04:00:00Z') }]), now: T('2026-11-03T08:00:00Z') });
      expect((await slices()).map((r) => [r.day, r.allocated_seconds, r.running_seconds, r.open])).toEqual([['2026-11-02', 7200, 6600, 1], ['2026-11-03', 28800, 14400, 1]]);
      const report = await run({ xml: oneacctXml([{ ...open, etime: T('2026-11-03T05:00:00Z'), retime: T('2026-11-03T04:00:00Z') }]), now: T('2026-11-04T00:00:00Z') });
      expect(report.slicesRemoved).toBe(2);
      expect((await slices()).map((r) => [r.day, r.allocated_seconds, r.running_seconds, r.open])).toEqual([['2026-11-02', 7200, 6600, 0], ['2026-11-03', 18000, 14400, 0]]);
      // A DONE VM's open record is clamped to VM/ETIME, with a warning.
      const done = await run({ xml: oneacctXml([{ vmId: 6, stime, etime: 0, retime: 0, vm: { state: 6, vmEtime: stime + 100, disks: [1] } }]), now: T('2026-11-05T00:00:00Z') });
      expect(done.issues).toEqual([expect.objectContaining({ kind: 'warning', reason: `the VM is DONE but this record is open: clamped to VM/ETIME ${stime + 100}` })]);
      expect((await slices()).filter((r) => r.vm_id === 6).map((r) => [r.allocated_seconds, r.running_seconds, r.open])).toEqual([[100, 100, 0]]);
    });

    it('cuts at local midnight: month end, 1 January 00:00 UTC, a leap day, and 23 h / 25 h days in Europe/Berlin', async () => {
      const seg = (vmId: number, from: string, to: string): HistorySpec => ({ vmId, stime: T(from), etime: T(to), vm: { disks: [1], vcpu: 1 } });
      await run({
        xml: oneacctXml([
          seg(1, '2026-10-31T22:00:00Z', '2026-11-01T02:00:00Z'),
          seg(2, '2025-12-31T23:00:00Z', '2026-01-01T01:00:00Z'),
          seg(3, '2028-02-28T12:00:00Z', '2028-03-01T12:00:00Z'),
        ]),
      });
      const rows = (await slices()).map((r) => [r.vm_id, r.day, r.slice_start, r.allocated_seconds]);
      expect(rows).toEqual([
        [1, '2026-10-31', T('2026-10-31T22:00:00Z'), 7200], [1, '2026-11-01', T('2026-11-01T00:00:00Z'), 7200],
        [2, '2025-12-31', T('2025-12-31T23:00:00Z'), 3600], [2, '2026-01-01', 1767225600, 3600],
        [3, '2028-02-28', T('2028-02-28T12:00:00Z'), 43200], [3, '2028-02-29', T('2028-02-29T00:00:00Z'), 86400], [3, '2028-03-01', T('2028-03-01T00:00:00Z'), 43200],
      ]);
      await store.execute(`DELETE FROM ${USAGE_TABLE}`);
      await run(
        {
          xml: oneacctXml([
            // 29 March 2026: clocks go 02:00 CET -> 03:00 CEST (23 h); 25 October 2026: 03:00 CEST -> 02:00 CET (25 h).
            seg(10, '2026-03-28T22:00:00Z', '2026-03-30T01:00:00Z'),
            seg(11, '2026-10-24T20:00:00Z', '2026-10-26T00:00:00Z'),
          ]),
        },
        { timeZone: 'Europe/Berlin' },
      );
      expect((await slices()).map((r) => [r.vm_id, r.day, r.slice_start, Number(r.slice_end) - Number(r.slice_start)])).toEqual([
        [10, '2026-03-28', T('2026-03-28T22:00:00Z'), 3600],
        [10, '2026-03-29', T('2026-03-28T23:00:00Z'), 23 * 3600],
        [10, '2026-03-30', T('2026-03-29T22:00:00Z'), 3 * 3600],
        [11, '2026-10-24', T('2026-10-24T20:00:00Z'), 2 * 3600],
        [11, '2026-10-25', T('2026-10-24T22:00:00Z'), 25 * 3600],
        [11, '2026-10-26', T('2026-10-25T23:00:00Z'), 3600],
      ]);
    });

    it('a resize is two segments, each with its own sizes; VM_POOL, 3.x counters and the first record\'s STIME 0 are read', async () => {
      const t0 = T('2026-11-10T00:00:00Z');
      await run({
        xml: oneacctXml([
          { vmId: 20, seq: 0, stime: t0, etime: t0 + 3600, action: 35, vm: { vcpu: 2, memory: 2048, cpu: '0.50', disks: [100, 50], snapshotMb: 25 } },
          { vmId: 20, seq: 1, stime: t0 + 3600, etime: t0 + 7200, vm: { vcpu: 4, memory: 8192, cpu: 2, disks: [100, 50] } },
        ]),
      });
      expect(await store.query(`SELECT seq, vcpu, cpu_share, memory_mb, disk_mb, action FROM ${SEGMENTS_TABLE} ORDER BY seq`)).toEqual([
        { seq: 0, vcpu: 2, cpu_share: '0.5', memory_mb: 2048, disk_mb: 175, action: 35 },
        { seq: 1, vcpu: 4, cpu_share: '2', memory_mb: 8192, disk_mb: 150, action: 0 },
      ]);
      expect((await slices()).map((r) => r.cpu_seconds)).toEqual([7200, 14400]);
      const pool = vmPoolXml([
        vmXml(30, { vmStime: t0 - 60, legacyCounters: true, netrx: 1000, nettx: 2000, disks: [1] }, [{ seq: 0, stime: 0, etime: t0, rstime: t0 - 30, retime: t0, reason: 2 }]),
        vmXml(31, { disks: [1] }, []),
      ]);
      const report = await run({ xml: pool });
      expect(report).toMatchObject({ records: 2, imported: 1, rejected: 1 });
      expect(report.issues[0]).toMatchObject({ vmId: 31, line: 7 });
      expect(await store.query(`SELECT start_time, end_time, net_rx_bytes, net_tx_bytes FROM ${SEGMENTS_TABLE} WHERE vm_id = 30`)).toEqual([
        { start_time: t0 - 60, end_time: t0, net_rx_bytes: 1000, net_tx_bytes: 2000 },
      ]);
    });
  });
}
