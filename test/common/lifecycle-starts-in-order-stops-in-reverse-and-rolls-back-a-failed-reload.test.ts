/** The component lifecycle: start in order, stop in reverse, a reload validates every part before applying any, and a failed apply puts every applied part back. */
import { describe, expect, it } from 'vitest';
import { createLifecycle, type Component } from '../../common/index.js';

type Cfg = { version: number; bad?: string; failIn?: string };

/** A part that records what it did into `log` and keeps the configuration it runs on. */
function part(name: string, log: string[], over: Partial<Component<Cfg>> = {}): Component<Cfg> & { running: () => number } {
  let running = 1;
  return {
    name,
    start: () => void log.push(`start ${name}`),
    stop: () => void log.push(`stop ${name}`),
    validate: (next) => (next.bad === name ? [`${name}.xml:1:1: bad`] : []),
    apply: (next) => {
      log.push(`apply ${name} v${next.version}`);
      if (next.failIn === name) throw new Error(`${name} cannot save its settings`);
      running = next.version;
    },
    ...over,
    running: () => running,
  };
}

describe('component lifecycle', () => {
  it('starts parts in order and stops them in reverse', async () => {
    const log: string[] = [];
    const life = createLifecycle([part('a', log), part('b', log), part('c', log)], { version: 1 });
    await life.start();
    await life.stop();
    expect(log).toEqual(['start a', 'start b', 'start c', 'stop c', 'stop b', 'stop a']);
  });

  it('a part that fails to start stops the ones already started, in reverse, and fails the start', async () => {
    const log: string[] = [];
    const broken = part('b', log, { start: () => { throw new Error('port in use'); } });
    const life = createLifecycle([part('a', log), broken, part('c', log)], { version: 1 });
    await expect(life.start()).rejects.toThrow('port in use');
    expect(log).toEqual(['start a', 'stop a']);
  });

  it('stops every part even when one fails to stop, then reports the failure', async () => {
    const log: string[] = [];
    const life = createLifecycle([part('a', log), part('b', log, { stop: () => { throw new Error('flush failed'); } }), part('c', log)], { version: 1 });
    await life.start();
    await expect(life.stop()).rejects.toThrow('flush failed');
    expect(log.filter((l) => l.startsWith('stop'))).toEqual(['stop c', 'stop a']);
  });

  it('validates every part before applying any: one bad part applies nothing and lists every problem', async () => {
    const log: string[] = [];
    const parts = [part('a', log), part('b', log), part('c', log, { validate: () => ['c.xml:2:3: also bad'] })];
    const life = createLifecycle(parts, { version: 1 });
    const result = await life.reload({ version: 2, bad: 'b' });
    expect(result).toEqual({ applied: false, issues: ['b.xml:1:1: bad', 'c.xml:2:3: also bad'] });
    expect(log).toEqual([]);
    expect(life.current().version).toBe(1);
  });

  it('applies in order; when a later part fails, it and the earlier parts are back on the old configuration', async () => {
    const log: string[] = [];
    const [a, b, c] = [part('a', log), part('b', log), part('c', log)];
    const life = createLifecycle([a, b, c], { version: 1 });
    const result = await life.reload({ version: 2, failIn: 'c' });
    expect(result).toEqual({ applied: false, failed: 'c', issues: ['c: c cannot save its settings'], rolledBack: ['c', 'b', 'a'] });
    expect(log).toEqual(['apply a v2', 'apply b v2', 'apply c v2', 'apply c v1', 'apply b v1', 'apply a v1']);
    expect([a.running(), b.running(), c.running()]).toEqual([1, 1, 1]);
    expect(life.current().version).toBe(1);

    expect(await life.reload({ version: 3 })).toEqual({ applied: true, issues: [] });
    expect([a.running(), b.running(), c.running()]).toEqual([3, 3, 3]);
  });

  it("rolls back with a part's own undo when it returns one, and says when a rollback fails", async () => {
    const log: string[] = [];
    const a = part('a', log, { apply: () => () => void log.push('undo a') });
    const b = part('b', log, { apply: (next) => { if (next.version === 1) throw new Error('gone'); } });
    const c = part('c', log, { apply: (next) => { if (next.version === 2) throw new Error('disk full'); } });
    const result = await createLifecycle([a, b, c], { version: 1 }).reload({ version: 2 });
    expect(result.applied).toBe(false);
    expect(result.failed).toBe('c');
    expect(result.issues).toEqual(['c: disk full', 'b: rollback failed, it may run a mix of both configurations: gone']);
    expect(result.rolledBack).toEqual(['c', 'a']);
    expect(log).toContain('undo a');
  });

  it('runs reloads one at a time', async () => {
    const log: string[] = [];
    let release!: () => void;
    const slow = part('slow', log, {
      apply: (next) => {
        log.push(`begin v${next.version}`);
        return next.version === 2 ? new Promise<void>((r) => (release = () => (log.push('end v2'), r()))) : undefined;
      },
    });
    const life = createLifecycle([slow], { version: 1 });
    const first = life.reload({ version: 2 });
    const second = life.reload({ version: 3 });
    await new Promise((r) => setImmediate(r));
    expect(log).toEqual(['begin v2']);
    release();
    await Promise.all([first, second]);
    expect(log).toEqual(['begin v2', 'end v2', 'begin v3']);
    expect(life.current().version).toBe(3);
  });
});
