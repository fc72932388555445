/**
 * The per-result trace and the per-minute counts (SQLite, and MariaDB when configured): written in the enqueue's and
 * the delivery's transactions, searched by host and service, bounded by age and rows; dead letters retried and
 * discarded by an operator, each action traced. A stand-in transport here; the real Nagios 4 is in the Chromium test.
 */
import { describe, expect, it, vi } from 'vitest';
import { queueMigrations } from '../../queue/index.js';
import {
  createNagiosBridge, defaultBridgeSettings, nagiosBridgeMigrations, resultDedupKey, type DeliveryOutcome, type NagiosBridge, type NagiosBridgeSettings, type PassiveResult, type Transport,
} from '../../nagios-bridge/index.js';
import { testBackends } from '../support/stores.js';
import { useBridgeStore } from './support/bridge-store.js';

const result = (host: string, service: string, checkTime: number, over: Partial<PassiveResult> = {}): PassiveResult => ({
  kind: 'service', host, service, state: 0, output: `OK at ${checkTime}`, checkTime, source: 'nrdp', submittedBy: 'agent-1', ...over,
});

/** Answers each result with `decide` (a stand-in for Nagios: the trace is what is under test). */
const transport = (decide: (r: PassiveResult) => DeliveryOutcome): Transport => ({ type: 'test', deliver: (rs) => Promise.resolve(rs.map(decide)) });

/** The trace of `r`, found as the pages find it: by host, service and key. */
async function traceOf(b: NagiosBridge, r: PassiveResult) {
  const id = await b.trace.findKey(r.host, r.service ?? '', resultDedupKey(r));
  return id === undefined ? undefined : b.trace.trace(id);
}

const settings = (targets: string[]): NagiosBridgeSettings => ({
  ...defaultBridgeSettings(),
  targets: targets.map((name) => ({ name, type: 'command_file', path: `/srv/${name}/nagios.cmd` })),
  retryMinMs: 1,
  retryMaxMs: 5,
});

