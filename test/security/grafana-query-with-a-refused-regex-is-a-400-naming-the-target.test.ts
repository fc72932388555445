/** Grafana's /query with an invalid or backtracking-only regex (payload or ad hoc filter) is a 400 naming the target or filter. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDatasource, type DatasourceUnderTest } from '../graph-server/grafana-fixtures/datasource-under-test.js';

const QUERY = 'vo_hours_bar_smry';
const range = { from: '2024-03-01T00:00:00Z', to: '2024-03-15T00:00:00Z' };

let ds: DatasourceUnderTest;
beforeAll(async () => {
  ds = await startDatasource();
}, 120_000);
afterAll(() => ds?.close());

async function query(extra: Record<string, unknown>, payload: Record<string, string> = {}) {
  const res = await ds.post('/query', { range, targets: [{ refId: 'A', target: QUERY, payload }], ...extra });
  return { status: res.status, body: res.json as { message: string; error: { code: string; field?: string } } };
}

describe('POST /grafana/query with a refused regular expression', () => {
  it('an invalid payload regex is a 400 naming the target and the input, not a 500', async () => {
    const { status, body } = await query({}, { vo: '(unclosed' });
    expect(status).toBe(400);
    expect(body.message).toBe(
      `targets[0].target: ${QUERY}: input "vo": "(unclosed" is not a valid regular expression: missing closing ) (patterns use RE2 syntax)`,
    );
    expect(body.error.code).toBe('bad_request');
  });

  it('a backreference in the payload is a 400 naming the feature', async () => {
    const { status, body } = await query({}, { user: '(cms)\\1' });
    expect(status).toBe(400);
    expect(body.message).toBe(`targets[0].target: ${QUERY}: input "user": backreference \\1 is not supported (patterns use RE2 syntax)`);
  });

  it('a lookahead in an ad hoc filter is a 400 naming the filter', async () => {
    const { status, body } = await query({ adhocFilters: [{ key: 'vo', operator: '=~', value: '(?=c)cms' }] });
    expect(status).toBe(400);
    expect(body.message).toBe('adhocFilters[0]: vo =~ "(?=c)cms": lookahead (?= is not supported (patterns use RE2 syntax)');
    expect(body.error.field).toBe('adhocFilters[0]');
  });

  it('an invalid negative filter is a 400 naming the filter too', async () => {
    const { status, body } = await query({ filters: [{ key: 'vo', operator: '!~', value: '[' }] });
    expect(status).toBe(400);
    expect(body.message).toMatch(/^filters\[0\]: vo !~ "\[": "\[" is not a valid regular expression: missing closing \]/);
  });

  it('a hostile but valid regex answers promptly with frames', async () => {
    const started = Date.now();
    const res = await ds.post('/query', { range, targets: [{ refId: 'A', target: QUERY, payload: { user: '(.*){40}Z' } }] });
    expect(res.status).toBe(200);
    expect(Array.isArray(res.json)).toBe(true);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
