/** The outbox on the work queue (SQLite, and MariaDB when configured): one commit for every target, order per service, dedup, stale results, failures. */
import { Registry } from 'prom-client';
import { describe, expect, it, vi } from 'vitest';
import { QueueFullError } from '../../queue/index.js';
import { compilePattern } from '../../common/index.js';
import { defaultBridgeSettings, UnroutedResultError, type DeliveryOutcome, type NagiosBridgeSettings, type PassiveResult, type Transport } from '../../nagios-bridge/index.js';
import { testBackends } from '../support/stores.js';
import { useBridgeStore } from './support/bridge-store.js';

const result = (service: string, checkTime: number, over: Partial<PassiveResult> = {}): PassiveResult => ({
  kind: 'service', host: 'ce1.example.org', service, state: 0, output: `OK at ${checkTime}`, checkTime, source: 'nrdp', ...over,
});

/** A transport that records each batch and answers with `decide` (default: delivered). */
function recorder(decide: (r: PassiveResult) => DeliveryOutcome = () => ({ status: 'ok' })) {
  const batches: PassiveResult[][] = [];
  const ok: PassiveResult[] = [];
  const transport: Transport = {
    type: 'test',
    deliver(results) {
      batches.push([...results]);
      const outcomes = results.map(decide);
      ok.push(...results.filter((_, i) => outcomes[i]!.status === 'ok'));
      return Promise.resolve(outcomes);
    },
  };
  return { transport, batches, delivered: () => ok };
}

const settings = (over: Partial<NagiosBridgeSettings> = {}): NagiosBridgeSettings => ({
  ...defaultBridgeSettings(),
  targets: [{ name: 'a', type: 'command_file', path: '/unused-a' }],
  retryMinMs: 1,
  retryMaxMs: 5,
  ...over,
});

