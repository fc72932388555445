/** Input typing follows GraphTool's parse_type and convert_to_datetime; partial rounds to the span; bad values are 400s, bad defaults config errors. */
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_CHECK_NOW, applyPartial, checkInputDefault, formatTypedValue, parseGraphToolDateTime, toSqlValue, typeInputDefault, typeInputValue,
  type InputDef, type TypedValue,
} from '../../query-engine/inputs/index.js';
import { caughtAppError } from '../support/app-error.js';

const now = new Date(Date.UTC(2016, 5, 13, 15, 27, 33, 250));
const utc = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0) => new Date(Date.UTC(y, mo - 1, d, h, mi, s, ms));
const typed = (type: string | undefined, raw: string, span?: number, partial?: 'down' | 'up'): TypedValue =>
  typeInputValue({ name: 'x', type, partial, default: '' }, raw, span === undefined ? { now } : { now, span });

describe('types', () => {
  it('int is Python int(): whole numbers only', () => {
    expect(typed('int', '86400')).toEqual({ type: 'int', value: 86400 });
    expect(typed('int', ' -42 ')).toEqual({ type: 'int', value: -42 });
    expect(typed('int', '+007')).toEqual({ type: 'int', value: 7 });
    for (const bad of ['1.5', '1e3', '', 'abc', '0x10', '12abc']) {
      const err = caughtAppError(() => typed('int', bad));
      expect(err.code).toBe('bad_request');
      expect(err.message).toBe(`input "x": "${bad}" is not an integer`);
    }
  });

  it('float is Python float() (finite values only)', () => {
    expect(typed('float', '10')).toEqual({ type: 'float', value: 10 });
    expect(typed('float', '1.5e2')).toEqual({ type: 'float', value: 150 });
    expect(typed('float', '.5')).toEqual({ type: 'float', value: 0.5 });
    expect(caughtAppError(() => typed('float', 'ten')).message).toBe('input "x": "ten" is not a number');
    expect(caughtAppError(() => typed('float', 'nan')).code).toBe('bad_request');
  });

  it('eval uses the safe evaluator with the request clock', () => {
    expect(typed('eval', '28*86400')).toEqual({ type: 'int', value: 2419200 });
    expect(typed('eval', 'time.time()-86400')).toEqual({ type: 'float', value: now.getTime() / 1000 - 86400 });
    const err = caughtAppError(() => typed('eval', "__import__('os').system('id')"));
    expect(err.code).toBe('bad_request');
    expect(err.message).toMatch(/^input "x": unknown name "__import__".*at column 1/);
  });

  it('timestamp is epoch seconds (an int) of any datetime form', () => {
    expect(typed('timestamp', '2016-06-13 12:00:00')).toEqual({ type: 'int', value: 1465819200 });
    expect(typed('timestamp', 'time.time()')).toEqual({ type: 'int', value: Math.floor(now.getTime() / 1000) });
    expect(typed('timestamp', '1465819200.9')).toEqual({ type: 'int', value: 1465819200 });
  });

  it('bool/boolean accept true and false in any case, nothing else', () => {
    expect(typed('bool', 'true')).toEqual({ type: 'bool', value: true });
    expect(typed('boolean', ' FALSE ')).toEqual({ type: 'bool', value: false });
    expect(typed('bool', 'True')).toEqual({ type: 'bool', value: true });
    for (const bad of ['1', 'yes', '']) {
      expect(caughtAppError(() => typed('bool', bad)).message).toBe(`input "x": "${bad}" is not a boolean; valid inputs are 'true' or 'false'`);
    }
  });

  it('any other type, or none, is the string unchanged', () => {
    expect(typed(undefined, ' .* ')).toEqual({ type: 'string', value: ' .* ' });
    expect(typed('string', "'; DROP TABLE VO; --")).toEqual({ type: 'string', value: "'; DROP TABLE VO; --" });
    expect(typed('regex', 'cms|atlas')).toEqual({ type: 'string', value: 'cms|atlas' });
  });
});

