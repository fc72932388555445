import { describe, expect, it } from 'vitest';
import { buildChart, prettyFloat, timeTitleLine } from '../../graph-server/charts/index.js';
import { DAY, START, int, pivotGroupResult, pivotResult } from './charts-samples.js';

describe('the time line under a time graph title (add_time_to_title)', () => {
  it('counts the range in spans, rounded up, with dates for ranges of a week or more', () => {
    expect(timeTitleLine(START, START + 14 * DAY - 1, DAY)).toBe('14 Days from 2012-05-22 to 2012-06-04');
  });
  it('formats hour spans to the minute and marks them UTC', () => {
    expect(timeTitleLine(START, START + 6 * 3600, 3600)).toBe('6 Hours from 2012-05-22 00:00 to 2012-05-22 06:00 UTC');
  });
  it('shows times of day only for ranges under 70 minutes', () => {
    expect(timeTitleLine(START, START + 1800, 600)).toBe('30 Minutes from 00:00:00 to 00:30:00 UTC');
    // Spans under 10 minutes count seconds.
    expect(timeTitleLine(START, START + 1800, 60)).toBe('1800 Seconds from 00:00:00 to 00:30:00 UTC');
  });
  it("names weeks as Week %U of %Y for ranges of seven weeks or more", () => {
    expect(timeTitleLine(START, START + 70 * DAY, 7 * DAY)).toBe('10 Weeks from Week 21 of 2012 to Week 31 of 2012');
    // 2012-01-01 was a Sunday, so week 1 began that day; 2012-05-22 is in week 21.
  });
  it('takes the unit from the span when there is one, else from the range', () => {
    expect(timeTitleLine(START, START + 3 * DAY, undefined)).toBe('72 Hours from 2012-05-22 00:00 to 2012-05-25 00:00 UTC');
  });
  it('reads span from the URL before the sql vars', () => {
    const r = pivotGroupResult({ cms: [1] }, { graph_type: 'GratiaStackedBar', title: 'T' });
    expect(buildChart(r, { span: '3600' }).subtitle).toBe('336 Hours from 2012-05-22 to 2012-06-04 UTC');
  });
  it('keeps a second title line of the query title above the time line', () => {
    const spec = buildChart(pivotGroupResult({ cms: [1] }, { graph_type: 'GratiaStackedBar', title: 'Hours\nby VO' }), {});
    expect([spec.title, spec.subtitle]).toEqual(['Hours', 'by VO\n14 Days from 2012-05-22 to 2012-06-04']);
  });
});

describe('pretty_float', () => {
  it('prints 2, 1 or 0 decimals by magnitude and comma-groups the integer part above 1000', () => {
    expect([0.123, 9.876, 12.34, 123.4, 999.6, 1234.9, 1234567.8].map(prettyFloat)).toEqual(['0.12', '9.88', '12.3', '123', '1000', '1,234', '1,234,567']);
  });
});

describe('bar footers', () => {
  it('GratiaBar: statistics over {time: value} with the starttime bin counted, Current the last bin', () => {
    const r = pivotResult({ [String(START + 2 * DAY)]: 4, [String(START + 3 * DAY)]: 8 }, { graph_type: 'GratiaBar' });
    // Bins from starttime to the last: 0, 0, 4, 8.
    expect(buildChart(r, {}).footer.map((f) => [f.label, f.value])).toEqual([
      ['Maximum', 8],
      ['Minimum', 0],
      ['Average', 3],
      ['Current', 8],
    ]);
  });
  it('falls back to the values as they are when bins are off the span grid', () => {
    const r = pivotGroupResult({}, { graph_type: 'GratiaStackedBar' });
    r.data = { kind: 'pivot-group', pivots: [{ pivot: 'cms', groups: [{ group: START + 100, value: 2 }, { group: START + DAY, value: 6 }] }] };
    // The starttime bin (0) stays, as in GraphTool's fallback: values 0, 2, 6.
    expect(buildChart(r, {}).footer.map((f) => [f.label, f.value])).toEqual([
      ['Maximum', 6],
      ['Minimum', 0],
      ['Average', 8 / 3],
      ['Current', 6],
    ]);
  });
  it('a float span (which Python range() refused) does not fill the bins', () => {
    const r = pivotGroupResult({ cms: [2, undefined, 6] }, { graph_type: 'GratiaStackedBar' });
    r.sqlVars = { ...r.sqlVars, span: { type: 'float', value: DAY } };
    expect(buildChart(r, {}).footer.find((f) => f.label === 'Minimum')?.value).toBe(2);
    r.sqlVars = { ...r.sqlVars, span: int(DAY) };
    expect(buildChart(r, {}).footer.find((f) => f.label === 'Minimum')?.value).toBe(0);
  });
});
