/** The options every chart shares: GraphTool's look (white, Lucida Grande, bold 14 px title), explicit colours everywhere, zoom, tooltips, clickable legend. */
import type { Options, XAxisOptions, YAxisOptions } from 'highcharts';
import type { ChartSettings } from './chart-settings.js';
import type { FooterStat } from './types.js';
import { footerText } from './statistics.js';

/** Text and line colours. Highcharts 13 paints its defaults with CSS variables, which image rasterisers and pages without Highcharts' CSS do not resolve. */
export const INK = {
  text: '#000000',
  muted: '#333333',
  hidden: '#b0b0b0',
  axis: '#555555',
  grid: '#e0e0e0',
  background: '#ffffff',
  border: '#000000',
} as const;

const FONT = '"Lucida Grande", "Lucida Sans Unicode", Verdana, Arial, Helvetica, sans-serif';

/** HTML-escapes text that Highcharts renders as markup (titles, captions, axis titles). */
export function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function axisLook(title: string): XAxisOptions & YAxisOptions {
  return {
    title: { text: title ? escapeText(title) : undefined, style: { color: INK.muted, fontSize: '11px' } },
    lineColor: INK.axis,
    lineWidth: 1,
    tickColor: INK.axis,
    gridLineColor: INK.grid,
    minorGridLineColor: INK.grid,
    labels: { style: { color: INK.muted, fontSize: '10px' } },
  };
}

/** An x-axis with explicit colours and an escaped title. */
export function xAxis(title: string, extra: XAxisOptions = {}): XAxisOptions {
  return { ...axisLook(title), ...extra };
}

/** A y-axis with explicit colours and an escaped title. */
export function yAxis(title: string, extra: YAxisOptions = {}): YAxisOptions {
  return { ...axisLook(title), ...extra };
}

/** The value axis: titled `ylabel`, logarithmic from 10^`log_ymin` with `log_yaxis`, else linear (from 0 unless `fromZero` is false). */
export function valueAxis(settings: Pick<ChartSettings, 'ylabel' | 'logY' | 'logYMin'>, fromZero = true): YAxisOptions {
  return yAxis(settings.ylabel, settings.logY ? { type: 'logarithmic', min: 10 ** settings.logYMin } : fromZero ? { min: 0 } : {});
}

/** What a chart adds to the shared look. */
export interface BaseParts {
  type: string;
  title: string;
  subtitle: string;
  footer: readonly FooterStat[];
  legend: boolean;
  /** Zoom direction (`x` for time graphs, `xy` for scatter, none for pies). */
  zoom?: 'x' | 'y' | 'xy';
  inverted?: boolean;
}

/** The shared options; a chart merges its axes, series and plot options over them. */
export function baseOptions(parts: BaseParts): Options {
  const caption = footerText(parts.footer);
  return {
    chart: {
      type: parts.type,
      styledMode: false,
      backgroundColor: INK.background,
      plotBorderColor: INK.axis,
      plotBackgroundColor: INK.background,
      inverted: parts.inverted ?? false,
      style: { fontFamily: FONT, color: INK.text },
      ...(parts.zoom
        ? {
            zooming: {
              type: parts.zoom,
              resetButton: {
                theme: {
                  fill: '#f7f7f7',
                  stroke: '#cccccc',
                  'stroke-width': 1,
                  r: 2,
                  style: { color: INK.text },
                  states: { hover: { fill: '#e6e6e6', style: { color: INK.text } } },
                },
              },
            },
          }
        : {}),
    },
    accessibility: { enabled: false },
    credits: { enabled: false },
    exporting: { enabled: false },
    time: { timezone: 'UTC' },
    title: { text: escapeText(parts.title), style: { color: INK.text, fontSize: '14px', fontWeight: 'bold' } },
    subtitle: {
      text: parts.subtitle ? escapeText(parts.subtitle).replace(/\n/g, '<br/>') : undefined,
      style: { color: INK.muted, fontSize: '10px' },
    },
    caption: { text: caption ? escapeText(caption) : undefined, align: 'center', style: { color: INK.text, fontSize: '11px' } },
    legend: {
      enabled: parts.legend,
      // GraphTool's legend had square colour boxes.
      symbolRadius: 0,
      backgroundColor: INK.background,
      borderColor: INK.background,
      itemStyle: { color: INK.muted, fontSize: '11px', fontWeight: 'normal' },
      itemHoverStyle: { color: INK.text },
      itemHiddenStyle: { color: INK.hidden },
      navigation: { activeColor: INK.muted, inactiveColor: INK.hidden, style: { color: INK.muted } },
      title: { style: { color: INK.text } },
    },
    tooltip: {
      backgroundColor: '#ffffff',
      borderColor: '#999999',
      style: { color: INK.text, fontSize: '11px' },
    },
    loading: { style: { backgroundColor: INK.background }, labelStyle: { color: INK.text } },
    plotOptions: {
      series: {
        animation: false,
        borderColor: INK.border,
        dataLabels: { style: { color: INK.text, textOutline: 'none' } },
        states: { inactive: { opacity: 0.4 } },
      },
    },
  };
}

/** A tooltip line for a series point: `● cms: 1,234.5 Hours`. */
export function pointFormat(unit: string, decimals = 2): string {
  const u = unit ? ` ${escapeText(unit)}` : '';
  return `<span style="color:{point.color}">\u25CF</span> {series.name}: <b>{point.y:,.${decimals}f}</b>${u}<br/>`;
}
