/**
 * The shipped VM queries (config/vm_queries.xml) on SQLite and MariaDB, read by the query engine from the Gratia rows
 * the accounting writes (job records, their Memory rows and the recomputed daily summary), against hours worked out by
 * hand for three VMs over two days.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountingMigrations, applySliceChange, defaultVmGratiaSettings, writeSegments } from '../../accounting/index.js';
import { loadConfig } from '../../grammar/index.js';
import { createQueryEngine, linkQueries, queryEngineClassTypes, type QueryEngine, type QueryResult } from '../../query-engine/index.js';
import { gratiaMigrations, type Store } from '../../store/index.js';
import { testBackends } from '../support/stores.js';
import { removeTempDirs, tempDir } from '../support/temp-files.js';
import { DAY, OCT1, utcSlices, vmSegment } from './support/vm-slices.js';

const H = 3600;
const D2 = OCT1 + DAY;
// VM 10: fermilab, alice on h1, 2 vCPUs, 4 GB, allocated 10-01 00:00 to 10-02 12:00, running from 10-01 06:00.
// VM 11: nova, bob on h2, 1 vCPU, 1 GB, 10-01 12:00 to 18:00, running 12:00 to 15:00.
// VM 12: fermilab, Carol (a DN) on h1, 4 vCPUs, 2 GB, all of 10-02, running all of it.
const SEGMENTS = [
  vmSegment({ vmId: 10, start: OCT1, end: D2 + 12 * H, runStart: OCT1 + 6 * H, runEnd: D2 + 12 * H, vcpu: 2, memoryMb: 4096, hostname: 'h1', status: 'completed' }),
  vmSegment({ vmId: 11, start: OCT1 + 12 * H, end: OCT1 + 18 * H, runStart: OCT1 + 12 * H, runEnd: OCT1 + 15 * H, groupName: 'nova', ownerName: 'bob', memoryMb: 1024, hostname: 'h2', status: 'completed' }),
  vmSegment({ vmId: 12, start: D2, end: D2 + DAY, runEnd: D2 + DAY, vcpu: 4, memoryMb: 2048, hostname: 'h1', ownerName: 'carol', userDn: '/DC=org/CN=Carol X', status: 'completed' }),
];
const RANGE = { starttime: '2026-10-01 00:00:00', endtime: '2026-10-03 00:00:00' };

// By hand, per day: fermilab 24 h (VM 10), then 12 h (VM 10) + 24 h (VM 12); nova 6 h.
const EXPECTED = {
  group: { Fermilab: { [OCT1]: 24, [D2]: 36 }, nova: { [OCT1]: 6 } },
  user: { alice: { [OCT1]: 24, [D2]: 12 }, bob: { [OCT1]: 6 }, '/CN=Carol X': { [D2]: 24 } },
  host: { h1: { [OCT1]: 24, [D2]: 36 }, h2: { [OCT1]: 6 } },
  // Running hours / 24: fermilab 18 h, then 12 + 24 h; nova 3 h.
  running: { Fermilab: { [OCT1]: 0.75, [D2]: 1.5 }, nova: { [OCT1]: 0.125 } },
  // GB x allocated hours: 4 x 24; 4 x 12 + 2 x 24; 1 x 6.
  memory: { Fermilab: { [OCT1]: 96, [D2]: 96 }, nova: { [OCT1]: 6 } },
};

function grid(r: QueryResult): Record<string, Record<number, number>> {
  expect(r.error).toBeUndefined();
  if (r.data.kind !== 'pivot-group') throw new Error(`expected pivot-group data, got ${r.data.kind}`);
  return Object.fromEntries(r.data.pivots.map((p) => [String(p.pivot), Object.fromEntries(p.groups.map((g) => [Number(g.group), Number(g.value)]))]));
}

for (const backend of testBackends()) {
  describe(`VM queries on ${backend.name}`, () => {
    let engine: QueryEngine;
    let store: Store;
    let dispose: () => Promise<void> = async () => {};

    beforeAll(async () => {
      const db = await backend.create();
      dispose = db.dispose;
      store = db.open();
      await store.migrate([...gratiaMigrations, ...accountingMigrations]);
      const now = OCT1 + 5 * DAY;
      await store.transaction(async (tx) => {
        const change = await writeSegments(tx, SEGMENTS, SEGMENTS.flatMap((s) => utcSlices(s, now)), now);
        await applySliceChange(tx, change, { settings: defaultVmGratiaSettings({ voByGroup: { fermilab: 'Fermilab' } }), now });
      });
      const dir = tempDir({
        'DBParam.xml': `<graphtool-config><class name="GratiaConnMan" type="ConnectionManager"><attribute name="default">gratia</attribute>
          <attribute name="appliance_store">gratia</attribute><connection name="gratia"><attribute name="Interface">sqlite</attribute>
          <attribute name="DatabaseFile">unused.db</attribute></connection></class></graphtool-config>`,
      });
      const config = loadConfig([join(import.meta.dirname, '../../config/vm_queries.xml')], {
        classTypes: queryEngineClassTypes,
        env: { DBPARAM_LOCATION: join(dir, 'DBParam.xml') },
      });
      linkQueries(config);
      expect(config.issues).toEqual([]);
      engine = createQueryEngine({ config, applianceStore: store });
    });

    afterAll(async () => {
      await engine?.close();
      await store?.close();
      await dispose();
      removeTempDirs();
    });

    it('wall hours by group and by user, from the daily summary', async () => {
      expect(grid(await engine.runQuery('vm_wall_hours_by_group', RANGE))).toEqual(EXPECTED.group);
      expect(grid(await engine.runQuery('vm_wall_hours_by_user', RANGE))).toEqual(EXPECTED.user);
      expect(grid(await engine.runQuery('vm_wall_hours_by_group', { ...RANGE, vo: '^nova$' }))).toEqual({ nova: EXPECTED.group.nova });
    });

    it('wall hours by host, from the job records', async () => {
      expect(grid(await engine.runQuery('vm_wall_hours_by_host', RANGE))).toEqual(EXPECTED.host);
      expect(grid(await engine.runQuery('vm_wall_hours_by_host', { ...RANGE, host: '^h2$' }))).toEqual({ h2: EXPECTED.host.h2 });
    });

    it('running VMs on average per day, and memory GB-hours by group', async () => {
      expect(grid(await engine.runQuery('vm_running_by_group', RANGE))).toEqual(EXPECTED.running);
      expect(grid(await engine.runQuery('vm_memory_gb_hours_by_group', RANGE))).toEqual(EXPECTED.memory);
    });

    it('a range of one day keeps only that day', async () => {
      const day2 = { starttime: '2026-10-02 00:00:00', endtime: '2026-10-03 00:00:00' };
      expect(grid(await engine.runQuery('vm_wall_hours_by_group', day2))).toEqual({ Fermilab: { [D2]: 36 } });
      expect(grid(await engine.runQuery('vm_memory_gb_hours_by_group', day2))).toEqual({ Fermilab: { [D2]: 96 } });
    });
  });
}
