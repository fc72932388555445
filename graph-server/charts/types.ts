/** What the charts take (a query result, declared narrowly here) and what they give (a Highcharts spec plus GraphTool's footer and a table). */
import type { Options } from 'highcharts';
import type { ResultData, ResultKind, TypedValue } from '../../query-engine/index.js';

/** Highcharts options as plain JSON: no functions, explicit colours, so the page and the image renderer draw the same chart. */
export type ChartOptions = Options;

/**
 * One run of a query, as the charts need it. The engine's `QueryResult` satisfies it structurally;
 * declared here so the charts depend on the shape, not on the engine.
 */
export interface ChartInput {
  name: string;
  kind: ResultKind;
  data: ResultData;
  /** The query's attributes (`graph_type`, `title`, `column_names`, ...) plus the results function's (`is_cumulative`, `span`, ...). */
  metadata: Record<string, unknown>;
  /** The typed `kind="sql"` inputs (`starttime`, `endtime`, `span`, ...). */
  sqlVars: Record<string, TypedValue>;
  /** Every typed query input. */
  inputs: Record<string, TypedValue>;
  /** The URL parameters as given. */
  given: Record<string, string>;
  /** The query's failure; the chart then shows it (GraphTool drew an error image). */
  error?: string;
}

/** One footer statistic (`Maximum: 1,234 Hours`); `value` is the number, the chart's caption shows it formatted. */
export interface FooterStat {
  label: string;
  value: number;
  unit: string;
}

/** The numbers behind the chart, for the page's table. */
export interface ChartTable {
  columns: string[];
  rows: (string | number | null)[][];
}

/** A chart ready to draw: `Highcharts.chart(el, spec.options)`. */
export interface ChartSpec {
  /** The graph type drawn (the query's `graph_type`, or what an unknown one fell back to). */
  graphType: string;
  /** The title's first line. */
  title: string;
  /** The title's further lines (`14 Days from 2012-05-22 to 2012-06-04`), `\n`-separated; empty when none. */
  subtitle: string;
  options: ChartOptions;
  footer: FooterStat[];
  table: ChartTable;
  /** No data to draw (GraphTool drew "No data returned by DB query."). */
  empty: boolean;
}

/** Options of `buildChart`. */
export interface BuildChartOptions {
  /** Stands in for `starttime`/`endtime` when a time graph's query has neither (GraphTool: the last 24 hours). Default: the current time. */
  now?: Date;
  /** Pivot name → colour from the stored registry, so a name has one colour on every graph (see `createPivotColorRegistry`). */
  colors?: ReadonlyMap<string, string>;
}
