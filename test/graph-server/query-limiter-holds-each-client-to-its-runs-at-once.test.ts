/** The query limiter: each client's runs at once are bounded, the next is refused with when to retry, and a settled run frees its slot. */
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../common/index.js';
import { createQueryLimiter, queryClientOf, type QueryClient } from '../../graph-server/index.js';

const alice: QueryClient = { kind: 'user', name: 'alice' };
const anon: QueryClient = { kind: 'address', name: '192.0.2.7' };
const other: QueryClient = { kind: 'address', name: '192.0.2.8' };

/** A run that ends when the test says so. */
function gate(): { promise: Promise<string>; open: () => void; fail: () => void } {
  let open!: () => void;
  let fail!: () => void;
  const promise = new Promise<string>((resolve, reject) => {
    open = () => resolve('done');
    fail = () => reject(new Error('the query failed'));
  });
  return { promise, open, fail };
}

const refusal = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as AppError);

describe('createQueryLimiter', () => {
  it('refuses an address its second run and a user its third, saying when the oldest must have ended', async () => {
    let now = Date.UTC(2026, 0, 1);
    const limiter = createQueryLimiter({ limits: { perAddress: 1, perUser: 2, holdMs: 30_000 }, clock: () => new Date(now) });
    const a1 = gate();
    const first = limiter.run(anon, () => a1.promise);
    now += 12_300;
    const refused = await refusal(limiter.run(anon, () => Promise.resolve('never')));
    expect(refused).toBeInstanceOf(AppError);
    expect(refused!.code).toBe('too_many_requests');
    expect(refused!.httpStatus).toBe(429);
    // 30 s after the oldest began, 12.3 s ago: 17.7 s, rounded up.
    expect(refused!.context).toMatchObject({ retryAfterSeconds: 18, limit: 1, reason: 'per_address' });
    expect(refused!.message).toBe('address 192.0.2.7 already has 1 query running, its limit; retry in 18 s');

    // Another address is not held back by the first one's run.
    await expect(limiter.run(other, () => Promise.resolve('other'))).resolves.toBe('other');

    const u1 = gate();
    const u2 = gate();
    const runs = [limiter.run(alice, () => u1.promise), limiter.run(alice, () => u2.promise)];
    expect(limiter.inFlight(alice)).toBe(2);
    const third = await refusal(limiter.run(alice, () => Promise.resolve('never')));
    expect(third!.context).toMatchObject({ reason: 'per_user', limit: 2, retryAfterSeconds: 30 });
    expect(limiter.refused()).toEqual({ per_address: 1, per_user: 1 });

    a1.open();
    u1.fail();
    await expect(first).resolves.toBe('done');
    await expect(runs[0]).rejects.toThrow('the query failed');
    // A failed run frees its slot as a finished one does.
    expect(limiter.inFlight(anon)).toBe(0);
    expect(limiter.inFlight(alice)).toBe(1);
    await expect(limiter.run(alice, () => Promise.resolve('again'))).resolves.toBe('again');
    u2.open();
    await runs[1];
    expect(limiter.inFlight(alice)).toBe(0);
  });

  it('says at least 1 s, even when the oldest run is past the ceiling', async () => {
    let now = 0;
    const limiter = createQueryLimiter({ limits: { perAddress: 1, perUser: 1, holdMs: 1_000 }, clock: () => new Date(now) });
    const g = gate();
    const held = limiter.run(anon, () => g.promise);
    now = 5_000;
    expect((await refusal(limiter.run(anon, () => Promise.resolve(''))))!.context.retryAfterSeconds).toBe(1);
    g.open();
    await held;
  });

  it('takes 0 as no limit, and new limits on a reload', async () => {
    const limiter = createQueryLimiter({ limits: { perAddress: 0, perUser: 0, holdMs: 1_000 } });
    const g = gate();
    const held = [limiter.run(anon, () => g.promise), limiter.run(anon, () => g.promise), limiter.run(anon, () => g.promise)];
    expect(limiter.inFlight(anon)).toBe(3);
    limiter.setLimits({ perAddress: 3, perUser: 0, holdMs: 1_000 });
    expect((await refusal(limiter.run(anon, () => Promise.resolve(''))))!.code).toBe('too_many_requests');
    g.open();
    await Promise.all(held);
  });

  it('counts refusals by reason on the metrics registry', async () => {
    const registry = new Registry();
    const limiter = createQueryLimiter({ limits: { perAddress: 1, perUser: 1, holdMs: 1_000 }, registry });
    const g = gate();
    const held = limiter.run(alice, () => g.promise);
    await refusal(limiter.run(alice, () => Promise.resolve('')));
    const text = await registry.metrics();
    expect(text).toContain('appliance_query_runs_refused_total{reason="per_user"} 1');
    expect(text).toContain('appliance_query_runs_refused_total{reason="per_address"} 0');
    expect(text).toContain('appliance_query_runs_in_flight 1');
    g.open();
    await held;
  });
});

describe('queryClientOf', () => {
  it('is the authenticated user, else the address Express resolved', () => {
    const req = (auth: unknown, ip: string) => ({ auth, ip, socket: {} }) as unknown as Parameters<typeof queryClientOf>[0];
    expect(queryClientOf(req({ user: 'alice' }, '10.0.0.1'))).toEqual({ kind: 'user', name: 'alice' });
    expect(queryClientOf(req({ user: null }, '10.0.0.1'))).toEqual({ kind: 'address', name: '10.0.0.1' });
    expect(queryClientOf(req(undefined, '::1'))).toEqual({ kind: 'address', name: '::1' });
  });
});