for (const backend of testBackends()) {
  describe(`outbox on ${backend.name}`, () => {
    const { bridge: onStore } = useBridgeStore(backend);
    const bridge = (s: NagiosBridgeSettings, transports: Record<string, Transport>, clock?: () => Date, registry?: Registry) =>
      onStore({ settings: s, pollMs: 10, clock, registry, transportFor: (t) => transports[t.name]! });

    it('delivers one service in check-time order, a re-sent result once, and many services in one batch', async () => {
      const rec = recorder();
      const registry = new Registry();
      const b = bridge(settings({ targets: [{ name: 'order', type: 'command_file', path: '/x' }] }), { order: rec.transport }, undefined, registry);
      await b.submit([result('s1', 100), result('s2', 100), result('s3', 100)]);
      await b.submit([result('s1', 200), result('s1', 100)]);
      expect(await registry.metrics()).toContain('appliance_nagios_outbox_depth{target="order"} 4');
      b.start();
      await vi.waitFor(() => expect(rec.delivered()).toHaveLength(4), { timeout: 5000 });
      expect(rec.batches[0]!.map((r) => r.service)).toEqual(['s1', 's2', 's3']);
      expect(rec.delivered().filter((r) => r.service === 's1').map((r) => r.checkTime)).toEqual([100, 200]);
      // The last item completes just after the transport saw it.
      await vi.waitFor(async () => expect((await b.stats())[0]).toMatchObject({ name: 'order', queued: 0, delivering: 0, dead: 0 }), { timeout: 5000 });
      const text = await registry.metrics();
      expect(text).toContain('appliance_nagios_delivered_total{target="order"} 4');
      expect(text).toContain('appliance_nagios_delivery_latency_seconds_count{target="order"} 4');
      expect(text).toContain('appliance_nagios_outbox_depth{target="order"} 0');
    });

    it('takes a run of each service in one claim, delivers it in waves in order, and holds the rest of a run behind a failed result', async () => {
      let failedOnce = false;
      const rec = recorder((r) => {
        if (r.service === 's1' && r.checkTime === 2 && !failedOnce) {
          failedOnce = true;
          return { status: 'retryable', reason: 'the pipe was full' };
        }
        return { status: 'ok' };
      });
      const b = bridge(settings({ targets: [{ name: 'runs', type: 'command_file', path: '/x' }] }), { runs: rec.transport });
      await b.submit([1, 2, 3, 4].flatMap((t) => [result('s1', t), result('s2', t)]));
      b.start();
      await vi.waitFor(() => expect(rec.delivered()).toHaveLength(8), { timeout: 5000 });
      // One claim: wave k carries the k-th result of each service; s1's 3 and 4 waited for its 2 instead of going ahead.
      expect(rec.batches.slice(0, 4).map((x) => x.map((r) => `${r.service}@${r.checkTime}`))).toEqual([
        ['s1@1', 's2@1'], ['s1@2', 's2@2'], ['s2@3'], ['s2@4'],
      ]);
      for (const s of ['s1', 's2']) expect(rec.delivered().filter((r) => r.service === s).map((r) => r.checkTime)).toEqual([1, 2, 3, 4]);
      await vi.waitFor(async () => expect((await b.stats())[0]).toMatchObject({ queued: 0, delivering: 0, dead: 0 }), { timeout: 5000 });
      // Handed back untried: s1@3 has no failed attempt in its trace, and its one delivery is its first attempt.
      const events = async (t: number) => {
        const r = (await b.trace.search({ host: 'ce1.example.org', service: 's1' })).find((x) => x.checkTime === t)!;
        return (await b.trace.trace(r.id))!.events.map((e) => [e.event, e.attempt]);
      };
      expect(await events(2)).toEqual([['failed', 1], ['delivered', 2]]);
      expect(await events(3)).toEqual([['delivered', 1]]);
    });

    it('never delivers a result older than one already delivered for its service, and says why', async () => {
      const rec = recorder();
      const b = bridge(settings({ targets: [{ name: 'stale', type: 'command_file', path: '/x' }] }), { stale: rec.transport });
      b.start();
      await b.submit([result('s1', 500)]);
      await vi.waitFor(() => expect(rec.delivered()).toHaveLength(1), { timeout: 5000 });
      await b.submit([result('s1', 400), result('s1', 600)]);
      await vi.waitFor(() => expect(rec.delivered()).toHaveLength(2), { timeout: 5000 });
      expect(rec.delivered().map((r) => r.checkTime)).toEqual([500, 600]);
      // Both in one claim (a run of the service): the stale one is dead-lettered when the claim settles, after 600 went out.
      const dead = await vi.waitFor(async () => {
        const d = await b.outbox('stale')!.queue.dead();
        expect(d).toHaveLength(1);
        return d;
      }, { timeout: 5000 });
      expect(dead[0]!.lastError).toMatch(/^stale: check time 400 is older than 500/);
    });

    it('retries a retryable failure, dead-letters a final one at once, and an expired one with its last reason', async () => {
      let nagiosUp = false;
      let offsetMs = 0;
      const rec = recorder((r) =>
        r.service === 'bad' ? { status: 'final', reason: 'host "x;y" would inject a command' } : nagiosUp ? { status: 'ok' } : { status: 'retryable', reason: 'no process reads the command file' },
      );
      const b = bridge(settings({ targets: [{ name: 'fail', type: 'command_file', path: '/x' }], deadLetterAfterMs: 3_600_000 }), { fail: rec.transport }, () => new Date(Date.now() + offsetMs));
      b.start();
      await b.submit([result('bad', 1), result('later', 1)]);
      await vi.waitFor(async () => expect(await b.outbox('fail')!.queue.dead()).toHaveLength(1), { timeout: 5000 });
      await vi.waitFor(() => expect(rec.batches.filter((x) => x.some((r) => r.service === 'later')).length).toBeGreaterThan(2), { timeout: 5000 });
      const [st] = await b.stats();
      expect(st!.lastError?.reason).toBe('no process reads the command file');
      nagiosUp = true;
      await vi.waitFor(() => expect(rec.delivered().map((r) => r.service)).toEqual(['later']), { timeout: 5000 });

      nagiosUp = false;
      await b.submit([result('old', 1)]);
      await vi.waitFor(() => expect(rec.batches.some((x) => x.some((r) => r.service === 'old'))).toBe(true), { timeout: 5000 });
      offsetMs = 2 * 3_600_000;
      await vi.waitFor(async () => expect(await b.outbox('fail')!.queue.dead()).toHaveLength(2), { timeout: 5000 });
      const dead = await b.outbox('fail')!.queue.dead();
      expect(dead.map((d) => d.lastError)).toEqual([
        'host "x;y" would inject a command',
        'undelivered for longer than the dead-letter age; last failure: no process reads the command file',
      ]);
    });

    it('queues for every routed target in one commit: a full outbox refuses the submit for all of them', async () => {
      const [x, y] = [recorder(), recorder()];
      const s = settings({
        targets: [{ name: 'x', type: 'command_file', path: '/x' }, { name: 'y', type: 'command_file', path: '/y' }],
        routes: [{ target: 'y', host: compilePattern('^ce1\\.example\\.org$', { input: 'host' }) }],
        maxQueued: 2,
      });
      const b = bridge(s, { x: x.transport, y: y.transport });
      await b.submit([result('s1', 1), result('s2', 1, { host: 'other.example.org' })]);
      let stats = await b.stats();
      expect(stats.map((t) => [t.name, t.queued])).toEqual([['x', 2], ['y', 1]]);
      await expect(b.submit([result('s3', 1)])).rejects.toBeInstanceOf(QueueFullError);
      stats = await b.stats();
      expect(stats.map((t) => [t.name, t.queued])).toEqual([['x', 2], ['y', 1]]);
      b.start();
      await vi.waitFor(() => expect(x.delivered()).toHaveLength(2), { timeout: 5000 });
      await vi.waitFor(() => expect(y.delivered().map((r) => r.host)).toEqual(['ce1.example.org']), { timeout: 5000 });
    });

    it('refuses a batch holding a result no route takes, queueing none of it, instead of acknowledging and dropping it', async () => {
      const only = recorder();
      const registry = new Registry();
      const s = settings({
        targets: [{ name: 'routed', type: 'command_file', path: '/r' }],
        routes: [{ target: 'routed', host: compilePattern('^ce1\\.example\\.org$', { input: 'host' }) }],
      });
      const b = bridge(s, { routed: only.transport }, undefined, registry);
      const refused = b.submit([result('s1', 1), result('s2', 1, { host: 'elsewhere.example.org' })]);
      await expect(refused).rejects.toBeInstanceOf(UnroutedResultError);
      await expect(refused).rejects.toThrow('no Nagios target\'s routes take results for service "s2" on host "elsewhere.example.org"; nothing was queued');
      expect((await b.stats()).map((t) => [t.name, t.queued])).toEqual([['routed', 0]]);
      expect(await registry.metrics()).toContain('appliance_nagios_unrouted_total 1');
    });
  });
}
