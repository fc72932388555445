/** The graph server's cache: LRU order, GraphTool's 300 s expiry on a fake clock, one computation for concurrent identical requests. */
import { describe, expect, it } from 'vitest';
import { createTtlCache } from '../../graph-server/cache/index.js';

function fakeClock(start = Date.UTC(2024, 0, 1)) {
  let now = start;
  return { clock: () => new Date(now), advance: (ms: number) => (now += ms) };
}

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe('graph-server cache', () => {
  it('serves a value for 300 s by default and computes again after that', async () => {
    const { clock, advance } = fakeClock();
    const cache = createTtlCache<number>({ clock });
    let calls = 0;
    const compute = () => Promise.resolve(++calls);
    expect(await cache.get('k', compute)).toBe(1);
    advance(299_999);
    expect(await cache.get('k', compute)).toBe(1);
    advance(1);
    expect(await cache.get('k', compute)).toBe(2);
    expect(cache.stats()).toMatchObject({ hits: 1, misses: 2, size: 1 });
  });

  it('identical concurrent requests share one computation, different keys do not', async () => {
    const cache = createTtlCache<string>({ clock: fakeClock().clock });
    const gate = deferred<string>();
    let calls = 0;
    const slow = () => (calls++, gate.promise);
    const a = cache.get('q?x=1', slow);
    const b = cache.get('q?x=1', slow);
    const c = cache.get('q?x=2', () => Promise.resolve('other'));
    gate.resolve('done');
    expect(await Promise.all([a, b, c])).toEqual(['done', 'done', 'other']);
    expect(calls).toBe(1);
    expect(cache.stats().shared).toBe(1);
  });

  it('drops the least recently used entry beyond its size', async () => {
    const cache = createTtlCache<string>({ maxEntries: 2, clock: fakeClock().clock });
    const seen: string[] = [];
    const compute = (k: string) => () => (seen.push(k), Promise.resolve(k));
    await cache.get('a', compute('a'));
    await cache.get('b', compute('b'));
    await cache.get('a', compute('a')); // a is now the most recent
    await cache.get('c', compute('c')); // evicts b
    await cache.get('a', compute('a'));
    await cache.get('b', compute('b'));
    expect(seen).toEqual(['a', 'b', 'c', 'b']);
  });

  it('does not keep a failure, and every waiter sees it', async () => {
    const cache = createTtlCache<string>({ clock: fakeClock().clock });
    const gate = deferred<string>();
    const a = cache.get('k', () => gate.promise);
    const b = cache.get('k', () => Promise.resolve('unused'));
    gate.reject(new Error('database away'));
    await expect(a).rejects.toThrow('database away');
    await expect(b).rejects.toThrow('database away');
    expect(await cache.get('k', () => Promise.resolve('back'))).toBe('back');
  });

  it('a synchronous throw in the computation is a rejection, and the key stays usable', async () => {
    const cache = createTtlCache<string>({ clock: fakeClock().clock });
    await expect(cache.get('k', () => { throw new Error('boom'); })).rejects.toThrow('boom');
    expect(await cache.get('k', () => Promise.resolve('ok'))).toBe('ok');
  });

  it('clear() forgets entries and a computation running across it is not kept', async () => {
    const cache = createTtlCache<string>({ clock: fakeClock().clock });
    await cache.get('k', () => Promise.resolve('old'));
    const gate = deferred<string>();
    const running = cache.get('j', () => gate.promise);
    cache.clear();
    gate.resolve('stale');
    expect(await running).toBe('stale');
    expect(await cache.get('k', () => Promise.resolve('new'))).toBe('new');
    expect(await cache.get('j', () => Promise.resolve('fresh'))).toBe('fresh');
  });

  it('with maxEntries 0 nothing is kept but concurrent requests still share', async () => {
    const cache = createTtlCache<number>({ maxEntries: 0, clock: fakeClock().clock });
    let calls = 0;
    const compute = () => Promise.resolve(++calls);
    expect(await Promise.all([cache.get('k', compute), cache.get('k', compute)])).toEqual([1, 1]);
    expect(await cache.get('k', compute)).toBe(2);
  });
});

describe('graph-server cache: byte limit', () => {
  it('keeps at most maxBytes of values, dropping the least recently used, and never keeps one larger than the limit', async () => {
    const cache = createTtlCache<Buffer>({ maxBytes: 1_000, clock: () => new Date(0) });
    let calls = 0;
    const image = (bytes: number) => () => (calls++, Promise.resolve(Buffer.alloc(bytes)));
    await cache.get('a', image(400));
    await cache.get('b', image(400));
    await cache.get('a', image(400)); // a is now the most recently used
    await cache.get('c', image(400)); // 1,200 bytes: b goes
    expect(cache.stats().size).toBe(2);
    const before = calls;
    await cache.get('a', image(400));
    await cache.get('c', image(400));
    expect(calls).toBe(before);
    await cache.get('b', image(400));
    expect(calls).toBe(before + 1);
    await cache.get('huge', image(5_000));
    await cache.get('huge', image(5_000));
    expect(calls).toBe(before + 3);
  });
});
