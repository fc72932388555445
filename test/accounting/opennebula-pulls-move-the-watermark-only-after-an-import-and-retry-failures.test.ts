/**
 * Scheduled OpenNebula pulls against the XML-RPC stand-in, on SQLite and MariaDB: each pull asks for the window from
 * the last watermark (less the overlap) to now, open records come back and are updated, the watermark moves only
 * after the import, a failure is logged with its reason and retried after its backoff, a lease held elsewhere is
 * left alone, and two endpoints pull side by side.
 */
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountingMigrations, SEGMENTS_TABLE } from '../../accounting/index.js';
import { pullCursorName, pullEndpoint, type PullDeps } from '../../accounting/opennebula-pull.js';
import { createPullScheduler } from '../../accounting/opennebula-pull-schedule.js';
import { openNebulaPullMigrations, recentPulls } from '../../accounting/opennebula-pull-store.js';
import type { OpenNebulaSourceSettings } from '../../accounting/opennebula-source.js';
import { createCursors, cursorMigrations } from '../../queue/index.js';
import type { Store } from '../../store/index.js';
import { generateHistory, generatedRecords, startOpenNebulaStandin, type OpenNebulaStandin } from '../support/opennebula-standin.js';
import { testBackends } from '../support/stores.js';
import { segmentsOnlyImporter } from './support/segments-only-importer.js';

const T0 = 1_790_000_000;

function source(name: string, one: OpenNebulaStandin, over: Partial<OpenNebulaSourceSettings> = {}): OpenNebulaSourceSettings {
  return {
    name, url: one.url, session: one.session, schedule: '*/5 * * * *', filter: -2, firstStart: T0 - 86400, overlapSeconds: 600,
    timeoutMs: 2_000, maxResponseBytes: 64 * 1024 * 1024, leaseMs: 10_000, retryBaseMs: 60_000, retryCapMs: 600_000, insecure: false,
    pos: { file: 'test.xml', line: 1, column: 1 }, ...over,
  };
}

