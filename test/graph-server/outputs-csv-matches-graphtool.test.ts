/**
 * The CSV output is GraphTool's `CsvGenerator`, byte for byte.
 *
 * How the expected files were derived: by hand from csv_output.py. Header: pivot-group
 * `pivot_name,grouping_name,column_names` (defaults `Unknown Pivot`, `Unknown Grouping`; the raw
 * `column_names` text, spaces kept), pivot and complex-pivot `pivot_name,column_names` (pivot kind
 * default `Unknown Column`). Rows: `str(pivot)`, for pivot-group the group (`str()`, or
 * `strftime('%x %X')` in the C locale when `grouping_name` is time in any case), then
 * `','.join(str(v) for v in value)`; pivot-group groups and pivot-kind pivots sorted then reversed
 * (Python 2 ordering: numbers < str < tuple), complex-pivot in list order. Nothing is quoted.
 * The files were then checked against GraphTool's `CsvGenerator` run under CPython 2.7.18 on the same data.
 */
import { describe, expect, it } from 'vitest';
import { renderCsv } from '../../graph-server/outputs/index.js';
import { broken, expected, sitePie, siteVoTime, topUsers, voHours } from './outputs-samples.js';

describe('renderCsv', () => {
  it('writes pivot-group rows with epoch groups largest first and GraphTool default grouping name', () => {
    expect(renderCsv(voHours)).toBe(expected('csv-pivot-group-epoch.csv'));
  });

  it('writes Time groups as %x %X, tuple pivots as repr() and one cell per tuple element, unquoted', () => {
    expect(renderCsv(siteVoTime)).toBe(expected('csv-pivot-group-time-tuples.csv'));
  });

  it('sorts pivot-kind rows largest first in Python 2 order and defaults the column header', () => {
    expect(renderCsv(sitePie)).toBe(expected('csv-pivot.csv'));
  });

  it('keeps complex-pivot rows in list order, repeated pivots included', () => {
    expect(renderCsv(topUsers)).toBe(expected('csv-complex-pivot.csv'));
  });

  it('is the header alone for a failed query', () => {
    expect(renderCsv(broken)).toBe(expected('csv-error.csv'));
  });

  it('prints Unknown Pivot without a pivot_name', () => {
    const { pivot_name: _dropped, ...metadata } = topUsers.metadata;
    expect(renderCsv({ ...topUsers, metadata }).split('\n')[0]).toBe('Unknown Pivot,Hours,Jobs');
  });
});
