/** `/search` and `/metrics` list the queries of the sections in the shape each plugin version asks for; `GET /` answers the health check. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, startDatasource, type DatasourceUnderTest } from './grafana-fixtures/datasource-under-test.js';

let ds: DatasourceUnderTest;
let sectionQueries: string[];

beforeAll(async () => {
  ds = await startDatasource();
  sectionQueries = ds.engine.queries().filter((q) => q.displayName).map((q) => q.name);
});
afterAll(() => ds?.close());

describe('GET /', () => {
  it('answers 200 for "Save & test"', async () => {
    const res = await ds.get('/');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ status: 'ok', queries: sectionQueries.length });
  });

  it('answers CORS preflights for direct (browser) access', async () => {
    const res = await fetch(`${ds.url}/query`, { method: 'OPTIONS' });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-headers')).toContain('content-type');
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
  });
});

describe('POST /search (simple-json, simPod ≤0.5)', () => {
  it('an empty target lists every section query by name, and no base query', async () => {
    const res = await ds.post('/search', fixture('simple-json-search-all'));
    expect(res.status).toBe(200);
    expect(res.json).toEqual(sectionQueries);
    expect(res.json).not.toContain('master_summary');
    expect(sectionQueries.length).toBeGreaterThan(40);
  });

  it('a target filters by a part of the name or title, case-insensitively', async () => {
    const res = await ds.post('/search', fixture('simple-json-search'));
    const expected = ds.engine
      .queries()
      .filter((q) => q.displayName && `${q.name} ${q.displayName}: ${q.title}`.toLowerCase().includes('facility'))
      .map((q) => q.name);
    expect(res.json).toEqual(expected);
    expect(expected).toEqual(expect.arrayContaining(['facility_hours_bar_smry', 'osg_facility_hours', 'facility_success_cumulative_smry']));
    expect(expected).not.toContain('vo_hours_bar_smry');
  });

  it("simPod 0.2's query editor (with type) gets {text, value} pairs, value being the metric", async () => {
    const res = await ds.post('/search', fixture('simpod-0.2-search-query-editor'));
    expect(res.json).toEqual(
      ds.engine
        .queries()
        .filter((q) => q.displayName === 'Cumulative Graphs')
        .map((q) => ({ text: `Cumulative Graphs: ${q.title}`, value: q.name })),
    );
  });

  it('an absent body lists everything too', async () => {
    const res = await fetch(`${ds.url}/search`, { method: 'POST' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(sectionQueries);
  });
});

describe('POST /metrics (simPod ≥0.6)', () => {
  it('lists every metric with its label and payloads, whatever metric is selected', async () => {
    const first = await ds.post('/metrics', fixture('simpod-0.6-metrics-first-load'));
    const selected = await ds.post('/metrics', fixture('simpod-0.6-metrics-selected'));
    expect(first.status).toBe(200);
    // `metric` is the query builder's current choice; filtering by it would empty the metric dropdown.
    expect(selected.json).toEqual(first.json);
    const metrics = first.json as { value: string; label: string; payloads: { name: string; type: string; options?: unknown[] }[] }[];
    expect(metrics.map((m) => m.value)).toEqual(sectionQueries);
    const vo = metrics.find((m) => m.value === 'vo_hours_bar_smry')!;
    expect(vo.label).toBe('Bar Graphs: Hours Spent on Jobs By VO');
    const info = ds.engine.queries().find((q) => q.name === 'vo_hours_bar_smry')!;
    // The sql inputs, in declaration order; the configuration plumbing (sql_dynamic_modif_func) is not one.
    expect(vo.payloads.map((p) => p.name)).toEqual(info.inputs.filter((i) => i.kind === 'sql').map((i) => i.name));
    expect(vo.payloads.map((p) => p.name)).not.toContain('sql_dynamic_modif_func');
    expect(vo.payloads.find((p) => p.name === 'span')).toEqual({
      name: 'span',
      label: 'span',
      type: 'select',
      placeholder: 'from the panel interval',
      options: [
        { label: 'Hourly (3600)', value: '3600' },
        { label: 'Daily (86400)', value: '86400' },
        { label: 'Weekly (604800)', value: '604800' },
        { label: 'Monthly (30 days) (2592000)', value: '2592000' },
      ],
    });
    expect(vo.payloads.find((p) => p.name === 'vo')).toEqual({ name: 'vo', label: 'vo', type: 'input', placeholder: 'regex, default .*' });
    expect(vo.payloads.find((p) => p.name === 'includeFailed')?.options).toEqual([
      { label: 'true', value: 'true' },
      { label: 'false', value: 'false' },
    ]);
    expect(vo.payloads.find((p) => p.name === 'starttime')).toMatchObject({ type: 'input', placeholder: 'from the dashboard time range' });
  });

  it("keeps a query's own span selectable when it is none of the choices", async () => {
    const res = await ds.post('/metrics', {});
    const monthly = (res.json as { value: string; payloads: { name: string; options?: { value: string }[] }[] }[]).find((m) => m.value === 'monthly_vo_hours')!;
    expect(monthly.payloads.find((p) => p.name === 'span')?.options?.map((o) => o.value)).toEqual(['28*86400', '3600', '86400', '604800', '2592000']);
  });
});
