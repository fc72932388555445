/**
 * Contract: a GROUP BY name that two joined tables both have but that is also a select alias groups by the alias, as
 * MariaDB does (Gratia-web's rsv_metric_quality: `OIMM.name as name ... group by name, time`); a name that is one
 * table's column keeps grouping by the column, on both backends.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { groupByAliasAsPosition } from '../../store/sqlite/group-by-alias.js';
import { testBackends } from '../support/stores.js';
import { useFreshStore } from './support/fresh-store.js';

const num = (rows: Record<string, unknown>[]) => rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v])));

describe.each(testBackends())('GROUP BY a select alias on $name', (backend) => {
  const fresh = useFreshStore(backend, { per: 'suite' });

  beforeAll(async () => {
    const s = fresh().store;
    await s.execute('CREATE TABLE gba_metric (id INT, name VARCHAR(32))');
    await s.execute('CREATE TABLE gba_resource (id INT, name VARCHAR(32))');
    await s.execute('CREATE TABLE gba_data (resource_id INT, metric_id INT, t INT)');
    await s.insertMany('gba_metric', ['id', 'name'], [[1, 'ping'], [2, 'cert']]);
    await s.insertMany('gba_resource', ['id', 'name'], [[1, 'red'], [2, 'ucsd']]);
    await s.insertMany('gba_data', ['resource_id', 'metric_id', 't'], [[1, 1, 0], [2, 1, 0], [1, 2, 0], [1, 1, 7200]]);
  });

  it('groups by the alias when the joined tables make the name ambiguous', async () => {
    const rows = await fresh().store.query(
      `SELECT M.name as name, truncate(D.t/7200, 0)*7200 as time, count(*) AS n
       FROM gba_data D JOIN gba_resource R ON R.id = D.resource_id JOIN gba_metric M ON M.id = D.metric_id
       group by name, time ORDER BY name, time`,
    );
    expect(num(rows)).toEqual([{ name: 'cert', time: 0, n: 1 }, { name: 'ping', time: 0, n: 2 }, { name: 'ping', time: 7200, n: 1 }]);
  });

  it("groups by the column when only one table has it, though an alias shares its name", async () => {
    const rows = await fresh().store.query('SELECT length(name) AS name, count(*) AS n FROM gba_resource GROUP BY name ORDER BY n, name');
    expect(num(rows)).toEqual([{ name: 3, n: 1 }, { name: 4, n: 1 }]);
  });

  it("groups by a selected column's own name too (M.name), as MariaDB names its result column", async () => {
    const rows = await fresh().store.query('SELECT M.name, count(*) AS n FROM gba_data D JOIN gba_resource R ON R.id = D.resource_id JOIN gba_metric M ON M.id = D.metric_id GROUP BY name ORDER BY name');
    expect(num(rows)).toEqual([{ name: 'cert', n: 1 }, { name: 'ping', n: 3 }]);
  });

  it('still refuses an ambiguous name that no item of the SELECT has', async () => {
    await expect(fresh().store.query('SELECT count(*) AS n FROM gba_metric M JOIN gba_resource R ON R.id = M.id GROUP BY name')).rejects.toThrow(/ambiguous/i);
  });
});

describe('groupByAliasAsPosition', () => {
  it('rewrites only bare items of the GROUP BY whose own SELECT has the alias', () => {
    expect(groupByAliasAsPosition('SELECT a.x AS name, b FROM t GROUP BY name, b HAVING name > 1', 'name')).toBe('SELECT a.x AS name, b FROM t GROUP BY 1, b HAVING name > 1');
    expect(groupByAliasAsPosition('SELECT * FROM (SELECT a.x AS name FROM t GROUP BY name) s GROUP BY name', 'name')).toBe('SELECT * FROM (SELECT a.x AS name FROM t GROUP BY 1) s GROUP BY name');
    expect(groupByAliasAsPosition("SELECT a.name, 'GROUP BY name' FROM t GROUP BY a.name", 'name')).toBe("SELECT a.name, 'GROUP BY name' FROM t GROUP BY a.name");
  });
});
