/** Unit: MySQL's reading of date text on SQLite, with the fast path for stored DATETIMEs agreeing with the general one. */
import { describe, expect, it } from 'vitest';
import { canonicalSeconds, parseMySqlDateTime } from '../../store/sqlite/mysql-datetime.js';

const sqlText = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

describe('canonicalSeconds', () => {
  it('reads every canonical DATETIME and DATE of years 1000-2999 as Date.UTC does', () => {
    let checked = 0;
    for (let t = Date.UTC(1000, 0, 1); t < Date.UTC(3000, 0, 1); t += 86_400_000 * 3 + 3_723_000) {
      const text = sqlText(t);
      expect({ text, secs: canonicalSeconds(text) }).toEqual({ text, secs: t / 1000 });
      const day = text.slice(0, 10);
      expect({ day, secs: canonicalSeconds(day) }).toEqual({ day, secs: Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8))) / 1000 });
      checked++;
    }
    expect(checked).toBeGreaterThan(200_000);
  });

  it.each([
    '2024-02-30', '2023-02-29 00:00:00', '2100-02-29', '2024-13-01', '2024-00-10', '2024-01-00', '2024-01-32',
    '2024-01-01 24:00:00', '2024-01-01 23:60:00', '2024-01-01 23:59:60', '2024-01-01T00:00:00', '2024/01/01', 'abcd-ef-gh',
    '2024-1-01', '2024-01-01 00:00', '2024-01-01 00:00:00.5', ' 2024-01-01', '',
  ])('takes no fast path for %j', (text) => {
    expect(canonicalSeconds(text)).toBeUndefined();
  });
});

describe('parseMySqlDateTime', () => {
  it.each([
    ['2024-03-04 04:05:06', Date.UTC(2024, 2, 4, 4, 5, 6) / 1000],
    ['2024-03-04', Date.UTC(2024, 2, 4) / 1000],
    ['2024-3-4 4:5:6', Date.UTC(2024, 2, 4, 4, 5, 6) / 1000],
    ['2024-03-04T04:05:06', Date.UTC(2024, 2, 4, 4, 5, 6) / 1000],
    ['2024-03-04 04:05', Date.UTC(2024, 2, 4, 4, 5) / 1000],
    ['2024-03-04 04:05:06.25', Date.UTC(2024, 2, 4, 4, 5, 6) / 1000 + 0.25],
    ['20240304', Date.UTC(2024, 2, 4) / 1000],
    ['20240304040506', Date.UTC(2024, 2, 4, 4, 5, 6) / 1000],
    ['1969-12-31 23:59:59', -1],
  ])('reads %j', (text, secs) => {
    expect(parseMySqlDateTime(text)).toBe(secs);
    expect(parseMySqlDateTime(text, true)).toBe(secs);
  });

  it('ignores a trailing Z in functions, as MySQL does with a warning, but not in a column (strict)', () => {
    expect(parseMySqlDateTime('2024-03-04T04:05:06Z')).toBe(Date.UTC(2024, 2, 4, 4, 5, 6) / 1000);
    expect(parseMySqlDateTime('2024-03-04T04:05:06Z', true)).toBeUndefined();
  });

  it.each(['2024-02-30', '2024-02-30 10:00:00', '2024-3-32', '2024-03-04 04:05:06+02:00', 'yesterday', '', '2024-03'])('finds no date in %j', (text) => {
    expect(parseMySqlDateTime(text)).toBeUndefined();
  });
});
