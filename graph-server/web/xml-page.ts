/**
 * GraphTool's XML URLs in a browser: the same run as an HTML page (title, the numbers, links to the data), since
 * Chromium is dropping XSLT; scripts (`*\/*`, XML, curl, wget, GraphTool clients) keep the XML byte for byte.
 */
import type { Request } from 'express';
import type { QueryInfo, QueryResult } from '../../query-engine/index.js';
import { prefersHtml } from '../errors.js';
import { queryString } from './request-params.js';
import { mountFor } from './site-catalog.js';
import type { PageChart } from './types.js';
import type { OutputKind, Website } from './website.js';

/** `?as=xml`: the XML itself, even for a browser (the page's own "XML" link); not a query parameter. */
export const XML_PARAM = 'as';

/** Whether an XML URL answers with the page: a browser's Accept (HTML above XML) and no `as=xml`. */
export function xmlAsPage(req: Request, params: Readonly<Record<string, string>>): boolean {
  return params[XML_PARAM]?.toLowerCase() !== 'xml' && prefersHtml(req);
}

export interface OutputLink {
  label: string;
  href: string;
  /** A file name for the `download` attribute (CSV, which the mount sends as an attachment). */
  download?: string;
}

const LABELS: Record<OutputKind, string> = { html: 'Interactive page', xml: 'XML', csv: 'CSV', json: 'JSON', graph: 'PNG' };

/** Links to the same run at each of `outputs` that a mount serves for `query`, with the parameters that ran. */
export function outputLinks(site: Website, query: QueryInfo, params: Readonly<Record<string, string>>, outputs: readonly OutputKind[]): OutputLink[] {
  const links: OutputLink[] = [];
  for (const output of outputs) {
    const mount = mountFor(site, output, query);
    if (!mount) continue;
    // From a page, "XML" must give the XML: the browser's Accept would bring the page back.
    const linkParams = output === 'xml' ? { ...params, [XML_PARAM]: 'xml' } : params;
    links.push({
      label: LABELS[output],
      href: `${mount.location}/${encodeURIComponent(query.name)}${queryString(linkParams)}`,
      // The CSV mount answers with Content-Disposition: attachment; `download` says so to the browser up front.
      ...(output === 'csv' ? { download: `${query.name.replace(/[^\w.-]/g, '_')}.csv` } : {}),
    });
  }
  return links;
}

/** The view model of `views/query-xml.hbs`. */
export function xmlPageModel(input: {
  query: QueryInfo;
  result: QueryResult;
  chart: PageChart;
  title: string;
  links: OutputLink[];
  section: { title: string; href: string };
}): Record<string, unknown> {
  const { query, result, chart } = input;
  return {
    title: input.title,
    crumbs: [input.section],
    query: { name: query.name, graphType: query.graphType },
    subtitle: chart.subtitle,
    error: result.error,
    table: chart.table,
    inputs: Object.entries(result.inputs).map(([name, v]) => ({ name, value: formatInput(v) })),
    links: input.links,
  };
}

function formatInput(v: { type: string; value: unknown }): string {
  return v.value instanceof Date ? `${v.value.toISOString().slice(0, 19).replace('T', ' ')} UTC` : String(v.value);
}
