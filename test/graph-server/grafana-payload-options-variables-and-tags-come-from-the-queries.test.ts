/** `/metric-payload-options`, `/variable`, `/tag-keys`, `/tag-values` and `/annotations`: choices and values from the queries' inputs and results. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueryResult } from '../../query-engine/index.js';
import { fixture, startDatasource, type DatasourceUnderTest } from './grafana-fixtures/datasource-under-test.js';

const RANGE = { starttime: '2024-03-01 00:00:00', endtime: '2024-03-14 23:59:59' };

let ds: DatasourceUnderTest;
beforeAll(async () => {
  ds = await startDatasource();
});
afterAll(() => ds?.close());

function pivots(r: QueryResult): string[] {
  expect(r.error).toBeUndefined();
  const keys = r.data.kind === 'pivot-group' ? r.data.pivots.map((p) => p.pivot) : r.data.entries.map((e) => e.pivot);
  return keys.map(String);
}

describe('POST /metric-payload-options', () => {
  it("span offers Gratia-web's four spans", async () => {
    const res = await ds.post('/metric-payload-options', fixture('simpod-0.6-metric-payload-options-span'));
    expect(res).toEqual({
      status: 200,
      json: [
        { label: 'Hourly (3600)', value: '3600' },
        { label: 'Daily (86400)', value: '86400' },
        { label: 'Weekly (604800)', value: '604800' },
        { label: 'Monthly (30 days) (2592000)', value: '2592000' },
      ],
    });
  });

  it("a regex filter offers the values the matching pie query finds (the VO pie's VOs for vo)", async () => {
    const res = await ds.post('/metric-payload-options', fixture('simpod-0.6-metric-payload-options-vo'));
    const vos = pivots(await ds.engine.runQuery('osg_vo_hours'));
    expect(vos.length).toBeGreaterThan(5);
    expect(res.json).toEqual(vos.map((v) => ({ label: v, value: v })));
  });

  it('an input with neither choices nor a matching pie has no options', async () => {
    const res = await ds.post('/metric-payload-options', { metric: 'vo_hours_bar_smry', payload: {}, name: 'role' });
    expect(res).toEqual({ status: 200, json: [] });
  });
});

describe('POST /variable (simPod ≥0.4)', () => {
  it('{payload: {target}} answers the pivots of the query over the range', async () => {
    const res = await ds.post('/variable', fixture('simpod-0.4-variable-object'));
    const facilities = pivots(await ds.engine.runQuery('osg_facility_hours', RANGE));
    expect(facilities.length).toBeGreaterThan(5);
    expect(res).toEqual({ status: 200, json: facilities.map((f) => ({ __text: f, __value: f })) });
  });

  it('a JSON-text payload passes its other keys as parameters (the VOs seen at one facility)', async () => {
    const res = await ds.post('/variable', fixture('simpod-0.6-variable-json-text'));
    const vos = pivots(await ds.engine.runQuery('vo_hours_bar_smry', { ...RANGE, span: '86400', facility: '^AGLT2$' }));
    const all = pivots(await ds.engine.runQuery('vo_hours_bar_smry', { ...RANGE, span: '86400' }));
    expect(vos.length).toBeGreaterThan(0);
    expect(vos.length).toBeLessThan(all.length);
    expect(res.json).toEqual(vos.map((v) => ({ __text: v, __value: v })));
  });

  it('a plain-text payload naming a tag key answers its values', async () => {
    const res = await ds.post('/variable', fixture('simpod-0.6-variable-plain-text'));
    const vos = pivots(await ds.engine.runQuery('osg_vo_hours'));
    expect(res.json).toEqual(vos.map((v) => ({ __text: v, __value: v })));
  });
});

describe('ad hoc filters', () => {
  it('POST /tag-keys lists the regex filter inputs of the queries, not the exclude- ones nor typed inputs', async () => {
    const res = await ds.post('/tag-keys', fixture('simpod-tag-keys'));
    expect(res.status).toBe(200);
    expect(res.json).toEqual(['facility', 'probe', 'user', 'vo', 'role', 'projectname', 'resource-type', 'grid'].map((text) => ({ type: 'string', text })));
  });

  it('POST /tag-values answers the values of a key from the pie query pivoting on it', async () => {
    const vo = await ds.post('/tag-values', fixture('simpod-tag-values'));
    expect(vo.json).toEqual(pivots(await ds.engine.runQuery('osg_vo_hours')).map((text) => ({ text })));
    const types = await ds.post('/tag-values', { key: 'resource-type' });
    expect(types.json).toEqual(pivots(await ds.engine.runQuery('resource_type_hours')).map((text) => ({ text })));
    expect((types.json as { text: string }[]).map((t) => t.text)).toEqual(expect.arrayContaining(['Batch', 'BatchPilot']));
  });

  it('a range narrows the values to what the range holds', async () => {
    const day = await ds.post('/tag-values', { key: 'facility', range: { from: '2024-03-14T00:00:00Z', to: '2024-03-14T23:59:59Z' } });
    const expected = pivots(await ds.engine.runQuery('osg_facility_hours', { starttime: '2024-03-14 00:00:00', endtime: '2024-03-14 23:59:59' }));
    expect(expected.length).toBeGreaterThan(0);
    expect(day.json).toEqual(expected.map((text) => ({ text })));
    // A year before the seed's 30 days there is nothing.
    const before = await ds.post('/tag-values', { key: 'facility', range: { from: '2023-03-01T00:00:00Z', to: '2023-03-14T23:59:59Z' } });
    expect(before).toEqual({ status: 200, json: [] });
  });
});

describe('POST /annotations', () => {
  it('answers no annotations to simple-json and simPod 0.2 (Gratia summaries hold no events)', async () => {
    expect(await ds.post('/annotations', fixture('simple-json-annotations'))).toEqual({ status: 200, json: [] });
    expect(await ds.post('/annotations', fixture('simpod-0.2-annotations'))).toEqual({ status: 200, json: [] });
  });
});
