/** Unit: the DATE_FORMAT emulation and MySQL's week modes, checked against independent week arithmetic. */
import { describe, expect, it } from 'vitest';
import { formatMySqlDate, mysqlWeek } from '../../store/sqlite/date-format.js';

const at = (text: string) => new Date(text.replace(' ', 'T') + 'Z');
const DAY_MS = 86_400_000;

/** ISO 8601 week and week-year, by the Thursday rule: a week belongs to the year its Thursday is in. */
function isoWeek(d: Date): { week: number; year: number } {
  const thursday = new Date(d.getTime() + (3 - ((d.getUTCDay() + 6) % 7)) * DAY_MS);
  const year = thursday.getUTCFullYear();
  return { week: Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / DAY_MS / 7) + 1, year };
}

/** C's strftime %U: Sunday-first weeks, days before the first Sunday in week 0. */
function sundayWeek(d: Date): number {
  const yday = Math.floor((d.getTime() - Date.UTC(d.getUTCFullYear(), 0, 1)) / DAY_MS);
  return Math.floor((yday + 7 - d.getUTCDay()) / 7);
}

function everyDay(from: number, to: number): Date[] {
  const days: Date[] = [];
  for (let t = Date.UTC(from, 0, 1); t < Date.UTC(to + 1, 0, 1); t += DAY_MS) days.push(new Date(t + 13 * 3_600_000));
  return days;
}

describe('formatMySqlDate', () => {
  it('prints each specifier as MySQL does', () => {
    const d = at('2024-03-05 14:07:09');
    expect(formatMySqlDate(d, '%a|%b|%c|%D|%d|%e|%H|%h|%I|%i|%j|%k|%l|%M|%m|%p|%r|%S|%s|%T|%W|%w|%Y|%y')).toBe(
      'Tue|Mar|3|5th|05|5|14|02|02|07|065|14|2|March|03|PM|02:07:09 PM|09|09|14:07:09|Tuesday|2|2024|24',
    );
  });

  it('writes midnight and noon on the 12-hour clock as 12 AM and 12 PM', () => {
    expect(formatMySqlDate(at('2024-03-05 00:30:00'), '%h %l %p|%r')).toBe('12 12 AM|12:30:00 AM');
    expect(formatMySqlDate(at('2024-03-05 12:30:00'), '%h %l %p|%r')).toBe('12 12 PM|12:30:00 PM');
  });

  it.each([
    [1, '1st'], [2, '2nd'], [3, '3rd'], [4, '4th'], [11, '11th'], [12, '12th'], [13, '13th'],
    [21, '21st'], [22, '22nd'], [23, '23rd'], [24, '24th'], [31, '31st'],
  ])('writes day %i with %%D as %s', (day, text) => {
    expect(formatMySqlDate(new Date(Date.UTC(2024, 0, day)), '%D')).toBe(text);
  });

  it('counts %j to 366 in a leap year', () => {
    expect(formatMySqlDate(at('2024-12-31 00:00:00'), '%j')).toBe('366');
    expect(formatMySqlDate(at('2023-12-31 00:00:00'), '%j')).toBe('365');
  });

  it('prints microseconds with %f', () => {
    expect(formatMySqlDate(new Date(Date.UTC(2024, 0, 1, 0, 0, 0, 500)), '%f')).toBe('500000');
  });

  it('pads years before 1000 to four digits', () => {
    expect(formatMySqlDate(new Date(Date.UTC(999, 0, 1)), '%Y %y')).toBe('0999 99');
  });

  it('prints %% as %, an unknown specifier as its letter, and a trailing % as itself', () => {
    expect(formatMySqlDate(at('2024-03-05 00:00:00'), '100%% %q %Q done%')).toBe('100% q Q done%');
  });

  it('leaves text without specifiers alone', () => {
    expect(formatMySqlDate(at('2024-03-05 00:00:00'), 'plain text: no dates')).toBe('plain text: no dates');
  });

  it('does GraphTool\'s month bucketing format', () => {
    expect(formatMySqlDate(at('2024-02-29 23:59:59'), '%Y-%m-01 00:00:00')).toBe('2024-02-01 00:00:00');
  });
});

describe('mysqlWeek, every day of 1990-2040', () => {
  const days = everyDay(1990, 2040);

  it('mode 3 (%v, %x) is the ISO week', () => {
    for (const d of days) expect({ d, ...mysqlWeek(d, 3) }).toEqual({ d, ...isoWeek(d) });
  });

  it('mode 0 (%U) is strftime\'s Sunday week, 0 before the first Sunday', () => {
    for (const d of days) expect({ d, week: mysqlWeek(d, 0).week }).toEqual({ d, week: sundayWeek(d) });
  });

  it('mode 1 (%u) is the ISO week, but 0 for days of last year\'s week and 53 for days of next year\'s', () => {
    for (const d of days) {
      const iso = isoWeek(d);
      const year = d.getUTCFullYear();
      const week = iso.year < year ? 0 : iso.year > year ? 53 : iso.week;
      expect({ d, week: mysqlWeek(d, 1).week }).toEqual({ d, week });
    }
  });

  it('mode 2 (%V, %X) continues last year\'s last Sunday week until the first Sunday', () => {
    for (const d of days) {
      const week = sundayWeek(d);
      const expected = week > 0 ? { week, year: d.getUTCFullYear() } : { week: sundayWeek(new Date(Date.UTC(d.getUTCFullYear() - 1, 11, 31))), year: d.getUTCFullYear() - 1 };
      expect({ d, ...mysqlWeek(d, 2) }).toEqual({ d, ...expected });
    }
  });
});
