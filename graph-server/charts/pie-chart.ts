/** Pies (GratiaPie, PieGraph): absolute values, `(Sum: N units)` after the title, legend labels with each value. */
import type { Options } from 'highcharts';
import { baseOptions } from './base-options.js';
import type { ChartSettings } from './chart-settings.js';
import { pivotColors } from './colors.js';
import { pivotValues, sortValuesBySize, summarizeValues } from './pivot-data.js';
import { prettyFloat } from './statistics.js';
import { splitTitle, timeFrame } from './time-frame.js';
import type { ChartInput, ChartSpec } from './types.js';

/** Python 2's `round()`: halves away from zero. */
const pyRound = (x: number): number => Math.sign(x) * Math.round(Math.abs(x));

/**
 * The sum in the title. GraphTool truncated it, so shares adding up to 99.99999... (floating point) read 99; the sum is
 * first rounded to a millionth. Percentages show one decimal: shares of 100 % read "100.0 %", not "99.0" or "100".
 */
function pieSumText(sum: number, units: string): string {
  const clean = Math.round(sum * 1e6) / 1e6;
  if (units.trim() === '%') return (Math.round(clean * 10) / 10).toFixed(1);
  return prettyFloat(Math.trunc(clean));
}

/** How a pie is drawn: GratiaPie summarizes to `entries` and adds the time line; PieGraph does neither. */
export interface PieStyle {
  summarize: boolean;
  timeTitle: boolean;
}

/**
 * PieGraph.setup: the title gets ` (Sum: N units)` (N the truncated sum, pretty-printed), each
 * legend label `pivot (value)`; wedges show absolute values, largest first; a wedge's label only
 * when it is more than 10 % of the pie (`min_amount`).
 */
export function pieChart(result: ChartInput, settings: ChartSettings, now: Date, style: PieStyle): ChartSpec {
  const raw = pivotValues(result.data);
  const values = sortValuesBySize(style.summarize ? summarizeValues(raw, settings.entries) : raw);
  const sum = values.reduce((a, v) => a + v.value, 0);
  const units = settings.columnUnits;
  const sumText = pieSumText(sum, units);
  const titled = `${settings.title}${units ? ` (Sum: ${sumText} ${units})` : ` (Sum: ${sumText})`}`;
  const { title, subtitle } = style.timeTitle ? timeFrame(settings, [], now, titled) : splitTitle(titled);
  const base = baseOptions({ type: 'pie', title, subtitle, footer: [], legend: settings.legend && values.length > 0 });
  const colors = pivotColors(values.map((v) => v.label), settings.colorOverride, settings.registeredColors);
  const unitText = units ? ` ${units}` : '';
  const options: Options = {
    ...base,
    legend: { ...base.legend, labelFormat: '{custom.label}' },
    tooltip: { ...base.tooltip, headerFormat: '', pointFormat: `<b>{point.name}</b>: {point.y:,.2f}${unitText} ({point.percentage:.1f}%)` },
    plotOptions: {
      ...base.plotOptions,
      pie: {
        showInLegend: true,
        allowPointSelect: false,
        borderColor: '#000000',
        borderWidth: 0.5,
        dataLabels: {
          enabled: true,
          format: '{point.name}<br/>{point.y:,.0f}',
          filter: { property: 'percentage', operator: '>', value: 10 },
          style: { color: '#000000', textOutline: 'none', fontWeight: 'normal' },
          connectorColor: '#555555',
        },
      },
    },
    series: [
      {
        type: 'pie',
        name: settings.columnNames || settings.title || result.name,
        data: values.map((v) => ({
          name: v.label,
          y: Math.abs(v.value),
          color: colors.get(v.label),
          custom: { label: `${v.label} (${prettyFloat(pyRound(v.value))})` },
        })),
      },
    ],
  };
  return {
    graphType: settings.graphType,
    title,
    subtitle,
    options,
    footer: [],
    table: { columns: [settings.pivotName || 'Pivot', settings.columnNames || 'Value'], rows: sortValuesBySize(raw).map((v) => [v.label, v.value]) },
    empty: values.length === 0,
  };
}
