/** GraphTool's own example configuration (unedited) loads from website.xml and its pirate queries run on an example.db made here. */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQueryEngine, queryEngineClassTypes, type QueryEngine } from '../../query-engine/index.js';
import { configErrors, formatIssue, loadConfig } from '../../grammar/index.js';
import { openStore } from '../../store/index.js';
import { removeTempDirs, tempDir } from '../support/temp-files.js';

const EXAMPLE = join(import.meta.dirname, '../../../shared/fixtures/graphtool-example');
const NOW = new Date(Date.UTC(2016, 5, 13, 12, 0, 0));
const WEEK = 7 * 86400;
const PIRATES = ['Blackbeard', 'Anne Bonny', 'Calico Jack'];

/** Hourly treasure over the last twelve weeks (and a week before them, which the queries must leave out). */
function treasure(): [number, number, number, number][] {
  const end = Math.floor(NOW.getTime() / 1000 / 3600) * 3600;
  const rows: [number, number, number, number][] = [];
  for (let t = end - 13 * WEEK, i = 0; t < end; t += 3600, i++) {
    const pirate = 1 + (i % PIRATES.length);
    rows.push([t, pirate, (i * 7) % 11, (i * 5) % 3]);
  }
  return rows;
}

/** What the pirate queries compute: per pirate, per week rounded as SQLite's round() does, summed over [start, now). */
function expected(column: 2 | 3): Map<string, Map<number, number>> {
  const start = NOW.getTime() / 1000 - 12 * WEEK;
  const out = new Map<string, Map<number, number>>();
  for (const row of treasure()) {
    if (row[0] < start || row[0] >= NOW.getTime() / 1000) continue;
    const name = PIRATES[row[1] - 1]!;
    const week = Math.round(row[0] / WEEK) * WEEK;
    const groups = out.get(name) ?? new Map<number, number>();
    groups.set(week, (groups.get(week) ?? 0) + row[column]);
    out.set(name, groups);
  }
  // GraphTool's parser drops zero values, then pivots left empty.
  for (const [name, groups] of out) {
    for (const [week, v] of groups) if (v === 0) groups.delete(week);
    if (groups.size === 0) out.delete(name);
  }
  return out;
}

let engine: QueryEngine;
let config: ReturnType<typeof loadConfig>;

beforeAll(async () => {
  const root = tempDir();
  const store = openStore({ interface: 'sqlite', file: join(root, 'example.db') });
  await store.execute('CREATE TABLE pirate (id INTEGER, name VARCHAR(100))');
  await store.execute('CREATE TABLE treasure (timebin INTEGER, pirate INTEGER, gold INTEGER, jewels INTEGER)');
  await store.insertMany('pirate', ['id', 'name'], PIRATES.map((n, i) => [i + 1, n]));
  await store.insertMany('treasure', ['timebin', 'pirate', 'gold', 'jewels'], treasure());
  await store.close();
  config = loadConfig(join(EXAMPLE, 'website.xml'), { classTypes: queryEngineClassTypes, env: { GRAPHTOOL_USER_ROOT: root } });
  engine = createQueryEngine({ config, clock: () => NOW });
});

afterAll(async () => {
  await engine.close();
  removeTempDirs();
});

describe("GraphTool's example", () => {
  it('loads website.xml and everything it imports, with no issues at all', () => {
    expect(config.issues.map(formatIssue)).toEqual([]);
    expect(configErrors(config)).toEqual([]);
    expect(config.files.map((f) => f.replace(`${EXAMPLE}/`, ''))).toEqual(['website.xml', 'example_graphs.xml', 'example_queries.xml', 'connection.xml']);
    expect(engine.queries().map((q) => [q.qualifiedName, q.displayName, q.title])).toEqual([
      ['GenericQuery.pirate_query', 'Example Queries', undefined],
      ['ExampleQueries.pirate_gold', 'Example Queries', 'Pirate Treasure - Amount of Gold'],
      ['ExampleQueries.pirate_jewels', 'Example Queries', 'Pirate Treasure - Amount of Jewels'],
    ]);
  });

  for (const [query, column] of [['pirate_gold', 2], ['pirate_jewels', 3]] as const) {
    it(`${query}: weekly sums per pirate over the last twelve weeks`, async () => {
      const r = await engine.runQuery(query);
      expect(r.error).toBeUndefined();
      expect(r.kind).toBe('pivot-group');
      if (r.data.kind !== 'pivot-group') throw new Error('expected pivot-group data');
      const got = new Map(r.data.pivots.map((p) => [p.pivot as string, new Map(p.groups.map((g) => [g.group as number, g.value as number]))]));
      expect(got).toEqual(expected(column));
      expect(r.metadata).toMatchObject({ graph_type: 'BasicStackedBar', pivot_name: 'Pirate', grouping_name: 'Time', column_units: column === 2 ? 'kg' : 'Jewels' });
      // span, starttime and endtime are eval inputs: numbers, bound as numbers.
      expect(r.params).toEqual([WEEK, WEEK, NOW.getTime() / 1000 - 12 * WEEK, NOW.getTime() / 1000, WEEK, WEEK]);
    });
  }

  it('takes a URL span as an expression, as GraphTool evaluated it', async () => {
    const r = await engine.runQuery('pirate_gold', { span: '2*7*86400' });
    expect(r.sqlVars.span).toEqual({ type: 'int', value: 2 * WEEK });
    expect(r.error).toBeUndefined();
  });
});
