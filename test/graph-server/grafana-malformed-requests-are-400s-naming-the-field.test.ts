/** Requests no plugin version sends are refused with a 400 (or 404) whose message, the one Grafana shows, names the field. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDatasource, type DatasourceUnderTest } from './grafana-fixtures/datasource-under-test.js';

interface Case {
  path: string;
  body: unknown;
  status: number;
  message: string;
}

const CASES = JSON.parse(readFileSync(join(import.meta.dirname, 'grafana-fixtures/malformed-requests.json'), 'utf8')) as Case[];

let ds: DatasourceUnderTest;
beforeAll(async () => {
  ds = await startDatasource();
});
afterAll(() => ds?.close());

describe('malformed requests', () => {
  it.each(CASES.map((c) => [`${c.path} ${c.message}`, c] as const))('%s', async (_name, c) => {
    const res = await ds.post(c.path, c.body);
    expect(res.status).toBe(c.status);
    const body = res.json as { message: string; error: { code: string; message: string; field?: string } };
    expect(body.message.startsWith(c.message), body.message).toBe(true);
    expect(body.error.code).toBe('bad_request');
    expect(body.error.message).toBe(body.message);
  });

  it('an unknown query suggests close names', async () => {
    const res = await ds.post('/query', { targets: [{ refId: 'A', target: 'vo_hours_bar_smr' }] });
    expect(res.status).toBe(400);
    expect((res.json as { message: string }).message).toContain('did you mean "vo_hours_bar_smry"');
  });

  it('a bad input value names the input, as the engine does', async () => {
    const res = await ds.post('/query', { targets: [{ refId: 'A', target: 'vo_hours_bar_smry', payload: { span: 'daily' } }] });
    expect(res.status).toBe(400);
    expect((res.json as { message: string }).message).toMatch(/^targets\[0\]\.target: vo_hours_bar_smry: .*"span"/);
  });

  it('an unknown dashboard is a 404 listing the sections', async () => {
    const res = await ds.get('/dashboards/nope.json');
    expect(res.status).toBe(404);
    expect((res.json as { message: string }).message).toBe('no dashboard "nope.json"; the sections are bar-graphs.json, pie-charts.json, cumulative-graphs.json');
  });

  it('an unknown plugin for a dashboard names the parameter', async () => {
    const res = await ds.get('/dashboards/bar-graphs.json?plugin=infinity');
    expect(res.status).toBe(400);
    expect((res.json as { message: string }).message).toMatch(/^plugin: "infinity" is not one of simpod-json-datasource, grafana-simple-json-datasource/);
  });
});
