/** The dispatcher on SQLite and MariaDB: per-node FIFO one at a time, urgent first, locks, TIMEOUT before start, bad requests, retention. */
import { afterEach, describe, expect, it } from 'vitest';
import { actuatorMigrations, createActuatorDispatcher, type ActuatorDispatcher, type ActuatorSettings } from '../../actuators/index.js';
import { useFreshStore } from '../store/support/fresh-store.js';
import { testBackends } from '../support/stores.js';
import { gateKind, gateSettings, type GateKind } from './gate-kind.js';

describe.each(testBackends())('actuator dispatcher on $name', (backend) => {
  const fresh = useFreshStore(backend, { per: 'test', migrations: actuatorMigrations });
  let dispatchers: ActuatorDispatcher[] = [];
  afterEach(async () => {
    await Promise.all(dispatchers.map((d) => d.stop()));
    dispatchers = [];
  });
  const start = (gate: GateKind, settings: ActuatorSettings, clock?: () => Date) => {
    const d = createActuatorDispatcher({ store: fresh().store, settings, kinds: [gate.kind], pollMs: 20, ...(clock ? { clock } : {}) });
    dispatchers.push(d);
    d.start();
    return d;
  };
  const waitStatus = async (d: ActuatorDispatcher, handle: string, status: string) => {
    for (let i = 0; i < 500; i++) {
      if ((await d.getStatus(handle))?.status === status) return;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`${handle} never reached ${status}: ${JSON.stringify(await d.getStatus(handle))}`);
  };

  it('stores the handle before dispatch returns and runs one node strictly in order, one at a time, urgent first', async () => {
    const gate = gateKind();
    const d = start(gate, gateSettings(['n1', 'n2'], [{ name: 'fix' }]));
    const h1 = await d.dispatch('fix', 'n1', 60_000, { params: { tag: 'a' } });
    expect((await d.getStatus(h1))?.status).toMatch(/QUEUED|RUNNING/);
    await gate.started('a');
    const h2 = await d.dispatch('fix', 'n1', 60_000, { params: { tag: 'b' } });
    const h3 = await d.dispatch('fix', 'n1', 60_000, { params: { tag: 'c' } });
    const hu = await d.dispatch('fix', 'n1', 60_000, { params: { tag: 'u' }, urgent: true });
    const other = await d.dispatch('fix', 'n2', 60_000, { params: { tag: 'x' } });
    // Another node runs beside n1's run; n1's queue waits behind its running one, urgent at its head.
    await gate.started('x');
    expect((await d.getStatus(hu))?.status).toBe('QUEUED');
    expect((await d.nodeStatus('n1')).queued.map((s) => s.handle)).toEqual([hu, h2, h3]);
    gate.release('a', 7);
    for (const t of ['u', 'b', 'c', 'x']) gate.release(t);
    for (const h of [h1, h2, h3, hu, other]) expect((await d.waitForCompletion(h, { timeoutMs: 10_000 })).status).toBe('FINISHED');
    expect(gate.events.filter((e) => !e.endsWith('x'))).toEqual(['start a', 'end a', 'start u', 'end u', 'start b', 'end b', 'start c', 'end c']);
    const s1 = (await d.getStatus(h1))!;
    // The exit code is passed on as the actuator gave it, with times and output.
    expect(s1.exitCode).toBe(7);
    expect(s1.output).toBe('ran a\n');
    expect(s1.startedAt! >= s1.queuedAt && s1.endedAt! >= s1.startedAt!).toBe(true);
    expect(s1.attempts).toMatchObject([{ attempt: 1, outcome: 'FINISHED', exitCode: 7 }]);
  });

  it('a request whose timeout passes before it starts ends TIMEOUT without running', async () => {
    const gate = gateKind();
    const d = start(gate, gateSettings(['n1'], [{ name: 'fix' }]));
    const h1 = await d.dispatch('fix', 'n1', 60_000, { params: { tag: 'long' } });
    await gate.started('long');
    const late = await d.dispatch('fix', 'n1', 30, { params: { tag: 'late' } });
    await waitStatus(d, late, 'TIMEOUT');
    gate.release('long');
    await d.waitForCompletion(h1, { timeoutMs: 10_000 });
    const s = (await d.getStatus(late))!;
    expect(s.status).toBe('TIMEOUT');
    expect(s.startedAt).toBeUndefined();
    expect(gate.events).toEqual(['start long', 'end long']);
  });

  it('a concurrency key locks every node it names together, and later requests do not overtake a waiting one', async () => {
    const gate = gateKind();
    const d = start(gate, gateSettings(['n1', 'n2', 'n3'], [{ name: 'fix' }]));
    const a = await d.dispatch('fix', 'n2', 60_000, { params: { tag: 'n2-first' } });
    await gate.started('n2-first');
    const cluster = await d.dispatch('fix', 'n1', 60_000, { params: { tag: 'cluster' }, concurrencyKey: ['n1', 'n2', 'n3'] });
    const n3 = await d.dispatch('fix', 'n3', 60_000, { params: { tag: 'n3-later' } });
    // The cluster-wide request waits for n2; n3's later request waits behind it on the shared lock.
    await new Promise((r) => setTimeout(r, 150));
    expect((await d.getStatus(cluster))?.status).toBe('QUEUED');
    expect((await d.getStatus(n3))?.status).toBe('QUEUED');
    gate.release('n2-first');
    await gate.started('cluster');
    expect((await d.getStatus(n3))?.status).toBe('QUEUED');
    gate.release('cluster');
    gate.release('n3-later');
    for (const h of [a, cluster, n3]) expect((await d.waitForCompletion(h, { timeoutMs: 10_000 })).status).toBe('FINISHED');
    expect(gate.events).toEqual(['start n2-first', 'end n2-first', 'start cluster', 'end cluster', 'start n3-later', 'end n3-later']);
    expect((await d.getStatus(cluster))?.concurrencyKey).toEqual(['n2', 'n3']);
  });

  it('refuses an unknown actuator, an unknown node and bad options, naming the field, and stores nothing', async () => {
    const gate = gateKind();
    const d = start(gate, gateSettings(['n1'], [{ name: 'fix' }]));
    await expect(d.dispatch('nope', 'n1', 1000)).rejects.toMatchObject({ code: 'bad_request', context: { field: 'actuator' } });
    await expect(d.dispatch('fix', 'n9', 1000)).rejects.toMatchObject({ code: 'bad_request', context: { field: 'node' } });
    await expect(d.dispatch('fix', 'n1', -5)).rejects.toMatchObject({ code: 'bad_request', context: { field: 'timeout' } });
    await expect(d.dispatch('fix', 'n1', 1000, { concurrencyKey: ['ok', ''] })).rejects.toMatchObject({ context: { field: 'concurrencyKey[1]' } });
    await expect(d.dispatch('fix', 'n1', 1000, { params: { 'a-b': 'x' } })).rejects.toMatchObject({ context: { field: 'params.a-b' } });
    expect(await d.recent(10)).toEqual([]);
  });

  it('keeps a final status for its retention, then purges it', async () => {
    const gate = gateKind();
    let offset = 0;
    const clock = () => new Date(Date.now() + offset);
    const d = start(gate, gateSettings(['n1'], [{ name: 'quick', settings: { hold: false } }], { retentionMs: 3_600_000 }), clock);
    const h = await d.dispatch('quick', 'n1', 60_000);
    expect((await d.waitForCompletion(h, { timeoutMs: 10_000 })).status).toBe('FINISHED');
    await d.stop();
    // A fresh dispatcher purges at its first claim; an hour and a bit later the status is gone.
    const later = start(gate, gateSettings(['n1'], [{ name: 'quick', settings: { hold: false } }], { retentionMs: 3_600_000 }), clock);
    await new Promise((r) => setTimeout(r, 100));
    expect(await later.getStatus(h)).toBeDefined();
    await later.stop();
    offset = 3_700_000;
    const purger = start(gate, gateSettings(['n1'], [{ name: 'quick', settings: { hold: false } }], { retentionMs: 3_600_000 }), clock);
    for (let i = 0; i < 200 && (await purger.getStatus(h)); i++) await new Promise((r) => setTimeout(r, 10));
    expect(await purger.getStatus(h)).toBeUndefined();
  });
});
