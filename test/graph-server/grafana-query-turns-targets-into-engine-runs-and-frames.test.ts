/** `/query`: every plugin version's request runs the engine with the range, span, payload and ad hoc filters, and answers its numbers as series or tables. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueryResult } from '../../query-engine/index.js';
import { spanFor } from '../../graph-server/grafana/query-params.js';
import { fixture, startDatasource, type DatasourceUnderTest } from './grafana-fixtures/datasource-under-test.js';

interface Series {
  target: string;
  refId: string;
  datapoints: [number | null, number][];
}
interface Table {
  type: 'table';
  refId: string;
  columns: { text: string; type: string }[];
  rows: (string | number | null)[][];
}

/** The fixtures' range as the engine takes it. */
const RANGE = { starttime: '2024-03-01 00:00:00', endtime: '2024-03-14 23:59:59' };

let ds: DatasourceUnderTest;
beforeAll(async () => {
  ds = await startDatasource();
});
afterAll(() => ds?.close());

/** The series the engine's own result makes: one per pivot, its groups ascending, epoch ms. */
function expectedSeries(r: QueryResult, refId: string): Series[] {
  if (r.data.kind !== 'pivot-group') throw new Error('expected pivot-group data');
  return r.data.pivots.map((p) => ({
    target: String(p.pivot),
    refId,
    datapoints: [...p.groups].sort((a, b) => (a.group as number) - (b.group as number)).map((g) => [g.value as number, (g.group as number) * 1000]),
  }));
}

async function run(name: string, params: Record<string, string>): Promise<QueryResult> {
  const r = await ds.engine.runQuery(name, params);
  expect(r.error).toBeUndefined();
  return r;
}

describe('simple-json', () => {
  it('a timeserie target is one series per pivot with the engine numbers over the dashboard range, daily for 14 days; hidden targets are dropped', async () => {
    const res = await ds.post('/query', fixture('simple-json-query-timeserie'));
    expect(res.status).toBe(200);
    const series = res.json as Series[];
    const engine = await run('vo_hours_bar_smry', { ...RANGE, span: '86400' });
    expect(series).toEqual(expectedSeries(engine, 'A'));
    expect(series.length).toBeGreaterThan(10);
    for (const s of series) {
      const times = s.datapoints.map((d) => d[1]);
      expect(times).toEqual([...times].sort((a, b) => a - b));
      expect(times.every((t) => t >= Date.UTC(2024, 2, 1) && t < Date.UTC(2024, 2, 15) && t % 86_400_000 === 0)).toBe(true);
    }
    expect(series.every((s) => s.refId === 'A')).toBe(true);
  });

  it('a table target gives the pivot-group as one long table (Time, pivot, value) and a pivot query as (pivot, value)', async () => {
    const res = await ds.post('/query', fixture('simple-json-query-table'));
    expect(res.status).toBe(200);
    const [bars, pie] = res.json as Table[];
    const engineBars = await run('vo_hours_bar_smry', { ...RANGE, span: '86400' });
    expect(bars!.columns).toEqual([
      { text: 'Time', type: 'time' },
      { text: 'VO', type: 'string' },
      { text: 'Wall Time', type: 'number' },
    ]);
    const fromSeries = expectedSeries(engineBars, 'A').flatMap((s) => s.datapoints.map(([v, t]) => [t, s.target, v]));
    expect([...bars!.rows].sort((a, b) => (a[0] as number) - (b[0] as number) || String(a[1]).localeCompare(String(b[1])))).toEqual(
      fromSeries.sort((a, b) => (a[0] as number) - (b[0] as number) || String(a[1]).localeCompare(String(b[1]))),
    );
    expect(bars!.rows.map((r) => r[0])).toEqual(bars!.rows.map((r) => r[0]).sort((a, b) => (a as number) - (b as number)));

    const enginePie = await run('osg_vo_hours', RANGE);
    if (enginePie.data.kind !== 'pivot') throw new Error('expected pivot data');
    expect(pie).toEqual({
      type: 'table',
      refId: 'B',
      columns: [
        { text: 'VO', type: 'string' },
        { text: 'Wall Time', type: 'number' },
      ],
      rows: enginePie.data.entries.map((e) => [e.pivot, e.value]),
    });
  });
});

describe('simPod', () => {
  it('0.2: the data object is parameters (a span of its own, a VO regex); a placeholder target without a metric is skipped', async () => {
    const res = await ds.post('/query', fixture('simpod-0.2-query-data'));
    expect(res.status).toBe(200);
    const engine = await run('vo_hours_bar_smry', { ...RANGE, span: '604800', vo: 'cms|atlas' });
    expect(res.json).toEqual(expectedSeries(engine, 'A'));
    expect((res.json as Series[]).map((s) => s.target).sort()).toEqual(['atlas', 'cms']);
  });

  it('0.3: the whole DataQueryRequest; a multi-select payload is a regex of alternatives, an ad hoc =~ filter sets its input', async () => {
    const res = await ds.post('/query', fixture('simpod-0.3-query-request'));
    expect(res.status).toBe(200);
    const engine = await run('facility_hours_bar_smry', { ...RANGE, span: '86400', vo: 'cms|atlas', facility: '^(AGLT2|MWT2)$' });
    expect(res.json).toEqual(expectedSeries(engine, 'A'));
    expect((res.json as Series[]).map((s) => s.target).sort()).toEqual(['AGLT2', 'MWT2']);
  });

  it('0.6 code mode: the payload is JSON text, the metric Class.query; cumulative series never fall', async () => {
    const res = await ds.post('/query', fixture('simpod-0.6-query-code-mode'));
    expect(res.status).toBe(200);
    const engine = await run('GratiaCumulativeQueries.vo_success_cumulative_smry', { ...RANGE, span: '604800', includeFailed: 'false' });
    const series = res.json as Series[];
    expect(series).toEqual(expectedSeries(engine, 'A'));
    for (const s of series) {
      const values = s.datapoints.map((d) => d[0] as number);
      expect(values).toEqual([...values].sort((a, b) => a - b));
    }
  });

  it('0.6.4: native filters; != and !~ add to exclude-vo (keeping its default), a key the query lacks is ignored', async () => {
    const res = await ds.post('/query', fixture('simpod-0.6.4-query-filters'));
    expect(res.status).toBe(200);
    const engine = await run('osg_vo_hours', { ...RANGE, 'exclude-vo': 'Unknown|unknown|other|atlas|^c' });
    if (engine.data.kind !== 'pivot') throw new Error('expected pivot data');
    const [table] = res.json as Table[];
    expect(table!.rows).toEqual(engine.data.entries.map((e) => [e.pivot, e.value]));
    const vos = table!.rows.map((r) => r[0] as string);
    expect(vos).not.toContain('atlas');
    expect(vos.filter((v) => v.startsWith('c'))).toEqual([]);
    expect(vos.length).toBeGreaterThan(5);
  });
});