for (const backend of testBackends()) {
  describe(`trace on ${backend.name}`, () => {
    const { bridge: onStore } = useBridgeStore(backend);
    const bridge = (s: NagiosBridgeSettings, transports: Record<string, Transport>, extra: Partial<Parameters<typeof createNagiosBridge>[0]> = {}) =>
      onStore({ settings: s, pollMs: 10, transportFor: (t) => transports[t.name]!, ...extra });

    it('received (when, by whom, which entry), queued for which targets, delivered at one and failing then dead at the other', async () => {
      let attempts = 0;
      const b = bridge(settings(['good', 'bad']), {
        good: transport(() => ({ status: 'ok' })),
        bad: transport(() => (++attempts < 3 ? { status: 'retryable', reason: `FIFO missing (try ${attempts})` } : { status: 'final', reason: 'name refused by Nagios' })),
      });
      const r = result('ce1.example.org', 'org.osg.general.ping-host', 1_700_000_000);
      const before = Date.now();
      await b.submit([r]);
      const received = await traceOf(b, r);
      expect(received?.result).toMatchObject({ host: 'ce1.example.org', service: 'org.osg.general.ping-host', checkTime: 1_700_000_000, source: 'nrdp', submittedBy: 'agent-1', targets: ['good', 'bad'] });
      expect(received!.result.receivedAt).toBeGreaterThanOrEqual(before);
      expect(received!.events).toEqual([]);

      b.start();
      await vi.waitFor(async () => expect((await traceOf(b, r))!.events.map((e) => `${e.target} ${e.event}`).sort()).toEqual(['bad dead', 'bad failed', 'bad failed', 'good delivered']), { timeout: 5000 });
      const events = (await traceOf(b, r))!.events;
      expect(events.filter((e) => e.target === 'bad').map((e) => [e.event, e.attempt, e.detail])).toEqual([
        ['failed', 1, 'FIFO missing (try 1)'],
        ['failed', 2, 'FIFO missing (try 2)'],
        ['dead', 3, 'name refused by Nagios'],
      ]);
      expect(events.find((e) => e.target === 'good')).toMatchObject({ event: 'delivered', attempt: 1 });
      expect(await b.minutes.lastFailure('bad')).toMatchObject({ reason: 'name refused by Nagios' });
      expect(await b.minutes.lastFailure('good')).toBeUndefined();

      const now = new Date();
      const good = await b.minutes.range('good', new Date(now.getTime() - 120_000), now);
      const bad = await b.minutes.range('bad', new Date(now.getTime() - 120_000), now);
      expect(good).toHaveLength(3);
      expect(good.reduce((n, m) => n + m.delivered, 0)).toBe(1);
      expect(bad.reduce((n, m) => n + m.failed, 0)).toBe(3);
      // The trace hears of the dead letter just before the queue does: sample once the queue has it.
      await vi.waitFor(async () => expect((await b.stats()).map((s) => s.dead)).toEqual([0, 1]), { timeout: 5000 });
      await b.housekeep();
      // The sample falls in this minute or, when the clock just turned, the next one.
      expect((await b.minutes.range('bad', now, new Date())).map((m) => m.depth)).toContain(0);
      const stats = await b.stats();
      expect(stats.map((s) => [s.name, s.address, s.dead])).toEqual([
        ['good', '/srv/good/nagios.cmd', 0],
        ['bad', '/srv/bad/nagios.cmd', 1],
      ]);
      await b.stop();
    });

    it('a rolled-back enqueue leaves no trace; a re-sent result keeps its first row', async () => {
      const b = bridge({ ...settings(['full']), maxQueued: 2 }, { full: transport(() => ({ status: 'ok' })) });
      const first = result('full.example.org', 'a', 1);
      await b.submit([first]);
      await expect(b.submit([result('full.example.org', 'b', 2), result('full.example.org', 'c', 3)])).rejects.toThrow(/limit of 2/);
      expect((await b.trace.search({ host: 'full.example.org' })).map((t) => t.service)).toEqual(['a']);
      await b.submit([{ ...first, submittedBy: 'someone-else' }]);
      expect((await b.trace.search({ host: 'full.example.org' })).map((t) => t.submittedBy)).toEqual(['agent-1']);
    });

    it('searches exact names and prefixes, newest first, with LIKE wildcards taken literally', async () => {
      const b = bridge(settings(['search']), { search: transport(() => ({ status: 'ok' })) });
      await b.submit([result('wn1.site-a.org', 'disk', 10), result('wn10.site-a.org', 'disk', 11), result('wn%.site-a.org', 'disk', 12), result('WN1.site-a.org', 'disk', 13)]);
      await b.submit([result('wn1.site-a.org', 'load', 14), { kind: 'host', host: 'wn1.site-a.org', state: 1, output: 'DOWN', checkTime: 15, source: 'cmd.cgi', submittedBy: 'rsv' }]);
      const names = (rs: { host: string; service: string }[]) => rs.map((r) => `${r.host}/${r.service}`).sort();
      expect(names(await b.trace.search({ host: 'wn1.site-a.org' }))).toEqual(['wn1.site-a.org/', 'wn1.site-a.org/disk', 'wn1.site-a.org/load']);
      expect(names(await b.trace.search({ host: 'wn1', prefix: true }))).toEqual(['wn1.site-a.org/', 'wn1.site-a.org/disk', 'wn1.site-a.org/load', 'wn10.site-a.org/disk']);
      expect(names(await b.trace.search({ host: 'wn%', prefix: true }))).toEqual(['wn%.site-a.org/disk']);
      expect(names(await b.trace.search({ host: 'wn', service: 'lo', prefix: true }))).toEqual(['wn1.site-a.org/load']);
      expect(names(await b.trace.search({ host: 'wn1.site-a.org', service: 'disk' }))).toEqual(['wn1.site-a.org/disk']);
      const latest = await b.trace.search({ host: 'wn1.site-a.org', limit: 1 });
      expect(latest).toHaveLength(1);
      expect(latest[0]!.service === 'load' || latest[0]!.service === '').toBe(true);
    });

    it('operator retry and discard of dead letters: one or all, each traced with who did it', async () => {
      let deliver = false;
      const b = bridge(settings(['ops']), { ops: transport(() => (deliver ? { status: 'ok' } : { status: 'final', reason: 'refused' })) });
      const rs = ['x', 'y', 'z'].map((s, i) => result('ops.example.org', s, 100 + i));
      await b.submit(rs);
      b.start();
      const dead = b.deadLetters('ops')!;
      await vi.waitFor(async () => expect((await dead.list(10)).total).toBe(3), { timeout: 5000 });
      const { letters } = await dead.list(10);
      expect(letters.map((l) => [l.host, l.service, l.checkTime, l.reason, l.attempts])).toEqual([
        ['ops.example.org', 'x', 100, 'refused', 1],
        ['ops.example.org', 'y', 101, 'refused', 1],
        ['ops.example.org', 'z', 102, 'refused', 1],
      ]);
      expect(await dead.discard([letters.find((l) => l.service === 'y')!.id], 'admin', new Date())).toBe(1);
      deliver = true;
      expect(await dead.retry(undefined, 'admin', new Date())).toBe(2);
      await vi.waitFor(async () => expect((await traceOf(b, rs[2]!))!.events.map((e) => e.event)).toEqual(['dead', 'retried', 'delivered']), { timeout: 5000 });
      expect((await traceOf(b, rs[1]!))!.events.map((e) => [e.event, e.detail])).toEqual([['dead', 'refused'], ['discarded', 'by admin']]);
      expect((await dead.list(10)).total).toBe(0);
      await b.stop();
    });

    it('purges results past the retention and beyond the row limit, with their events', async () => {
      // A database of its own: the row limit counts every result in the table.
      const db = await backend.create();
      const own = db.open();
      await own.migrate([...queueMigrations, ...nagiosBridgeMigrations]);
      let now = new Date(Date.UTC(2026, 0, 1));
      const b = createNagiosBridge({ store: own, settings: settings(['purge']), transportFor: () => transport(() => ({ status: 'ok' })), clock: () => now, traceRetentionMs: 3_600_000, traceMaxResults: 2 });
      for (let i = 0; i < 4; i++) {
        now = new Date(now.getTime() + 60_000);
        await b.submit([result('purge.example.org', `s${i}`, i)]);
      }
      const rs = [0, 1, 2, 3].map((i) => result('purge.example.org', `s${i}`, i));
      await b.trace.record(own, rs.map((r) => ({ key: resultDedupKey(r), target: 'purge', event: 'delivered' as const })), now);
      const events = async () => Number((await own.query<{ n: number }>('SELECT COUNT(*) AS n FROM nagios_trace_events'))[0]!.n);
      expect(await events()).toBe(4);
      await b.housekeep();
      expect((await b.trace.search({ host: 'purge.example.org' })).map((r) => r.service)).toEqual(['s3', 's2']);
      expect(await traceOf(b, rs[0]!)).toBeUndefined();
      expect((await traceOf(b, rs[3]!))!.events.map((e) => e.event)).toEqual(['delivered']);
      now = new Date(now.getTime() + 3_600_001);
      await b.housekeep();
      expect(await b.trace.search({ host: 'purge.example.org' })).toEqual([]);
      expect(await events()).toBe(0);
      await own.close();
      await db.dispose();
    });
  });
}
