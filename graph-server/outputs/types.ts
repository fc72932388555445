/** What the data outputs render: a query result (declared here, produced by the query engine) and the index sections. */
import type { QueryResult } from '../../query-engine/index.js';

/**
 * One run of a query, as the outputs need it: the engine's result without its per-connection `runs` and
 * error stage, which no output prints.
 */
export type RenderableResult = Pick<
  QueryResult,
  'name' | 'className' | 'displayName' | 'kind' | 'data' | 'metadata' | 'sqlTemplate' | 'sqlVars' | 'inputs' | 'given' | 'sql' | 'params' | 'error'
>;

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
