/** Charts: a query result drawn as GraphTool drew its graph types, as Highcharts options for the page and the image renderer. */
import { AppError } from '../../common/index.js';
import { resolveSettings } from './chart-settings.js';
import { errorChart, markEmpty } from './error-chart.js';
import { builderFor } from './graph-types.js';
import type { BuildChartOptions, ChartInput, ChartSpec } from './types.js';

export { errorChart, NO_DATA_TEXT } from './error-chart.js';
export { GRAPH_TYPES } from './graph-types.js';
export { fixedPivotColor, pivotColor, pivotColors, qualityColor, slotColor } from './colors.js';
export type { BuildChartOptions, ChartInput, ChartOptions, ChartSpec, ChartTable, FooterStat } from './types.js';

/**
 * Draws a result as its `graph_type` says, with URL parameters overriding the graph options
 * (`title`, `column_names`, `span`, `log_yaxis`, ...). A failed query, or data the graph cannot
 * draw (a time graph whose groups are not times, say), gives an error chart instead.
 */
export function buildChart(result: ChartInput, params: Record<string, string>, opts: BuildChartOptions = {}): ChartSpec {
  const requested = typeof result.metadata.graph_type === 'string' ? result.metadata.graph_type : '';
  const { graphType, build } = builderFor(requested, result);
  const settings = { ...resolveSettings(result, params, graphType), ...(opts.colors ? { registeredColors: opts.colors } : {}) };
  if (result.error) return errorChart(result.error, params, { title: settings.title, graphType });
  try {
    return markEmpty(build(result, settings, opts.now ?? new Date()));
  } catch (err) {
    if (err instanceof AppError) return errorChart(err.message, params, { title: settings.title, graphType });
    throw err;
  }
}
export { prettyFloat } from './statistics.js';
export { timeTitleLine } from './time-title.js';
export { CHART_THEMES, DARK_INK, themedOptions } from './chart-theme.js';
export type { ChartTheme } from './chart-theme.js';