describe('datetime', () => {
  it.each([
    ['%x %X', '06/13/16 12:34:56', utc(2016, 6, 13, 12, 34, 56)],
    ['%x %X, one-digit fields', '6/3/16 1:2:3', utc(2016, 6, 3, 1, 2, 3)],
    ['%x %X, %y 69..99 is 19xx', '12/31/99 23:59:59', utc(1999, 12, 31, 23, 59, 59)],
    ['%x', '06/13/16', utc(2016, 6, 13)],
    ['%x, 2068', '01/01/68', utc(2068, 1, 1)],
    ['%Y-%m-%d %H:%M:%S', '2016-06-13 12:34:56', utc(2016, 6, 13, 12, 34, 56)],
    ['%Y-%m-%d %H:%M:%S with a fraction stripped', '2016-06-13 12:34:56.789', utc(2016, 6, 13, 12, 34, 56)],
    ['%Y-%m-%d (our addition: midnight, not GraphTool epoch second 2009)', '2016-06-01', utc(2016, 6, 1)],
    ['an expression in epoch seconds', 'time.time()-86400', new Date(now.getTime() - 86400_000)],
    ['plain epoch seconds', '1465819200', utc(2016, 6, 13, 12)],
    ['fractional epoch seconds', '1465819200.5', utc(2016, 6, 13, 12, 0, 0, 500)],
  ] as const)('%s', (_name, text, expected) => {
    expect(typed('datetime', text)).toEqual({ type: 'datetime', value: expected });
  });

  it('refuses unknown forms with the accepted forms listed', () => {
    for (const bad of ['yesterday', 'now-1d']) {
      const err = caughtAppError(() => typed('datetime', bad));
      expect(err.code).toBe('bad_request');
      expect(err.message).toBe(
        `input "x": cannot read "${bad}" as a date and time; expected an expression in UTC epoch seconds such as time.time()-86400, ` +
          'MM/DD/YY HH:MM:SS, MM/DD/YY, YYYY-MM-DD HH:MM:SS or YYYY-MM-DD',
      );
    }
  });

  // GraphTool evaluated these as arithmetic: 2026-13-45 is epoch second 1968, and the graph ran from 1970 to today.
  it.each(['2026-13-45', '2026-11-31', '2016-02-30 00:00:00', '02/30/16', '13/01/16', '2016-06-13T12:00:00', '06/13/16 12:00:00.5', '2026-11-20 25:00:00'])(
    'refuses %s, shaped like a date but not a valid one, instead of reading it as arithmetic',
    (bad) => {
      const err = caughtAppError(() => typed('datetime', bad));
      expect(err.code).toBe('bad_request');
      expect(err.message).toBe(
        `input "x": "${bad}" is not a valid calendar date and time (month 1-12, a day that month has, hours 0-23); expected an expression in UTC epoch seconds such as time.time()-86400, ` +
          'MM/DD/YY HH:MM:SS, MM/DD/YY, YYYY-MM-DD HH:MM:SS or YYYY-MM-DD',
      );
    },
  );

  it('refuses a bare YYYYMMDD, naming the form it meant, instead of reading it as epoch seconds in 1970', () => {
    const err = caughtAppError(() => typed('datetime', '20261120'));
    expect(err.code).toBe('bad_request');
    expect(err.message).toBe('input "x": "20261120" looks like a date without separators; write it as 2026-11-20 (epoch seconds this small would mean 1970)');
    // Epoch seconds of other lengths are still epoch seconds.
    expect(typed('datetime', '86400')).toEqual({ type: 'datetime', value: utc(1970, 1, 2) });
  });

  it('refuses epoch seconds outside years 1..9999', () => {
    expect(() => parseGraphToolDateTime('1e12', now)).toThrow(/outside years 1 to 9999/);
  });

  it('prints as Python str() and binds as YYYY-MM-DD HH:MM:SS', () => {
    const v = typed('datetime', 'time.time()');
    expect(formatTypedValue(v)).toBe('2016-06-13 15:27:33.250000');
    expect(toSqlValue(v)).toBe('2016-06-13 15:27:33');
    expect(formatTypedValue(typed('datetime', '2016-06-13 12:00:00'))).toBe('2016-06-13 12:00:00');
  });
});