describe('ad hoc filters', () => {
  const body = (filters: unknown[]) => ({
    range: { from: '2024-03-01T00:00:00.000Z', to: '2024-03-14T23:59:59.999Z' },
    // min_hours 0: enmr.eu has fewer than the default 10 hours in the seed.
    targets: [{ refId: 'A', target: 'osg_vo_hours', payload: { min_hours: 0 } }],
    adhocFilters: filters,
  });
  const vos = async (filters: unknown[]) => {
    const res = await ds.post('/query', body(filters));
    expect(res.status).toBe(200);
    return (res.json as Table[])[0]!.rows.map((r) => r[0]);
  };

  it('= matches the whole value, dots and all', async () => {
    expect(await vos([{ key: 'vo', operator: '=', value: 'enmr.eu' }])).toEqual(['enmr.eu']);
    expect(await vos([{ key: 'vo', operator: '=', value: 'enmr' }])).toEqual([]);
  });

  it('=| (one of) matches any of its values exactly; !=| excludes them', async () => {
    expect(await vos([{ key: 'vo', operator: '=|', value: '', values: ['cms', 'enmr.eu'] }])).toEqual(['cms', 'enmr.eu']);
    const all = await vos([]);
    expect(await vos([{ key: 'vo', operator: '!=|', value: '', values: ['cms', 'enmr.eu'] }])).toEqual(all.filter((v) => v !== 'cms' && v !== 'enmr.eu'));
  });
});

describe('the span', () => {
  const range = (days: number) => ({ from: new Date(Date.UTC(2024, 2, 15) - days * 86_400_000), to: new Date(Date.UTC(2024, 2, 15)) });

  it("is Gratia-web's choice for the range length", () => {
    expect(spanFor(range(2), undefined, undefined)).toBe(3600);
    expect(spanFor(range(14), 60_000, 1000)).toBe(86400);
    expect(spanFor(range(90), undefined, undefined)).toBe(604800);
    expect(spanFor(range(730), undefined, undefined)).toBe(2592000);
  });

  it('grows when the panel interval or its point budget asks for fewer bins', () => {
    expect(spanFor(range(2), 2 * 3600_000, undefined)).toBe(86400);
    expect(spanFor(range(14), undefined, 10)).toBe(604800);
    expect(spanFor(range(730), undefined, 5)).toBe(2592000);
  });

  it('an hourly range reaches the engine as span 3600', async () => {
    const res = await ds.post('/query', {
      range: { from: '2024-03-13T00:00:00.000Z', to: '2024-03-14T23:59:59.000Z' },
      intervalMs: 60_000,
      maxDataPoints: 1000,
      targets: [{ refId: 'A', target: 'vo_job_cnt' }],
    });
    expect(res.status).toBe(200);
    const engine = await run('vo_job_cnt', { starttime: '2024-03-13 00:00:00', endtime: '2024-03-14 23:59:59', span: '3600' });
    expect(res.json).toEqual(expectedSeries(engine, 'A'));
  });
});

describe('answers', () => {
  it('no visible target: an empty list', async () => {
    const res = await ds.post('/query', { targets: [{ refId: 'A', hide: true, target: 'vo_hours_bar_smry' }, { refId: 'B' }] });
    expect(res).toEqual({ status: 200, json: [] });
  });

  it('without a range the query keeps its own default range', async () => {
    const res = await ds.post('/query', { targets: [{ refId: 'A', target: 'osg_vo_count' }] });
    const engine = await run('osg_vo_count', {});
    if (engine.data.kind !== 'pivot') throw new Error('expected pivot data');
    expect((res.json as Table[])[0]!.rows).toEqual(engine.data.entries.map((e) => [e.pivot, e.value]));
  });

  it('a query that fails in the database is a 500 naming the target, not the SQL error', async () => {
    // The base query is a template its children complete; run alone its SQL is incomplete.
    const res = await ds.post('/query', { targets: [{ refId: 'Q', target: 'master_summary' }] });
    expect(res.status).toBe(500);
    const body = res.json as { message: string; error: { code: string; message: string } };
    expect(body.message).toBe('internal error; the appliance log has the details');
    expect(JSON.stringify(body)).not.toMatch(/SQL|SELECT/);
    expect(body.error).toMatchObject({ code: 'internal', message: body.message, refId: 'Q', query: 'master_summary' });
  });
});
