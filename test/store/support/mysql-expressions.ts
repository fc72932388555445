/** The MySQL expressions GraphTool SQL relies on, with the value MySQL/MariaDB gives each: the emulation's contract. */
import type { SqlValue } from '../../../store/index.js';

export interface ExpressionCase {
  /** Selected as `SELECT <expr> AS v`. */
  expr: string;
  params?: SqlValue[];
  expected: unknown;
}

const DT = '2024-03-05 14:07:09';

/** Every DATE_FORMAT specifier the emulation supports, on a Tuesday afternoon. */
const DATE_FORMAT_SPECIFIERS: [string, string][] = [
  ['%a', 'Tue'], ['%b', 'Mar'], ['%c', '3'], ['%D', '5th'], ['%d', '05'], ['%e', '5'], ['%f', '000000'], ['%H', '14'],
  ['%h', '02'], ['%I', '02'], ['%i', '07'], ['%j', '065'], ['%k', '14'], ['%l', '2'], ['%M', 'March'], ['%m', '03'],
  ['%p', 'PM'], ['%r', '02:07:09 PM'], ['%S', '09'], ['%s', '09'], ['%T', '14:07:09'], ['%U', '09'], ['%u', '10'],
  ['%V', '09'], ['%v', '10'], ['%W', 'Tuesday'], ['%w', '2'], ['%X', '2024'], ['%x', '2024'], ['%Y', '2024'], ['%y', '24'],
  ['%%', '%'], ['%q', 'q'],
];

/**
 * The week specifiers where years meet (`%U %u %V %v %X %x`): the ISO week (%v/%x) of 1 January may belong
 * to the year before, and 30 December to the year after.
 */
const WEEKS_AT_YEAR_ENDS: [string, string][] = [
  ['2021-01-01', '00 00 52 53 2020 2020'], // Friday: ISO week 53 of 2020
  ['2021-01-03', '01 00 01 53 2021 2020'], // Sunday
  ['2021-01-04', '01 01 01 01 2021 2021'], // Monday: ISO week 1
  ['2023-01-01', '01 00 01 52 2023 2022'], // Sunday
  ['2024-12-30', '52 53 52 01 2024 2025'], // Monday: ISO week 1 of 2025
  ['2026-12-31', '52 53 52 53 2026 2026'], // Thursday: 2026 has 53 ISO weeks
  ['2027-01-01', '00 00 52 53 2026 2026'], // Friday
];

