/** The charts' dark theme: a real chart's frame colours (text, axes, grid, background) become DARK_INK's, its series and palette keep their colours, and light leaves the options as they are. */
import { describe, expect, it } from 'vitest';
import { buildChart, DARK_INK, themedOptions } from '../../graph-server/charts/index.js';
import { sampleFor } from './charts-samples.js';

describe('chart themes', () => {
  it('dark swaps the frame ink and keeps every data colour', () => {
    const chart = buildChart(sampleFor('GratiaStackedBar'), {});
    const options = chart.options as { chart: { backgroundColor: string }; title: { style: { color: string } }; series: { color?: string }[]; xAxis: { gridLineColor?: string } | { gridLineColor?: string }[] };
    const dark = themedOptions(options, 'dark');
    expect(dark.chart.backgroundColor).toBe(DARK_INK['#ffffff']);
    expect(dark.title.style.color).toBe(DARK_INK['#000000']);
    expect(dark.series).toEqual(options.series);
    expect(JSON.stringify({ ...dark, series: [] })).not.toMatch(/"(backgroundColor|color|lineColor|gridLineColor)":"#(ffffff|000000|333333|e0e0e0)"/i);
    expect(themedOptions(options, 'light')).toBe(options);
  });
});
