/** The options an image is drawn with: the chart's own, but sized, still, without buttons or credits, and with the footer statistics as a caption. */
import { describe, expect, it } from 'vitest';
import { footerText, imageChartOptions } from '../../graph-server/images/index.js';

const chart = {
  chart: { type: 'column', animation: true, width: 300, backgroundColor: '#fafafa' },
  title: { text: 'Wall hours by VO' },
  plotOptions: { column: { stacking: 'normal' }, series: { animation: { duration: 1000 }, borderWidth: 0 } },
  credits: { enabled: true, text: 'Highcharts.com' },
  exporting: { enabled: true, filename: 'x' },
  series: [{ name: 'atlas', data: [1, 2], color: '#2caffe' }],
};

describe('imageChartOptions', () => {
  it('sizes the chart to the image and turns off animation, credits, the export button and accessibility warnings', () => {
    const o = imageChartOptions({ options: chart, width: 640, height: 480 });
    expect(o.chart).toEqual({ type: 'column', animation: false, width: 640, height: 480, reflow: false, backgroundColor: '#fafafa' });
    expect(o.plotOptions).toEqual({ column: { stacking: 'normal' }, series: { animation: false, borderWidth: 0 } });
    expect(o.credits).toEqual({ enabled: false });
    expect(o.exporting).toEqual({ enabled: false, filename: 'x' });
    expect(o.accessibility).toEqual({ enabled: false });
    expect(o.series).toBe(chart.series);
    expect(o.caption).toBeUndefined();
  });

  it('leaves the input untouched', () => {
    const before = JSON.stringify(chart);
    imageChartOptions({ options: chart, width: 640, height: 480, footer: 'Total: 3' });
    expect(JSON.stringify(chart)).toBe(before);
  });

  it('draws the footer statistics as a left-aligned caption with explicit colour and size, numbers grouped with two decimals at most', () => {
    const o = imageChartOptions({
      options: chart,
      width: 800,
      height: 500,
      footer: [{ label: 'Maximum', value: '12,345.6', units: 'Hours' }, { label: 'Minimum', value: 0, units: 'Hours' }, 'Average: 6,000.1 Hours', { label: 'Current', value: 12345.678 }],
    });
    expect(o.caption).toEqual({
      text: 'Maximum: 12,345.6 Hours\u2003\u2003Minimum: 0 Hours\u2003\u2003Average: 6,000.1 Hours\u2003\u2003Current: 12,345.68',
      align: 'left',
      style: { color: '#333333', fontSize: '12px' },
    });
  });

  it('keeps a caption the chart sets itself', () => {
    const o = imageChartOptions({ options: { ...chart, caption: { text: 'from the chart' } }, width: 800, height: 500, footer: 'Total: 3' });
    expect(o.caption).toEqual({ text: 'from the chart' });
  });
});

describe('footerText', () => {
  it('escapes markup so a VO name cannot become caption formatting', () => {
    expect(footerText(['Maximum: <b>1</b> & more'])).toBe('Maximum: &lt;b&gt;1&lt;/b&gt; &amp; more');
    expect(footerText(' Total: 5 ')).toBe('Total: 5');
  });

  it('is empty without statistics', () => {
    expect(footerText(undefined)).toBe('');
    expect(footerText([])).toBe('');
    expect(footerText(['', ' '])).toBe('');
  });
});