export const EXPRESSION_CASES: ExpressionCase[] = [
  // REGEXP: unanchored and case-insensitive on ordinary strings, as Gratia-web's filters expect.
  { expr: `'OneVM' REGEXP 'ONEVM.*'`, expected: 1 },
  { expr: `'OneVM' REGEXP 'onevm'`, expected: 1 },
  { expr: `'xOneVMx' REGEXP 'neV'`, expected: 1 },
  { expr: `'Batch' REGEXP '^Batch$'`, expected: 1 },
  { expr: `'BatchPilot' REGEXP '^Batch$'`, expected: 0 },
  { expr: `'cms' REGEXP 'Unknown|unknown|other'`, expected: 0 },
  { expr: `'Other' REGEXP 'Unknown|unknown|other'`, expected: 1 },
  { expr: `'abc' NOT REGEXP 'B'`, expected: 0 },
  { expr: `'abc' NOT REGEXP 'z'`, expected: 1 },
  { expr: `NOT ('abc' REGEXP 'z')`, expected: 1 },
  { expr: `NULL REGEXP 'a'`, expected: null },
  { expr: `'a1' REGEXP '[[:digit:]]'`, expected: 1 },
  { expr: `'word here' REGEXP '[[:<:]]here'`, expected: 1 },
  { expr: `'wordhere' REGEXP '[[:<:]]here'`, expected: 0 },
  { expr: `? REGEXP ?`, params: ['OneVM', 'ONEVM.*'], expected: 1 },
  { expr: `? REGEXP ?`, params: ['anything', '.*'], expected: 1 },
  // UNIX_TIMESTAMP / FROM_UNIXTIME, in UTC on both.
  { expr: `unix_timestamp('2024-01-01 00:00:00')`, expected: 1704067200 },
  { expr: `unix_timestamp('2024-02-29')`, expected: 1709164800 },
  { expr: `unix_timestamp('2024-3-4 4:5:6')`, expected: 1709525106 },
  { expr: `unix_timestamp('20240304')`, expected: 1709510400 },
  { expr: `unix_timestamp('2024-03-04 04:05:06.123')`, expected: 1709525106.123 },
  { expr: `unix_timestamp(?)`, params: [new Date(Date.UTC(2024, 5, 1, 12))], expected: 1717243200 },
  { expr: `unix_timestamp(NULL)`, expected: null },
  { expr: `unix_timestamp('2024-02-30')`, expected: null },
  { expr: `unix_timestamp('1970-01-01 00:00:00')`, expected: 0 },
  { expr: `from_unixtime(1704067200)`, expected: '2024-01-01 00:00:00' },
  { expr: `from_unixtime(1704067200.25)`, expected: '2024-01-01 00:00:00.25' },
  { expr: `from_unixtime(1709251199, '%Y-%m-%d %H:%i:%s')`, expected: '2024-02-29 23:59:59' },
  { expr: `from_unixtime(NULL)`, expected: null },
  { expr: `from_unixtime(unix_timestamp('2024-07-04 10:20:30'))`, expected: '2024-07-04 10:20:30' },
  // TRUNCATE cuts toward zero; negative places cut left of the point.
  { expr: `truncate(1234.5678, 2)`, expected: 1234.56 },
  { expr: `truncate(1234.5678, 0)`, expected: 1234 },
  { expr: `truncate(1234.5678, -2)`, expected: 1200 },
  { expr: `truncate(-1234.5678, -1)`, expected: -1230 },
  { expr: `truncate(-1.99, 0)`, expected: -1 },
  { expr: `truncate(1.15, 2)`, expected: 1.15 },
  { expr: `truncate(1704114855/3600, 0)*3600`, expected: 1704114000 },
  { expr: `truncate(unix_timestamp('2024-01-01 13:14:15')/86400, 0)*86400`, expected: 1704067200 },
  // DATE_FORMAT, DATE and the date parts.
  ...DATE_FORMAT_SPECIFIERS.map(([spec, expected]) => ({ expr: `date_format('${DT}', '${spec}')`, expected })),
  ...WEEKS_AT_YEAR_ENDS.map(([day, expected]) => ({ expr: `date_format('${day}', '%U %u %V %v %X %x')`, expected })),
  { expr: `date_format('${DT}', '%Y-%m-01 00:00:00')`, expected: '2024-03-01 00:00:00' },
  { expr: `date_format("${DT}", "%D of %M")`, expected: '5th of March' },
  { expr: `date_format('2024-03-01 00:00:00', '%D %D %D')`, expected: '1st 1st 1st' },
  { expr: `date_format('2024-03-22', '%D')`, expected: '22nd' },
  { expr: `date_format('2024-03-13', '%D')`, expected: '13th' },
  { expr: `date_format('2024-03-05 00:30:00', '%h %l %p')`, expected: '12 12 AM' },
  { expr: `date_format(NULL, '%Y')`, expected: null },
  { expr: `date('${DT}')`, expected: '2024-03-05' },
  { expr: `date('2024-02-30')`, expected: null },
  { expr: `date('2023-02-29 10:00:00')`, expected: null },
  { expr: `date('2024-02-29 10:00:00')`, expected: '2024-02-29' },
  { expr: `date('2100-02-29')`, expected: null },
  { expr: `date('2000-02-29')`, expected: '2000-02-29' },
  { expr: `date('2024-01-01 00:00:00.999999')`, expected: '2024-01-01' },
  { expr: `unix_timestamp('2024-01-01 24:00:00')`, expected: null },
  { expr: `unix_timestamp('2024-01-01 23:60:00')`, expected: null },
  { expr: `unix_timestamp('2024-00-10')`, expected: null },
  { expr: `unix_timestamp('2024-01-01T00:00:00')`, expected: 1704067200 },
  { expr: `year('${DT}')`, expected: 2024 },
  { expr: `month('${DT}')`, expected: 3 },
  { expr: `dayofmonth('${DT}')`, expected: 5 },
  { expr: `hour('${DT}')`, expected: 14 },
  { expr: `dayofweek('${DT}')`, expected: 3 },
  { expr: `datediff('2024-03-01 23:00:00', '2024-02-28 01:00:00')`, expected: 2 },
  { expr: `to_days('2024-03-05')`, expected: 739315 },
  // IF, IFNULL, GREATEST, LEAST.
  { expr: `if(1 > 0, 'yes', 'no')`, expected: 'yes' },
  { expr: `if(0, 'yes', 'no')`, expected: 'no' },
  { expr: `if(NULL, 'yes', 'no')`, expected: 'no' },
  { expr: `if('0.0', 'yes', 'no')`, expected: 'no' },
  { expr: `if('1abc', 'yes', 'no')`, expected: 'yes' },
  { expr: `ifnull(NULL, 3)`, expected: 3 },
  { expr: `ifnull(2, 3)`, expected: 2 },
  { expr: `greatest(1, 5, 3)`, expected: 5 },
  { expr: `least(3, 2, 10)`, expected: 2 },
  { expr: `greatest(2, 10.5)`, expected: 10.5 },
  { expr: `greatest(2, '10')`, expected: 10 },
  { expr: `greatest('B', 'a')`, expected: 'B' },
  { expr: `least('b', 'A')`, expected: 'A' },
  { expr: `greatest(1, NULL)`, expected: null },
  // CONCAT is NULL if any part is; CONCAT_WS skips NULLs.
  { expr: `concat('a', NULL)`, expected: null },
  { expr: `concat('a', 1, 'b')`, expected: 'a1b' },
  { expr: `concat('ab', 1.5)`, expected: 'ab1.5' },
  { expr: `concat_ws('-', 'a', NULL, 'b')`, expected: 'a-b' },
  { expr: `concat_ws(',', NULL)`, expected: '' },
  { expr: `concat_ws(NULL, 'a')`, expected: null },
  // String functions.
  { expr: `left('abcdef', 3)`, expected: 'abc' },
  { expr: `right('abcdef', 2)`, expected: 'ef' },
  { expr: `right('abc', 0)`, expected: '' },
  { expr: `left(NULL, 2)`, expected: null },
  { expr: `substring_index('a.b.c', '.', 2)`, expected: 'a.b' },
  { expr: `substring_index('a.b.c', '.', -2)`, expected: 'b.c' },
  { expr: `substring_index('a.b.c', '.', 5)`, expected: 'a.b.c' },
  { expr: `substring_index('a.b.c', '.', 0)`, expected: '' },
  { expr: `substring_index('/cms/Role=pilot', '/', -1)`, expected: 'Role=pilot' },
  { expr: `lcase('AbC')`, expected: 'abc' },
  { expr: `char_length('héllo')`, expected: 5 },
  // Syntax: decimal division, double-quoted strings, ||, && and <=>.
  { expr: `7/2`, expected: 3.5 },
  { expr: `floor(7/2)`, expected: 3 },
  { expr: `3600/3600`, expected: 1 },
  { expr: `"double quoted"`, expected: 'double quoted' },
  { expr: `"it's"`, expected: "it's" },
  { expr: `'say "hi"'`, expected: 'say "hi"' },
  { expr: `0 || 1`, expected: 1 },
  { expr: `0 || 0`, expected: 0 },
  { expr: `NULL || 1`, expected: 1 },
  { expr: `1 && 0`, expected: 0 },
  { expr: `1 && 1`, expected: 1 },
  { expr: `NULL <=> NULL`, expected: 1 },
  { expr: `1 <=> NULL`, expected: 0 },
  { expr: `1 <=> 1`, expected: 1 },
  { expr: `NULL = NULL`, expected: null },
  // INTERVAL arithmetic (rewritten to date_add/date_sub on SQLite): a DATE stays a DATE for whole-day units.
  { expr: `DATE_SUB('2024-03-15 03:00:00', INTERVAL 5 HOUR)`, expected: '2024-03-14 22:00:00' },
  { expr: `DATE_ADD('2024-03-15', INTERVAL 24+6 HOUR)`, expected: '2024-03-16 06:00:00' },
  { expr: `DATE_ADD('2024-03-15', INTERVAL 2 DAY)`, expected: '2024-03-17' },
  { expr: `DATE_SUB('2024-03-01', INTERVAL ? DAY)`, params: [1], expected: '2024-02-29' },
  { expr: `DATE_ADD('2024-01-31 12:00:00', INTERVAL 1 MONTH)`, expected: '2024-02-29 12:00:00' },
  { expr: `DATE_SUB('2024-05-31', INTERVAL 1 QUARTER)`, expected: '2024-02-29' },
  { expr: `DATE_ADD('2023-02-28', INTERVAL 1 YEAR)`, expected: '2024-02-28' },
  { expr: `DATE_ADD('2024-12-31 23:59:59', INTERVAL 1 SECOND)`, expected: '2025-01-01 00:00:00' },
  { expr: `DATE_ADD('2024-03-15', INTERVAL 90 MINUTE)`, expected: '2024-03-15 01:30:00' },
  { expr: `ADDDATE('2024-03-15', INTERVAL 1 WEEK)`, expected: '2024-03-22' },
  { expr: `'2024-03-15' - INTERVAL 5 DAY`, expected: '2024-03-10' },
  { expr: `date('2024-03-15 10:00:00') + INTERVAL (2*3) DAY`, expected: '2024-03-21' },
  { expr: `'2024-03-15 10:00:00' - INTERVAL 1 DAY < '2024-03-14 12:00:00'`, expected: 1 },
  { expr: `DATE_ADD('2024-02-30', INTERVAL 1 DAY)`, expected: null },
  { expr: `DATE_ADD(NULL, INTERVAL 1 DAY)`, expected: null },
  // LOCATE: 1-based, 0 when absent, case-insensitive on ordinary text.
  { expr: `locate('osg', 'vdt-OSG-1.2')`, expected: 5 },
  { expr: `locate('-', 'a-b-c', 3)`, expected: 4 },
  { expr: `locate('x', 'abc')`, expected: 0 },
  { expr: `locate('', 'abc')`, expected: 1 },
  { expr: `locate(NULL, 'abc')`, expected: null },
];