describe.each(testBackends())('OpenNebula pulls on $name', (backend) => {
  let store: Store;
  let dispose: () => Promise<void>;
  let one: OpenNebulaStandin;
  let now = new Date(T0 * 1000);
  const clock = () => now;
  let deps: PullDeps;

  beforeAll(async () => {
    const db = await backend.create();
    dispose = db.dispose;
    store = db.open();
    await store.migrate([...cursorMigrations, ...accountingMigrations, ...openNebulaPullMigrations]);
    one = await startOpenNebulaStandin();
    deps = { store, importer: segmentsOnlyImporter(store), owner: 'test-owner', clock };
  });
  afterAll(async () => {
    await one?.close();
    await store?.close();
    await dispose?.();
  });

  const segments = async (endpoint: string) =>
    store.query<{ vm_id: number; seq: number; end_time: number | null }>(`SELECT vm_id, seq, end_time FROM ${SEGMENTS_TABLE} WHERE endpoint = ? ORDER BY vm_id, seq`, [endpoint]);
  const watermark = async (endpoint: string) => (await createCursors(store).read(pullCursorName(endpoint)))?.position ?? 0;

  it('pulls from first_start to now, then from the watermark less the overlap; open records come back and are updated', async () => {
    one.records = generateHistory({ vms: 50, start: T0 - 3 * 3600, segmentsPerVm: 2, segmentSeconds: 3600, open: true });
    const site = source('site-a', one);
    const first = await pullEndpoint(deps, site);
    expect(first).toMatchObject({ status: 'ok', from: T0 - 86400, to: T0, records: 100, watermarkMoved: true });
    expect(one.calls.at(-1)).toMatchObject({ method: 'one.vmpool.accounting', params: [-2, T0 - 86400, T0] });
    expect(await watermark('site-a')).toBe(T0);
    const stored = await segments('site-a');
    expect(stored).toHaveLength(100);
    expect(stored.filter((s) => s.end_time === null)).toHaveLength(50);

    // An hour later: every open record closes at T0 + 1800; each is asked for again and updated, not duplicated.
    for (const r of one.records) {
      if (r.etime === 0) {
        r.etime = T0 + 1800;
        r.xml = r.xml.replace('<ETIME>0</ETIME>', `<ETIME>${T0 + 1800}</ETIME>`).replace('<RETIME>0</RETIME>', `<RETIME>${T0 + 1800}</RETIME>`);
      }
    }
    now = new Date((T0 + 3600) * 1000);
    const second = await pullEndpoint(deps, site);
    expect(second).toMatchObject({ status: 'ok', from: T0 - 600, to: T0 + 3600, records: 50 });
    expect(one.calls.at(-1)?.params).toEqual([-2, T0 - 600, T0 + 3600]);
    const after = await segments('site-a');
    expect(after).toHaveLength(100);
    expect(after.filter((s) => s.end_time === null)).toHaveLength(0);
    expect(await watermark('site-a')).toBe(T0 + 3600);

    // The same window again (a crash before the watermark moved) rewrites the same keys.
    await pullEndpoint(deps, site, { from: T0 - 600, to: T0 + 3600 });
    expect(await segments('site-a')).toEqual(after);
    expect(await watermark('site-a')).toBe(T0 + 3600);
    const log = await recentPulls(store, { endpoint: 'site-a' });
    expect(log.map((p) => [p.status, p.windowFrom, p.windowTo, p.records])).toEqual([
      ['ok', T0 - 600, T0 + 3600, 50], ['ok', T0 - 600, T0 + 3600, 50], ['ok', T0 - 86400, T0, 100],
    ]);
  });

  it('logs a failure with its reason, keeps the watermark, and retries on a tick after the backoff', async () => {
    const registry = new Registry();
    const site = source('site-b', one, { session: 'oneadmin:wrong', retryBaseMs: 60_000 });
    one.records = generateHistory({ vms: 5, start: T0, segmentsPerVm: 1, firstId: 900 });
    now = new Date((T0 + 7200) * 1000);
    const scheduler = createPullScheduler({ ...deps, sources: [site], registry });
    const failed = await scheduler.tick('site-b');
    expect(failed).toMatchObject({ status: 'failed', kind: 'authentication' });
    const [row] = await recentPulls(store, { endpoint: 'site-b' });
    expect(row).toMatchObject({ status: 'failed', failureKind: 'authentication' });
    expect(row?.reason).toBe("one.vmpool.accounting failed (authentication, code 0x100): [one.vmpool.accounting] User couldn't be authenticated, aborting call.");
    expect(await watermark('site-b')).toBe(0);
    expect(await segments('site-b')).toHaveLength(0);

    // Within the backoff a tick does not call OpenNebula at all.
    const calls = one.calls.length;
    now = new Date(now.getTime() + 30_000);
    expect(await scheduler.tick('site-b')).toBeUndefined();
    expect(one.calls.length).toBe(calls);
    // The password is fixed; past the backoff (at most 60 s the first time) the next tick pulls.
    scheduler.apply([{ ...site, session: one.session }]);
    now = new Date(now.getTime() + 31_000);
    expect(await scheduler.tick('site-b')).toMatchObject({ status: 'ok', records: 5 });
    expect(await segments('site-b')).toHaveLength(5);
    const text = await registry.metrics();
    expect(text).toContain('appliance_opennebula_pulls_total{endpoint="site-b",outcome="failed"} 1');
    expect(text).toContain('appliance_opennebula_pulls_total{endpoint="site-b",outcome="backoff"} 1');
    expect(text).toContain('appliance_opennebula_pulls_total{endpoint="site-b",outcome="ok"} 1');
    expect(text).toContain('appliance_opennebula_pull_failures_total{endpoint="site-b",kind="authentication"} 1');
    expect(text).toContain('appliance_opennebula_pull_consecutive_failures{endpoint="site-b"} 0');
    await scheduler.stop();
  });

  it('records a timeout and an XML-RPC fault, each with its kind', async () => {
    const site = source('site-c', one, { timeoutMs: 300 });
    one.behave('one.vmpool.accounting', { kind: 'hang' }, 1);
    const t = await pullEndpoint(deps, site);
    expect(t).toMatchObject({ status: 'failed', kind: 'timeout', transient: true });
    one.behave('one.vmpool.accounting', { kind: 'fault', code: -501, message: 'Parameter that is supposed to be integer is not' }, 1);
    expect(await pullEndpoint(deps, site)).toMatchObject({ status: 'failed', kind: 'fault' });
    const log = await recentPulls(store, { endpoint: 'site-c' });
    expect(log.map((p) => p.failureKind)).toEqual(['fault', 'timeout']);
    expect(log[0]?.reason).toMatch(/XML-RPC fault -501: Parameter that is supposed to be integer is not/);
    expect(await watermark('site-c')).toBe(0);
  });

  it('leaves an endpoint alone while another appliance holds its lease, and marks a dead pull interrupted', async () => {
    const site = source('site-d', one);
    const other = await createCursors(store).acquire(pullCursorName('site-d'), 'other-appliance', 60_000, now);
    expect(other).toBeDefined();
    const calls = one.calls.length;
    expect(await pullEndpoint(deps, site)).toEqual({ status: 'held', endpoint: 'site-d' });
    expect(one.calls.length).toBe(calls);
    // The other appliance dies mid-pull (its log row stays "running"); once its lease lapses, this one pulls.
    await store.execute(`INSERT INTO opennebula_pulls (endpoint, owner, window_from, window_to, started_at, status) VALUES ('site-d', 'other-appliance', 1, 2, 3, 'running')`);
    now = new Date(now.getTime() + 61_000);
    expect(await pullEndpoint(deps, site)).toMatchObject({ status: 'ok' });
    const log = await recentPulls(store, { endpoint: 'site-d' });
    expect(log.map((p) => p.status)).toEqual(['ok', 'interrupted']);
    expect(log[1]?.reason).toMatch(/stopped before the pull ended/);
  });

  it('pulls several endpoints side by side, each under its own key and watermark', async () => {
    const two = await startOpenNebulaStandin({ session: 'serveradmin:zone2' });
    try {
      two.records = generatedRecords({ id: 100 }, [{ seq: 0, stime: T0, etime: T0 + 60 }]);
      one.records = generatedRecords({ id: 100 }, [{ seq: 0, stime: T0, etime: 0 }, { seq: 1, stime: T0 - 10, etime: T0 }]);
      now = new Date((T0 + 9000) * 1000);
      const scheduler = createPullScheduler({ ...deps, sources: [source('zone-1', one), source('zone-2', two, { session: two.session, firstStart: T0 })] });
      const [a, b] = await Promise.all([scheduler.tick('zone-1'), scheduler.tick('zone-2')]);
      expect([a?.status, b?.status]).toEqual(['ok', 'ok']);
      expect((await segments('zone-1')).map((s) => [s.vm_id, s.seq, s.end_time])).toEqual([[100, 0, null], [100, 1, T0]]);
      expect((await segments('zone-2')).map((s) => [s.vm_id, s.seq, s.end_time])).toEqual([[100, 0, T0 + 60]]);
      expect([await watermark('zone-1'), await watermark('zone-2')]).toEqual([T0 + 9000, T0 + 9000]);
      expect(two.calls.at(-1)?.params).toEqual([-2, T0, T0 + 9000]);
      await scheduler.stop();
    } finally {
      await two.close();
    }
  });
});
