/** Python's str() of keys and values as the outputs print them, and to_timestamp's readings of group values. */
import { describe, expect, it } from 'vitest';
import { keyString, valueString } from '../../query-engine/results/index.js';
import { toTimestamp } from '../../query-engine/results/to-timestamp.js';

describe('keyString', () => {
  it('prints tuples with repr() elements, ints as ints and floats with 12 significant digits', () => {
    expect(keyString(['Nebraska', 'cms'])).toBe("('Nebraska', 'cms')");
    expect(keyString(['a'])).toBe("('a',)");
    expect(keyString([1, 2.5, null])).toBe('(1, 2.5, None)');
    expect(keyString(["it's"])).toBe('("it\'s",)');
    expect(keyString(['tab\there'])).toBe("('tab\\there',)");
    expect(keyString(1467158400)).toBe('1467158400');
    expect(keyString(12.5)).toBe('12.5');
    expect(keyString(1 / 3)).toBe('0.333333333333');
    expect(keyString(null)).toBe('None');
    expect(keyString('Nebraska')).toBe('Nebraska');
  });
});

describe('valueString', () => {
  it('prints values as Python floats: .0 on whole numbers, exponent form from 1e11 (str) or 1e16 (repr in tuples)', () => {
    expect(valueString(3)).toBe('3.0');
    expect(valueString(123456.789012345)).toBe('123456.789012');
    expect(valueString(10000000000)).toBe('10000000000.0');
    expect(valueString(123456789012)).toBe('1.23456789012e+11');
    expect(valueString(0.00001)).toBe('1e-05');
    expect(valueString(0.1 + 0.2)).toBe('0.3');
    expect(valueString([1, 0.1 + 0.2])).toBe('(1.0, 0.30000000000000004)');
    expect(valueString([1e16, 'x'])).toBe("(1e+16, 'x')");
    // Either side of the fixed-point range and of the digits rounding up to the next power of ten.
    expect(valueString(0.0001)).toBe('0.0001');
    expect(valueString(0.00009999999999999)).toBe('0.0001');
    expect(valueString(-2.5e-5)).toBe('-2.5e-05');
    expect(valueString(89999999999.99)).toBe('90000000000.0');
    expect(valueString(99999999999.9999)).toBe('1e+11');
    expect(valueString(99999999999.4)).toBe('99999999999.4');
    expect(valueString(100)).toBe('100.0');
    expect(valueString(-1234.5)).toBe('-1234.5');
    expect(valueString(1 / 7)).toBe('0.142857142857');
    expect(valueString('a\nb')).toBe('a\nb');
    expect(valueString(null)).toBe('None');
  });
});

describe('toTimestamp', () => {
  it('reads epoch numbers and numeric text, flooring fractions', () => {
    expect(toTimestamp(1467072000.7)).toBe(1467072000);
    expect(toTimestamp('1467072000.7')).toBe(1467072000);
    expect(toTimestamp(' 1467072000 ')).toBe(1467072000);
  });

  it('reads the strptime formats, with a fraction stripped as a last resort', () => {
    expect(toTimestamp('2016-06-28 00:00:00')).toBe(1467072000);
    expect(toTimestamp('06/28/16 12:00:00')).toBe(1467072000 + 12 * 3600);
    expect(toTimestamp('06/28/16')).toBe(1467072000);
    expect(toTimestamp('2016-06-28 00:00:00.250')).toBe(1467072000);
  });

  it('reads years below 100 as written and refuses year 0, as Python’s datetime does', () => {
    expect(toTimestamp('0050-01-01 00:00:00')).toBe(new Date(0).setUTCFullYear(50, 0, 1) / 1000);
    expect(() => toTimestamp('0000-01-01 00:00:00')).toThrow(/Unable to create time/);
  });

  it('keeps GraphTool’s eval quirk for bare dates and refuses what it could not read', () => {
    expect(toTimestamp('2016-06-01')).toBe(2016 - 6 - 1);
    expect(() => toTimestamp('2016-06-09')).toThrow(/Unable to create time/);
    expect(() => toTimestamp('02/30/16')).toThrow(/Unable to create time/);
    expect(() => toTimestamp(null)).toThrow(/Unable to create time/);
    expect(() => toTimestamp(['2016-06-28 00:00:00'])).toThrow(/Unable to create time/);
  });
});