describe('partial rounding', () => {
  const at = '2016-06-13 15:27:33';
  it.each([
    ['down', 3600, utc(2016, 6, 13, 15, 0, 0)],
    ['up', 3600, utc(2016, 6, 13, 15, 59, 59)],
    ['down', 86400, utc(2016, 6, 13, 0, 0, 0)],
    ['up', 86400, utc(2016, 6, 13, 23, 59, 59)],
    ['down', 604800, utc(2016, 6, 13, 0, 0, 0)],
    ['up', 2592000, utc(2016, 6, 13, 23, 59, 59)],
    ['down', 600, utc(2016, 6, 13, 15, 27, 33)],
    ['up', 7200, utc(2016, 6, 13, 15, 27, 33)],
    ['down', 43200, utc(2016, 6, 13, 15, 27, 33)],
  ] as const)('%s with span %d', (partial, span, expected) => {
    expect(typed('datetime', at, span, partial)).toEqual({ type: 'datetime', value: expected });
  });

  it('does nothing without a known span', () => {
    expect(typed('datetime', at, undefined, 'down')).toEqual({ type: 'datetime', value: utc(2016, 6, 13, 15, 27, 33) });
  });

  it('drops milliseconds when it rounds', () => {
    expect(typed('datetime', 'time.time()', 3600, 'up')).toEqual({ type: 'datetime', value: utc(2016, 6, 13, 15, 59, 59) });
  });

  it('leaves non-datetimes alone', () => {
    const v: TypedValue = { type: 'int', value: 5 };
    expect(applyPartial(v, 'down', 86400)).toBe(v);
  });
});

describe('defaults', () => {
  it('a default that does not fit is a config error, not a 400', () => {
    const def: InputDef = { name: 'span', type: 'int', kind: 'sql', default: ' 1.5 ' };
    const err = caughtAppError(() => typeInputDefault(def, { now }));
    expect(err.code).toBe('config');
    expect(err.message).toBe('input "span": default "1.5": "1.5" is not an integer');
  });

  it('checkInputDefault reports problems at load time with a fixed clock', () => {
    expect(checkInputDefault({ name: 'starttime', type: 'datetime', partial: 'down', default: 'time.time()-13*86400' })).toBeUndefined();
    expect(checkInputDefault({ name: 'span', type: 'eval', default: '28*86400' })).toBeUndefined();
    expect(checkInputDefault({ name: 'span', type: 'eval', default: 'time.sleep(5)' })).toBe(
      'input "span": default "time.sleep(5)": "time.sleep" is not allowed; only time.time() is (at column 6: "sleep")',
    );
    expect(checkInputDefault({ name: 'starttime', partial: 'down', default: 'time.time()' })).toBe(
      'input "starttime": partial="down" needs type="datetime"',
    );
    expect(typeInputDefault({ name: 't', type: 'datetime', default: 'time.time()' }, { now: DEFAULT_CHECK_NOW }).value).toEqual(DEFAULT_CHECK_NOW);
  });
});

describe('printing as Python str()', () => {
  it.each([
    [{ type: 'int', value: 86400 }, '86400'],
    [{ type: 'float', value: 10 }, '10.0'],
    [{ type: 'float', value: 1466121600.123456 }, '1466121600.12'],
    [{ type: 'float', value: 1e16 }, '1e+16'],
    [{ type: 'float', value: 0.00001 }, '1e-05'],
    [{ type: 'float', value: -2.5 }, '-2.5'],
    [{ type: 'bool', value: true }, 'True'],
    [{ type: 'string', value: 'cms|atlas' }, 'cms|atlas'],
  ] as const)('%j → %s', (value, text) => {
    expect(formatTypedValue(value)).toBe(text);
  });

  it('binds booleans as 1/0 like MySQLdb', () => {
    expect(toSqlValue({ type: 'bool', value: true })).toBe(1);
    expect(toSqlValue({ type: 'bool', value: false })).toBe(0);
  });
});
