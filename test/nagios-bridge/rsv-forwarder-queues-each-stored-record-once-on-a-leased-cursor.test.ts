/**
 * Stored RSV records into the outboxes on every backend: records POSTed to the real collector app are tailed on the
 * leased cursor `nagios:rsv`, queued once each in the commit that moves the cursor, woken by the collector's commit;
 * where the cursor starts; bad names and unrouted records passed over and counted; a full outbox holds the cursor; a
 * holder that lost its lease queues nothing; another bridge takes over.
 */
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { probeRecordFeed } from '../../collector/index.js';
import { compilePattern } from '../../common/index.js';
import {
  createNagiosBridge, defaultBridgeSettings, nagiosBridgeMigrations, RSV_CURSOR, type DeliveryOutcome, type NagiosBridge, type NagiosBridgeSettings, type PassiveResult, type Transport,
} from '../../nagios-bridge/index.js';
import { createCursors, cursorMigrations, queueMigrations } from '../../queue/index.js';
import type { Store } from '../../store/index.js';
import { COLLECTOR_APP_MIGRATIONS, post, startCollectorApp, wlcgRecord, type CollectorApp } from '../collector/support/collector-app.js';
import { useFreshStore } from '../store/support/fresh-store.js';
import { testBackends } from '../support/stores.js';

const MIGRATIONS = [...COLLECTOR_APP_MIGRATIONS, ...cursorMigrations, ...queueMigrations, ...nagiosBridgeMigrations];

/** A transport that records what it delivered; while `hold` is set it answers retryable. */
function recorder() {
  const delivered: PassiveResult[] = [];
  const state = { hold: false };
  const transport: Transport = {
    type: 'test',
    deliver(results) {
      if (state.hold) return Promise.resolve(results.map((): DeliveryOutcome => ({ status: 'retryable', reason: 'held by the test' })));
      delivered.push(...results);
      return Promise.resolve(results.map((): DeliveryOutcome => ({ status: 'ok' })));
    },
  };
  return { transport, delivered, state };
}

const settings = (rsv: Partial<NagiosBridgeSettings['rsv']> = {}, over: Partial<NagiosBridgeSettings> = {}): NagiosBridgeSettings => {
  const d = defaultBridgeSettings();
  return { ...d, targets: [{ name: 'a', type: 'command_file', path: '/unused' }], retryMinMs: 5, retryMaxMs: 20, ...over, rsv: { ...d.rsv, forward: true, ...rsv } };
};
const record = (metric: string, minute: number, over: Record<string, string> = {}) =>
  wlcgRecord({ metricName: metric, timestamp: `2026-11-30T10:${String(minute).padStart(2, '0')}:00Z`, ...over }, `${metric} at ${minute}\nsecond line`);

