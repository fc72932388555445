/** What the data outputs render: a query result (declared here, produced by the query engine) and the index sections. */
import type { ResultData } from '../../query-engine/index.js';
import type { TypedValue } from '../../query-engine/index.js';

/**
 * One run of a query, as the outputs need it. Structurally the engine's `QueryResult`; declared
 * here so the outputs depend on the shape, not on the engine's module.
 */
export interface RenderableResult {
  /** The query's name (`vo_hours_bar_smry`). */
  name: string;
  className: string;
  displayName: string | undefined;
  kind: 'pivot-group' | 'pivot' | 'complex-pivot';
  data: ResultData;
  /** The query's attributes (`title`, `graph_type`, `pivot_name`, `column_names`, ...) plus the run-time keys. */
  metadata: Record<string, unknown>;
  /** The SQL with its fillers, binds left as `:name` (what GraphTool printed in `<sql>`). */
  sqlTemplate: string;
  /** The typed `kind="sql"` inputs. */
  sqlVars: Record<string, TypedValue>;
  /** Every typed query input. */
  inputs: Record<string, TypedValue>;
  /** The URL parameters as given. */
  given: Record<string, string>;
  sql: string;
  params: unknown[];
  /** Set when the query failed; `data` is then what the results function made of no rows. */
  error?: string;
}

/** Where the query page points: the XSL, the XML mount, the grapher. */
export interface QueryXmlOptions {
  /** The static content location, e.g. `/gratia/static/content`; the XSL is `${staticBaseUrl}/xml_results.xsl`. */
  staticBaseUrl: string;
  /** This XML mount, e.g. `/gratia/xml`. */
  baseUrl: string;
  /** The mount of a grapher that serves the query, e.g. `/gratia/bar_graphs`; without it there is no `<url>`. */
  graphUrl?: string;
}

/** Where the index page points. */
export interface IndexXmlOptions {
  staticBaseUrl: string;
  /** This XML mount; each page is `${baseUrl}/${query}`. */
  baseUrl: string;
}

/** One SqlQueries object of the index: its `display_name` and its queries in listing order. */
export interface IndexSection {
  /** The `display_name` attribute; GraphTool printed `Query` without one. */
  displayName: string | undefined;
  /** Each query's name and its `title` attribute (unexpanded; the name stands in without one). */
  queries: readonly { name: string; title: string | undefined }[];
}
