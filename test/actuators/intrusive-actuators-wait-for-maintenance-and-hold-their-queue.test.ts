/** Node states on SQLite and MariaDB: an intrusive actuator waits for maintenance with everything behind it; drain and force. */
import { afterEach, describe, expect, it } from 'vitest';
import { actuatorMigrations, createActuatorDispatcher, type ActuatorDispatcher } from '../../actuators/index.js';
import { useFreshStore } from '../store/support/fresh-store.js';
import { testBackends } from '../support/stores.js';
import { gateKind, gateSettings } from './gate-kind.js';

describe.each(testBackends())('node states on $name', (backend) => {
  const fresh = useFreshStore(backend, { per: 'test', migrations: actuatorMigrations });
  let d: ActuatorDispatcher | undefined;
  afterEach(async () => {
    await d?.stop();
    d = undefined;
  });
  const settings = () => gateSettings(['n1', 'n2'], [{ name: 'check' }, { name: 'reconfigure', intrusive: true }]);

  it('an intrusive request waits while its node is in production, everything behind it waits too, and maintenance runs them in order', async () => {
    const gate = gateKind();
    d = createActuatorDispatcher({ store: fresh().store, settings: settings(), kinds: [gate.kind], pollMs: 20 });
    d.start();
    const before = await d.dispatch('check', 'n1', 60_000, { params: { tag: 'before' } });
    gate.release('before');
    await d.waitForCompletion(before, { timeoutMs: 10_000 });
    const intrusive = await d.dispatch('reconfigure', 'n1', 60_000, { params: { tag: 'reconf' } });
    const behind = await d.dispatch('check', 'n1', 60_000, { params: { tag: 'behind' } });
    const elsewhere = await d.dispatch('check', 'n2', 60_000, { params: { tag: 'n2' } });
    gate.release('n2');
    expect((await d.waitForCompletion(elsewhere, { timeoutMs: 10_000 })).status).toBe('FINISHED');
    expect((await d.getStatus(intrusive))?.status).toBe('QUEUED');
    expect((await d.getStatus(behind))?.status).toBe('QUEUED');
    // A drain is done at once here: nothing runs on n1 and its queue waits at the intrusive head.
    const state = await d.setNodeState('n1', 'maintenance', { mode: 'drain', drainTimeoutMs: 5_000, reason: 'upgrade' });
    expect(state).toMatchObject({ state: 'maintenance', reason: 'upgrade' });
    gate.release('reconf');
    gate.release('behind');
    expect((await d.waitForCompletion(intrusive, { timeoutMs: 10_000 })).status).toBe('FINISHED');
    expect((await d.waitForCompletion(behind, { timeoutMs: 10_000 })).status).toBe('FINISHED');
    expect(gate.events.filter((e) => !e.includes('n2'))).toEqual(['start before', 'end before', 'start reconf', 'end reconf', 'start behind', 'end behind']);
    expect((await d.setNodeState('n1', 'production')).state).toBe('production');
  });

  it('a drain waits for the running non-intrusive work, fails at its deadline leaving production, and force does not wait', async () => {
    const gate = gateKind();
    d = createActuatorDispatcher({ store: fresh().store, settings: settings(), kinds: [gate.kind], pollMs: 20 });
    d.start();
    const busy = await d.dispatch('check', 'n1', 60_000, { params: { tag: 'busy' } });
    await gate.started('busy');
    await expect(d.setNodeState('n1', 'maintenance', { mode: 'drain', drainTimeoutMs: 200 })).rejects.toMatchObject({ code: 'conflict' });
    expect((await d.nodeStatus('n1')).state).toBe('production');
    const draining = d.setNodeState('n1', 'maintenance', { mode: 'drain', drainTimeoutMs: 10_000 });
    setTimeout(() => gate.release('busy'), 100);
    expect((await draining).state).toBe('maintenance');
    expect((await d.getStatus(busy))?.status).toBe('FINISHED');
    await d.setNodeState('n2', 'production');
    const other = await d.dispatch('check', 'n2', 60_000, { params: { tag: 'n2-busy' } });
    await gate.started('n2-busy');
    expect((await d.setNodeState('n2', 'maintenance', { mode: 'force' })).state).toBe('maintenance');
    expect((await d.getStatus(other))?.status).toBe('RUNNING');
    gate.release('n2-busy');
    await d.waitForCompletion(other, { timeoutMs: 10_000 });
    await expect(d.setNodeState('n9', 'maintenance')).rejects.toMatchObject({ code: 'not_found' });
  });
});
