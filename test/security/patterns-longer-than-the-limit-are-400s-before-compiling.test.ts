/**
 * RE2 matches in linear time, but compiling is linear in the pattern on the event loop: an 800 KB `.*.*…` in a
 * Grafana payload (a JSON body, so not bounded by the URL) held the process 5 s, and an 800 KB alternation of words
 * became 100,000 SQL binds and a 500 ("too many SQL variables"). A pattern over 4096 characters is a 400 naming the
 * target and input, before anything is compiled or any SQL runs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compilePattern, MAX_PATTERN_CHARS } from '../../common/patterns.js';
import { startDatasource, type DatasourceUnderTest } from '../graph-server/grafana-fixtures/datasource-under-test.js';

const QUERY = 'vo_hours_bar_smry';
const range = { from: '2024-03-01T00:00:00Z', to: '2024-03-15T00:00:00Z' };

describe('compilePattern', () => {
  it('refuses a pattern over the limit with its length, and compiles one at the limit', () => {
    expect(() => compilePattern('a'.repeat(MAX_PATTERN_CHARS + 1), { input: 'vo' })).toThrow(
      `input "vo": the pattern is ${MAX_PATTERN_CHARS + 1} characters long; a pattern may have at most ${MAX_PATTERN_CHARS} (patterns use RE2 syntax)`,
    );
    expect(compilePattern('a'.repeat(MAX_PATTERN_CHARS), { input: 'vo' }).test('a'.repeat(MAX_PATTERN_CHARS))).toBe(true);
  });
});

describe('POST /grafana/query with an 800 KB pattern', () => {
  let ds: DatasourceUnderTest;
  beforeAll(async () => {
    ds = await startDatasource();
  }, 120_000);
  afterAll(() => ds?.close());

  it.each([
    ['.*.*… (slow to compile)', '.*'.repeat(400_000)],
    ['a list of 100,000 VOs (too many SQL binds)', Array.from({ length: 100_000 }, (_, i) => `vo${i}`).join('|')],
  ])('%s is a 400 naming the target and the input', async (_what, vo) => {
    const res = await ds.post('/query', { range, targets: [{ refId: 'A', target: QUERY, payload: { vo } }] });
    expect(res.status).toBe(400);
    const body = res.json as { message: string };
    expect(body.message).toBe(
      `targets[0].target: ${QUERY}: input "vo": the pattern is ${vo.length} characters long; a pattern may have at most ${MAX_PATTERN_CHARS} (patterns use RE2 syntax)`,
    );
  });
});
