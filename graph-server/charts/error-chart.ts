/** The error and empty charts: GraphTool drew the error text in red, or "No data returned by DB query.", in place of the graph. */
import { baseOptions, escapeText } from './base-options.js';
import type { ChartSpec } from './types.js';

/** GraphTool's text for a graph without data. */
export const NO_DATA_TEXT = 'No data returned by DB query.';

/**
 * A chart that only says what went wrong (a query failure, a bad parameter, data a graph cannot
 * draw). `title` is the query's title when known; the message is drawn in red in the plot area.
 */
export function errorChart(message: string, params: Record<string, string> = {}, context: { title?: string; graphType?: string } = {}): ChartSpec {
  const title = context.title ?? params.title ?? '';
  const base = baseOptions({ type: 'line', title, subtitle: '', footer: [], legend: false });
  return {
    graphType: context.graphType ?? 'error',
    title,
    subtitle: message,
    options: {
      ...base,
      subtitle: {
        text: escapeText(message).replace(/\n/g, '<br/>'),
        verticalAlign: 'middle',
        style: { color: '#ff0000', fontSize: '13px' },
      },
      xAxis: { visible: false },
      yAxis: { visible: false },
      series: [],
    },
    footer: [],
    table: { columns: [], rows: [] },
    empty: true,
  };
}

/** A spec with nothing to draw keeps its title and says so, as GraphTool's empty image did. */
export function markEmpty(spec: ChartSpec): ChartSpec {
  if (!spec.empty) return spec;
  const subtitle = spec.subtitle ? `${spec.subtitle}\n${NO_DATA_TEXT}` : NO_DATA_TEXT;
  return {
    ...spec,
    subtitle,
    options: {
      ...spec.options,
      subtitle: { ...spec.options.subtitle, text: escapeText(subtitle).replace(/\n/g, '<br/>') },
    },
  };
}
