/** Ready Grafana dashboards, one per section (a SqlQueries class with a `display_name`), one panel per query. */
import type { QueryInfo } from '../../query-engine/index.js';
import { listedQueries, metricName } from './metric-catalog.js';

/** The datasource plugins a dashboard can target; their targets differ a little. */
export const GRAFANA_PLUGINS = ['simpod-json-datasource', 'grafana-simple-json-datasource'] as const;
export type GrafanaPlugin = (typeof GRAFANA_PLUGINS)[number];

/** One dashboard the appliance offers. */
export interface DashboardSection {
  slug: string;
  title: string;
  className: string;
  queries: QueryInfo[];
}

/** A dashboard in Grafana's classic JSON model; typed loosely because Grafana's model is open-ended. */
export type DashboardJson = Record<string, unknown> & { uid: string; title: string; panels: Record<string, unknown>[] };

/** `Bar Graphs` → `bar-graphs`. */
export function slugify(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * The sections in definition order, each slugged by its `display_name` (by class name when two classes
 * share a display name, so every slug names one class).
 */
export function dashboardSections(infos: readonly QueryInfo[]): DashboardSection[] {
  const byClass = new Map<string, QueryInfo[]>();
  for (const q of listedQueries(infos)) byClass.set(q.className, [...(byClass.get(q.className) ?? []), q]);
  const sections = [...byClass].map(([className, queries]) => ({ className, queries, title: queries[0]?.displayName ?? className }));
  const titleSlugs = sections.map((s) => slugify(s.title));
  return sections.map((s, i) => {
    const shared = titleSlugs.filter((t) => t === titleSlugs[i]).length > 1;
    return { ...s, slug: shared ? slugify(s.className) : (titleSlugs[i] ?? slugify(s.className)) };
  });
}

/** The section a slug names: its own slug, or its class name's or display name's slug. */
export function findSection(sections: readonly DashboardSection[], slug: string): DashboardSection | undefined {
  const s = slugify(slug);
  return sections.find((x) => x.slug === s) ?? sections.find((x) => slugify(x.className) === s) ?? sections.find((x) => slugify(x.title) === s);
}

type PanelStyle = 'bars' | 'stacked-bars' | 'stacked-lines' | 'pie' | 'bar-gauge' | 'quality-map' | 'lines';

/** How GraphTool drew a graph type, in Grafana's terms (graphtool.md §4.2). */
function panelStyle(graphType: string | undefined): PanelStyle {
  const t = graphType ?? '';
  if (/pie/i.test(t)) return 'pie';
  if (t === 'QualityMap') return 'quality-map';
  if (/horizontal|qualitybar|histogram/i.test(t)) return 'bar-gauge';
  if (/cumulative|stackedline|gratiasize/i.test(t)) return 'stacked-lines';
  if (/stackedbar|gratiaopp/i.test(t)) return 'stacked-bars';
  if (/bar/i.test(t)) return 'bars';
  return 'lines';
}

const TOTALS_LEGEND = { showLegend: true, displayMode: 'table', placement: 'right' };

function panelBody(style: PanelStyle): { type: string; options: Record<string, unknown>; fieldConfig: Record<string, unknown>; table: boolean } {
  const allValues = { values: true, calcs: ['lastNotNull'], fields: '' };
  switch (style) {
    case 'pie':
      return {
        type: 'piechart',
        table: true,
        options: { reduceOptions: allValues, pieType: 'pie', legend: { ...TOTALS_LEGEND, values: ['value', 'percent'] }, tooltip: { mode: 'single' } },
        fieldConfig: { defaults: {}, overrides: [] },
      };
    case 'bar-gauge':
      return {
        type: 'bargauge',
        table: true,
        options: { reduceOptions: allValues, orientation: 'horizontal', displayMode: 'gradient', showUnfilled: true },
        fieldConfig: { defaults: {}, overrides: [] },
      };
    case 'quality-map':
      // GraphTool's QualityMap: pivots by time bins, red-yellow-green by percentage.
      return {
        type: 'status-history',
        table: false,
        options: { showValue: 'auto', legend: { showLegend: true }, tooltip: { mode: 'single' } },
        fieldConfig: { defaults: { min: 0, max: 100, unit: 'percent', color: { mode: 'continuous-RdYlGr' } }, overrides: [] },
      };
    default: {
      const bars = style === 'bars' || style === 'stacked-bars';
      const stacked = style !== 'bars' && style !== 'lines';
      return {
        type: 'timeseries',
        table: false,
        // GraphTool's footer statistics: Maximum, Minimum, Average, Current.
        options: { legend: { ...TOTALS_LEGEND, calcs: ['max', 'min', 'mean', 'lastNotNull'] }, tooltip: { mode: 'multi', sort: 'desc' } },
        fieldConfig: {
          defaults: {
            custom: {
              drawStyle: bars ? 'bars' : 'line',
              // A group is its bin's start, so a bar covers the time after it.
              barAlignment: 1,
              fillOpacity: bars ? 80 : stacked ? 30 : 0,
              lineWidth: 1,
              showPoints: 'never',
              stacking: { mode: stacked ? 'normal' : 'none', group: 'A' },
            },
          },
          overrides: [],
        },
      };
    }
  }
}

/**
 * The value unit for `column_units`: Grafana's percent for `%`, else the units as a custom suffix (`suffix:Hours`),
 * which prints the numbers as the query gives them, the way GraphTool's axis did, where Grafana's own time units would
 * turn 2,000 hours into weeks.
 */
export function grafanaUnit(columnUnits: string | undefined): string | undefined {
  const units = columnUnits?.trim();
  if (!units) return undefined;
  if (units === '%' || /^percent(age)?$/i.test(units)) return 'percent';
  return `suffix:${units}`;
}

/** GraphTool's value-axis label: `column_names [column_units]`, or whichever of the two there is. */
export function axisLabel(q: Pick<QueryInfo, 'columnNames' | 'columnUnits'>): string | undefined {
  if (q.columnNames && q.columnUnits) return `${q.columnNames} [${q.columnUnits}]`;
  return q.columnNames ?? (q.columnUnits ? `[${q.columnUnits}]` : undefined);
}

/** The panel's field defaults with the query's unit and, on a time-series panel, its axis label. */
function withUnits(fieldConfig: Record<string, unknown>, q: QueryInfo, timeSeries: boolean): Record<string, unknown> {
  const defaults = { ...(fieldConfig.defaults as Record<string, unknown>) };
  const unit = grafanaUnit(q.columnUnits);
  if (unit && defaults.unit === undefined) defaults.unit = unit;
  const label = axisLabel(q);
  if (timeSeries && label) defaults.custom = { ...(defaults.custom as Record<string, unknown>), axisLabel: label };
  return { ...fieldConfig, defaults };
}

function target(plugin: GrafanaPlugin, datasource: Record<string, string>, metric: string, table: boolean): Record<string, unknown> {
  if (plugin === 'grafana-simple-json-datasource') return { refId: 'A', datasource, target: metric, type: table ? 'table' : 'timeserie' };
  return { refId: 'A', datasource, target: metric, payload: {}, editorMode: 'builder', ...(table ? { format: 'table' } : {}) };
}

/**
 * A section's dashboard: one panel per query (stacked bars for GratiaStackedBar, stacked lines for the
 * cumulative types, a pie or bar gauge for pivot graphs), two per row. Every panel and the ad hoc filter
 * variable target the datasource through the `DS` variable (`${DS}`), so the file imports and provisions on
 * any Grafana that has a datasource of the plugin's type; the default time range is Gratia-web's 14 days.
 */
export function sectionDashboard(section: DashboardSection, infos: readonly QueryInfo[], plugin: GrafanaPlugin = 'simpod-json-datasource'): DashboardJson {
  const datasource = { type: plugin, uid: '${DS}' };
  const panels = section.queries.map((q, i) => {
    const body = panelBody(panelStyle(q.graphType));
    return {
      id: i + 1,
      type: body.type,
      title: q.title ?? q.name,
      description: `${q.qualifiedName} (${q.graphType ?? 'no graph_type'})`,
      gridPos: { x: (i % 2) * 12, y: Math.floor(i / 2) * 9, w: 12, h: 9 },
      datasource,
      targets: [target(plugin, datasource, metricName(q, infos), body.table)],
      options: body.options,
      fieldConfig: withUnits(body.fieldConfig, q, body.type === 'timeseries'),
    };
  });
  return {
    uid: `appliance-${section.slug}`.slice(0, 40),
    title: section.title,
    description: `The ${section.className} queries of the Fabric Appliance`,
    tags: ['fabric-appliance', 'gratia'],
    editable: true,
    graphTooltip: 1,
    schemaVersion: 39,
    version: 1,
    timezone: 'utc',
    time: { from: 'now-14d', to: 'now' },
    refresh: '',
    annotations: { list: [] },
    templating: {
      list: [
        { type: 'datasource', name: 'DS', label: 'Data source', query: plugin, current: {}, hide: 0, refresh: 1, regex: '', options: [] },
        { type: 'adhoc', name: 'Filters', label: 'Filters', datasource, filters: [], hide: 0 },
      ],
    },
    panels,
  };
}
