/** JSON bodies over 64 KB are parsed piece by piece with turns of the event loop between: the same value as JSON.parse, and bad JSON a 400. */
import { describe, expect, it } from 'vitest';
import { parseJsonInSlices } from '../../collector/json-slices.js';

const items = (n: number) => Array.from({ length: n }, (_, i) => ({ node: `n${i}`, value: i, text: 'a,]}"\\ [{'.repeat(20), nested: [1, { b: [2, 3] }] }));
const big = JSON.stringify(items(3_000));

describe('parseJsonInSlices', () => {
  it.each([
    ['a large array', big],
    ['a large {samples: [...]} object', JSON.stringify({ samples: items(3_000), other: 1 })],
    ['arrays of large arrays', JSON.stringify([items(2_000), 'x', items(2_000)])],
    ['a repeated property name (the last wins)', JSON.stringify({ a: items(3_000), b: 2 }).replace('"b"', '"a"')],
    ['small and empty containers', ' [ ] '],
    ['a long string', JSON.stringify('x'.repeat(200_000))],
  ])('reads %s as JSON.parse does', async (_name, text) => {
    expect(await parseJsonInSlices(text)).toEqual(JSON.parse(text));
  });

  it('keeps __proto__ an own property, as JSON.parse does, instead of setting the prototype', async () => {
    const text = JSON.stringify({ x: 1, samples: items(3_000) }).replace('"x"', '"__proto__"');
    const value = (await parseJsonInSlices(text)) as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.prototype.hasOwnProperty.call(value, '__proto__')).toBe(true);
  });

  it.each([
    ['an empty element between pieces', `[${big.slice(1, -1)}, , 1]`],
    ['a leading comma', big.replace('[', '[,')],
    ['a trailing comma', big.replace(/]$/, ',]')],
    ['a doubled comma', big.replace(',', ',,')],
    ['text after the value', `${big} x`],
    ['an unclosed array', big.slice(0, -1)],
    ['a mismatched bracket', big.replace(/]$/, '}')],
    ['a property without a colon', JSON.stringify({ a: items(3_000) }).replace('"a":', '"a"')],
    ['a property name that is not a string', JSON.stringify({ a: items(3_000) }).replace('"a":', '1:')],
    ['an empty body', '   '],
  ])('refuses %s with a 400 naming the place, where JSON.parse throws', async (_name, text) => {
    expect(() => void JSON.parse(text)).toThrow();
    const err = (await parseJsonInSlices(text, 'record 1: ').then(() => undefined, (e: unknown) => e)) as { httpStatus?: number; message?: string } | undefined;
    expect(err?.httpStatus).toBe(400);
    expect(err?.message).toMatch(/^record 1: the body is not JSON: .* \(at character \d+\)$/);
  });

  it('refuses nesting deeper than the limit before parsing anything', async () => {
    await expect(parseJsonInSlices('['.repeat(100_000) + ']'.repeat(100_000))).rejects.toThrow(/nests deeper than 32 levels/);
  });
});
