/**
 * The JSON output: the appliance's own document (shape documented on `QueryJson`).
 *
 * How the expected files were derived: by hand from the samples and the documented shape: the
 * XML's title (expanded) and `<sqlvars>` set (datetimes as `YYYY-MM-DD HH:MM:SS` text, numbers as
 * numbers), `columns` paired from `column_names`/`column_units` (`[]` without names), tuple keys and
 * values as arrays, epoch groups as numbers whatever `grouping_name` says, groups largest first as
 * in the XML and CSV, values at full precision (not Python's 12-digit `str()`), `null` for None.
 * They are written pretty-printed; the output is compact, so both are compared after
 * `JSON.stringify(JSON.parse(...))`, which keeps key order and number spelling.
 */
import { describe, expect, it } from 'vitest';
import { renderJson } from '../../graph-server/outputs/index.js';
import { broken, expected, sitePie, siteVoTime, topUsers, voHours } from './outputs-samples.js';

function compact(file: string): string {
  return JSON.stringify(JSON.parse(expected(file)));
}

describe('renderJson', () => {
  it('gives pivot-group data with numeric epoch groups, largest first', () => {
    expect(renderJson(voHours)).toBe(compact('json-pivot-group-epoch.json'));
  });

  it('gives tuple pivots and tuple values as arrays and keeps Time groups numeric', () => {
    expect(renderJson(siteVoTime)).toBe(compact('json-pivot-group-time-tuples.json'));
  });

  it('gives pivot data in the results order with no columns when there are no column names', () => {
    expect(renderJson(sitePie)).toBe(compact('json-pivot.json'));
  });

  it('gives complex-pivot data in list order', () => {
    expect(renderJson(topUsers)).toBe(compact('json-complex-pivot.json'));
  });

  it('adds error only for a failed query', () => {
    expect(renderJson(broken)).toBe(compact('json-error.json'));
    expect(JSON.parse(renderJson(voHours))).not.toHaveProperty('error');
  });

  it('writes NaN and infinite values as null', () => {
    const r = { ...topUsers, data: { kind: 'complex-pivot' as const, entries: [{ pivot: 'x', value: [NaN, Infinity] }] } };
    expect(JSON.parse(renderJson(r))).toMatchObject({ data: [{ pivot: 'x', value: [null, null] }] });
  });
});