describe.each(testBackends())('RSV forwarder on $name', (backend) => {
  const fresh = useFreshStore(backend, { per: 'test', migrations: MIGRATIONS });
  const open: { bridges: NagiosBridge[]; apps: CollectorApp[] } = { bridges: [], apps: [] };
  afterEach(async () => {
    for (const b of open.bridges.splice(0)) await b.stop();
    for (const a of open.apps.splice(0)) await a.close();
  });

  const bridgeOn = (store: Store, s: NagiosBridgeSettings, transport: Transport, extra: { owner?: string; pollMs?: number; registry?: Registry } = {}) => {
    const b = createNagiosBridge({ store, settings: s, records: probeRecordFeed(store), transportFor: () => transport, pollMs: extra.pollMs ?? 20, owner: extra.owner, registry: extra.registry });
    open.bridges.push(b);
    return b;
  };
  const appFor = async (store: Store, wake?: () => void) => {
    const app = await startCollectorApp(store, { onRecordsCommitted: wake });
    open.apps.push(app);
    return app;
  };
  const stored = async (store: Store) => (await store.query<{ n: number | string }>("SELECT count(*) AS n FROM queue_items WHERE queue = 'nagios:a'"))[0]!.n;
  const lastId = async (store: Store) => Number((await store.query<{ m: number | string }>('SELECT MAX(sample_id) AS m FROM probe_records'))[0]!.m);

  it('queues each record once, as the service result Nagios should show, and moves the cursor past it; a commit wakes it', async () => {
    const { store } = fresh();
    const rec = recorder();
    // A minute-long poll: only the collector's commit can make it look within the test's few seconds.
    const bridge = bridgeOn(store, settings({ start: 'beginning' }), rec.transport, { pollMs: 60_000 });
    const app = await appFor(store, () => bridge.recordsCommitted());
    bridge.start();
    await vi.waitFor(async () => expect((await createCursors(store).read(RSV_CURSOR))?.owner).toBeDefined());
    expect((await post(app, '/rsv/records', record('org.osg.a', 1) + record('org.osg.b', 2, { metricStatus: 'CRITICAL', performanceData: 'days=0' }))).status).toBe(200);
    await vi.waitFor(() => expect(rec.delivered).toHaveLength(2), { timeout: 5000 });
    expect(rec.delivered).toEqual([
      { kind: 'service', host: 'osg-edu.cs.wisc.edu', service: 'org.osg.a', state: 0, output: 'org.osg.a at 1', longOutput: 'second line', checkTime: Date.parse('2026-11-30T10:01:00Z') / 1000, source: 'rsv', submittedBy: 'rsv.example.edu' },
      expect.objectContaining({ service: 'org.osg.b', state: 2, perfdata: 'days=0', checkTime: Date.parse('2026-11-30T10:02:00Z') / 1000 }),
    ]);
    expect((await createCursors(store).read(RSV_CURSOR))?.position).toBe(await lastId(store));
    expect(Number(await stored(store))).toBe(2);
  });

  it('starts after the records stored before its first run ("now"), or at the first one ("beginning")', async () => {
    const { store } = fresh();
    const app = await appFor(store);
    await post(app, '/rsv/records', record('org.osg.old', 1));
    const before = await lastId(store);
    const now = recorder();
    const b = bridgeOn(store, settings({ start: 'now' }), now.transport);
    b.start();
    await vi.waitFor(async () => expect((await createCursors(store).read(RSV_CURSOR))?.position).toBe(before));
    await post(app, '/rsv/records', record('org.osg.new', 2));
    await vi.waitFor(() => expect(now.delivered.map((r) => r.service)).toEqual(['org.osg.new']), { timeout: 5000 });
    await b.stop();
    // The cursor exists now: a restart with "beginning" resumes from it instead of starting over.
    const again = recorder();
    const b2 = bridgeOn(store, settings({ start: 'beginning' }), again.transport);
    b2.start();
    await post(app, '/rsv/records', record('org.osg.later', 3));
    await vi.waitFor(() => expect(again.delivered.map((r) => r.service)).toEqual(['org.osg.later']), { timeout: 5000 });
  });

  it('passes over records Nagios cannot take and records no route takes, counting each, without holding the cursor', async () => {
    const { store } = fresh();
    const registry = new Registry();
    const rec = recorder();
    const routed = settings({ start: 'beginning' }, { routes: [{ target: 'a', host: compilePattern('^(?:osg-edu\\.cs\\.wisc\\.edu)$', { input: 'host' }) }] });
    const app = await appFor(store);
    const body = record('org.osg[inject]', 1) + record('org.osg.elsewhere', 2, { serviceURI: 'other.example.org:2119' }) + record('org.osg.good', 3);
    expect((await post(app, '/rsv/records', body)).status).toBe(200);
    bridgeOn(store, routed, rec.transport, { registry }).start();
    await vi.waitFor(() => expect(rec.delivered.map((r) => r.service)).toEqual(['org.osg.good']), { timeout: 5000 });
    const text = await registry.metrics();
    expect(text).toContain('appliance_nagios_rsv_records_total{outcome="queued"} 1');
    expect(text).toContain('appliance_nagios_rsv_records_total{outcome="skipped"} 1');
    expect(text).toContain('appliance_nagios_rsv_records_total{outcome="unrouted"} 1');
    expect(text).toContain('appliance_nagios_rsv_holding 1');
    expect((await createCursors(store).read(RSV_CURSOR))?.position).toBe(await lastId(store));
  });

  it('leaves the records behind the cursor while the outbox is full, and queues every one once it drains', async () => {
    const { store } = fresh();
    const rec = recorder();
    rec.state.hold = true;
    const app = await appFor(store);
    await post(app, '/rsv/records', Array.from({ length: 6 }, (_, i) => record(`org.osg.s${i}`, i)).join(''));
    bridgeOn(store, settings({ start: 'beginning' }, { maxQueued: 3, batchSize: 10 }), rec.transport).start();
    await vi.waitFor(async () => expect(Number(await stored(store))).toBe(3), { timeout: 5000 });
    const ids = (await store.query<{ sample_id: number | string }>('SELECT sample_id FROM probe_records ORDER BY sample_id')).map((r) => Number(r.sample_id));
    // Three queued (the batch halved to fit); the cursor stands after the third, the other three wait in the store.
    expect((await createCursors(store).read(RSV_CURSOR))?.position).toBe(ids[2]);
    rec.state.hold = false;
    await vi.waitFor(() => expect(rec.delivered).toHaveLength(6), { timeout: 10_000 });
    // Each once; six services are six partitions, which the outbox may deliver in any order among themselves.
    expect(rec.delivered.map((r) => r.service).sort()).toEqual(['s0', 's1', 's2', 's3', 's4', 's5'].map((s) => `org.osg.${s}`));
    expect((await createCursors(store).read(RSV_CURSOR))?.position).toBe(ids[5]);
  });

  it('forwards from one holder only; a holder whose lease was taken queues nothing; the other takes over when it is released', async () => {
    const { store } = fresh();
    const [ra, rb] = [recorder(), recorder()];
    const app = await appFor(store);
    const registry = new Registry();
    const a = bridgeOn(store, settings({ start: 'beginning', leaseMs: 60_000 }), ra.transport, { owner: 'a', registry });
    a.start();
    await vi.waitFor(async () => expect((await createCursors(store).read(RSV_CURSOR))?.owner).toBe('a'));
    const b = bridgeOn(store, settings({ start: 'beginning', leaseMs: 60_000 }), rb.transport, { owner: 'b' });
    b.start();
    await post(app, '/rsv/records', record('org.osg.one', 1));
    // Either bridge may deliver it (they share the outbox), but only a, the holder, read and queued it.
    await vi.waitFor(() => expect([...ra.delivered, ...rb.delivered]).toHaveLength(1), { timeout: 5000 });
    expect(Number(await stored(store))).toBe(1);

    // An intruder takes the cursor as if a's lease had expired: a finds it moved under it in its commit and queues nothing.
    const position = (await createCursors(store).read(RSV_CURSOR))!.position;
    const intruder = (await createCursors(store).acquire(RSV_CURSOR, 'intruder', 60_000, new Date(Date.now() + 61_000)))!;
    await post(app, '/rsv/records', record('org.osg.two', 2));
    a.recordsCommitted();
    await vi.waitFor(async () => expect(await registry.metrics()).toContain('appliance_nagios_rsv_holding 0'), { timeout: 5000 });
    expect(Number(await stored(store))).toBe(1);
    expect(await createCursors(store).read(RSV_CURSOR)).toMatchObject({ owner: 'intruder', position });
    await intruder.release(new Date());

    // Released: whichever bridge takes it next queues the waiting record, once.
    await vi.waitFor(async () => expect(Number(await stored(store))).toBe(2), { timeout: 5000 });
    await vi.waitFor(() => expect([...ra.delivered, ...rb.delivered].map((r) => r.service).sort()).toEqual(['org.osg.one', 'org.osg.two']), { timeout: 5000 });
    expect((await createCursors(store).read(RSV_CURSOR))?.position).toBe(await lastId(store));
  });

  it('does nothing while forwarding is off, and starts when a reload turns it on', async () => {
    const { store } = fresh();
    const rec = recorder();
    const app = await appFor(store);
    const b = bridgeOn(store, settings({ forward: false, start: 'beginning' }), rec.transport);
    b.start();
    await post(app, '/rsv/records', record('org.osg.one', 1));
    await new Promise((r) => setTimeout(r, 200));
    expect(await createCursors(store).read(RSV_CURSOR)).toBeUndefined();
    await b.applyConfig(settings({ start: 'beginning' }));
    await vi.waitFor(() => expect(rec.delivered).toHaveLength(1), { timeout: 5000 });
  });
});
