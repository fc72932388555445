/** Large write bodies take one of a few slots; one that declares its size waits for the slot before it is read, so waiting bodies stay in their sockets. */
import { describe, expect, it } from 'vitest';
import { declaredBodyBytes, LARGE_BODIES_AT_ONCE, LARGE_BODY_BYTES, withBodyInSlot } from '../../collector/large-body-gate.js';

const later = () => {
  let release!: () => void;
  const promise = new Promise<void>((resolve) => (release = resolve));
  return { promise, release };
};

describe('withBodyInSlot', () => {
  it('reads a body that declares a large size only once a slot is free', async () => {
    const reads: number[] = [];
    const gates = Array.from({ length: LARGE_BODIES_AT_ONCE + 1 }, later);
    const jobs = gates.map((gate, i) =>
      withBodyInSlot(
        LARGE_BODY_BYTES,
        async () => {
          reads.push(i);
          return 'x';
        },
        () => gate.promise,
      ),
    );
    await new Promise((resolve) => setImmediate(resolve));
    // The first ones hold the slots; the last has not even been read.
    expect(reads).toEqual(Array.from({ length: LARGE_BODIES_AT_ONCE }, (_, i) => i));
    gates[0]!.release();
    await jobs[0];
    await new Promise((resolve) => setImmediate(resolve));
    expect(reads).toContain(LARGE_BODIES_AT_ONCE);
    for (const g of gates) g.release();
    await Promise.all(jobs);
  });

  it('reads a small or undeclared body at once and gates it by its real size', async () => {
    const holders = Array.from({ length: LARGE_BODIES_AT_ONCE }, later);
    const held = holders.map((h) => withBodyInSlot(LARGE_BODY_BYTES, async () => 'x', () => h.promise));
    let read = false;
    let worked = false;
    const undeclared = withBodyInSlot(0, async () => {
      read = true;
      return 'y'.repeat(LARGE_BODY_BYTES);
    }, async () => {
      worked = true;
    });
    const small = withBodyInSlot(10, async () => 'small', async (body) => body);
    expect(await small).toBe('small');
    await new Promise((resolve) => setImmediate(resolve));
    expect(read).toBe(true);
    expect(worked).toBe(false);
    for (const h of holders) h.release();
    await Promise.all([...held, undeclared]);
    expect(worked).toBe(true);
  });

  it('reads Content-Length as a size only when it is a positive integer', () => {
    expect(declaredBodyBytes({ 'content-length': '8388608' })).toBe(8_388_608);
    expect(declaredBodyBytes({})).toBe(0);
    expect(declaredBodyBytes({ 'content-length': 'abc' })).toBe(0);
    expect(declaredBodyBytes({ 'content-length': '-5' })).toBe(0);
  });
});
