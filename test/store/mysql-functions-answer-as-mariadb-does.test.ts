/** Contract: MySQL expressions and GraphTool queries give the same rows on SQLite (emulated) as on MariaDB. */
import { beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../common/index.js';
import { gratiaMigrations, type Row, type SqlValue, type Store } from '../../store/index.js';
import { testBackends } from '../support/stores.js';
import { summaryRows, seedGratia } from './support/gratia-rows.js';
import { ROW_QUERIES } from './support/gratia-queries.js';
import { EXPRESSION_CASES } from './support/mysql-expressions.js';
import { useFreshStore, type FreshStore } from './support/fresh-store.js';

const backends = testBackends();
const mariadb = backends.find((b) => b.name === 'mysql');
const ROWS = summaryRows();

/**
 * Rows with every fractional number cut to 12 significant digits. MariaDB prints some DOUBLE results one
 * unit off in the last place (`sum(x)/3600` gives 9.216666666666669 where the division gives ...667),
 * which no emulation can or should copy; twelve digits are far beyond any accounting figure.
 */
const rounded = (rows: Row[]): Row[] =>
  rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(12)) : v])));

const valueOf = async (store: Store, expr: string, params: SqlValue[] = []) => (await store.query(`SELECT ${expr} AS v`, params))[0]!.v;

/** A fresh Gratia database seeded with ROWS. */
function useSeededGratia(backend: (typeof backends)[number]): () => FreshStore {
  const fresh = useFreshStore(backend, { per: 'suite', migrations: gratiaMigrations });
  beforeAll(() => seedGratia(fresh().store, ROWS));
  return fresh;
}

describe.each(backends)('MySQL expressions on $name', (backend) => {
  const fresh = useSeededGratia(backend);

  it.each(EXPRESSION_CASES)('$expr is $expected', async ({ expr, params, expected }) => {
    expect(await valueOf(fresh().store, expr, params)).toEqual(expected);
  });

  it('unix_timestamp() without arguments is the current whole epoch second', async () => {
    const v = await valueOf(fresh().store, 'unix_timestamp()');
    expect(Number.isInteger(v)).toBe(true);
    expect(Math.abs((v as number) - Date.now() / 1000)).toBeLessThan(60);
  });

  it('now() is the current UTC time as SQL text', async () => {
    const v = (await valueOf(fresh().store, 'now()')) as string;
    expect(v).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(Math.abs(Date.parse(v.replace(' ', 'T') + 'Z') - Date.now())).toBeLessThan(60_000);
  });

  it('a malformed regular expression is the caller\'s mistake (bad_request), not a crash', async () => {
    const failure = await valueOf(fresh().store, `'abc' REGEXP ?`, ['[unclosed']).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(AppError);
    expect((failure as AppError).code).toBe('bad_request');
  });

  it.each(ROW_QUERIES)('$name', async ({ sql, params, expected }) => {
    const want = expected(ROWS);
    expect(want.length).toBeGreaterThan(1);
    expect(rounded(await fresh().store.query(sql, params))).toEqual(rounded(want));
  });
});

describe.runIf(mariadb)('SQLite answers as MariaDB does', () => {
  const sqlite = useSeededGratia(backends[0]!);
  const maria = useSeededGratia(mariadb!);

  const both = async (sql: string, params: SqlValue[] = []): Promise<[Row[], Row[]]> => [
    rounded(await sqlite().store.query(sql, params)),
    rounded(await maria().store.query(sql, params)),
  ];

  it('for every expression of the contract', async () => {
    for (const { expr, params } of EXPRESSION_CASES) {
      const [lite, real] = await both(`SELECT ${expr} AS v`, params);
      expect({ expr, v: lite[0]!.v }).toEqual({ expr, v: real[0]!.v });
    }
  });

  it('for every GraphTool query of the contract', async () => {
    for (const { name, sql, params } of ROW_QUERIES) {
      const [lite, real] = await both(sql, params);
      expect({ name, rows: lite }).toEqual({ name, rows: real });
    }
  });

  it('for date_format, the week specifiers and unix_timestamp on every day near 41 year ends', async () => {
    const sql = `SELECT date_format(?, '%a %D %j %U %u %V %v %X %x %W %w') AS f, unix_timestamp(?) AS u, from_unixtime(?) AS t, date(?) AS d`;
    for (let year = 1995; year <= 2035; year++) {
      for (let day = -10; day <= 10; day++) {
        const at = new Date(Date.UTC(year, 0, 1 + day, (year * 7 + day) % 24, 5, 7));
        const text = at.toISOString().slice(0, 19).replace('T', ' ');
        const [lite, real] = await both(sql, [text, text, at.getTime() / 1000, text]);
        expect({ text, ...lite[0] }).toEqual({ text, ...real[0] });
      }
    }
  });

  it('for truncate() over a spread of values and places', async () => {
    const values = [0, 1.15, -1.15, 2.675, 1234.5678, -1234.5678, 0.000123, 99999.99999, 1704114855 / 3600, 1e9 + 0.5];
    for (const v of values) {
      for (const places of [-3, -1, 0, 1, 2, 4]) {
        const [lite, real] = await both('SELECT truncate(?, ?) AS v', [v, places]);
        expect({ v, places, t: lite[0]!.v }).toEqual({ v, places, t: real[0]!.v });
      }
    }
  });
});
