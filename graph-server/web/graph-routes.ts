/** The graph routes: every `website.xml` mount (XML, CSV, JSON, HTML pages, PNG/SVG graphs, static content) on one Express router. */
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { AppError, packageRoot, silentLogger, systemClock } from '../../common/index.js';
import { type QueryInfo, type QueryResult } from '../../query-engine/index.js';
import { closeNames, type ConfigIssue } from '../../grammar/index.js';
import { createTtlCache } from '../cache/index.js';
import { DARK_INK, themedOptions, type ChartTheme } from '../charts/index.js';
import { setRetryAfter, wantsHtml } from '../errors.js';
import { queryClientOf } from '../limits/index.js';
import { CHROMIUM_MISSING, imageSizeFromParams } from '../images/index.js';
import { renderCsv, renderIndexXml, renderJson, renderQueryXml } from '../outputs/index.js';
import { pivotLabels } from './pivot-labels.js';
import { formQueryParams, queryForm, queryFormFields } from './query-form.js';
import { requestParams, runKey, without } from './request-params.js';
import { displayTitle, mountFor, mountQueries, mountSections } from './site-catalog.js';
import { mountList, mountParents } from './mount-list.js';
import { outputLinks, XML_PARAM, xmlAsPage, xmlPageModel } from './xml-page.js';
import { labelledRoute } from '../http-metrics.js';
import { DEFAULT_IMAGE_CACHE_BYTES, type GraphRoutesOptions, type ImageFormat, type PageChart } from './types.js';
import { readWebsite, type QueryMount, type StaticMount, type Website } from './website.js';

/** A home-page section: a SqlQueries `display_name` with its queries by title, each linking to its page. */
export interface GraphSection {
  title: string;
  links: { title: string; href: string; note?: string }[];
}

export interface GraphRoutes {
  router: Router;
  /** The sections for the home page, from the queries the HTML (else XML) mounts serve. */
  sections(): GraphSection[];
  /** Mounts that are not served and why, each at its position (warnings). */
  issues: ConfigIssue[];
  /** The URL tree read from the configuration. */
  website: Website;
}

/** Graph parameters that size or format the image; they do not go to the query, so a page and its image share one run. */
const IMAGE_PARAMS = ['width', 'height', 'svg', 'theme'] as const;

/** Builds the router for every mount of `options.config`'s `WebHost` classes. */
export function createGraphRoutes<S extends PageChart>(options: GraphRoutesOptions<S>): GraphRoutes {
  const { config, engine, charts, images } = options;
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const website = readWebsite(config);
  const staticDir = options.staticDir ?? join(packageRoot(), 'views', 'static');
  const vendorBase = (options.vendorBase ?? '/gratia/vendor').replace(/\/+$/, '');
  // A failed run (database down, SQL error) is an answer for this request only: the next one asks the database again.
  const lookups = (cache: 'results' | 'images') => (options.onCacheLookup ? { onLookup: (o: 'hit' | 'miss' | 'shared') => options.onCacheLookup!(cache, o) } : {});
  const results = createTtlCache<QueryResult>({ ...options.cache, clock, cacheable: (r) => r.error === undefined, ...lookups('results') });
  const imageCache = createTtlCache<Buffer>({ ...options.cache, maxBytes: options.imageCacheBytes ?? DEFAULT_IMAGE_CACHE_BYTES, clock, ...lookups('images') });
  const router = Router();
  // Fixed for this URL tree: worked out once, not per request.
  const staticBaseUrl = staticBase(website);
  const guard = options.requireRead ?? ((_req: Request, _res: Response, next: NextFunction) => next());

  const displayNameOf = (className: string): string | undefined => {
    const attrs = (config.objects.get(className)?.value as { attributes?: Record<string, string> } | undefined)?.attributes;
    return attrs?.display_name;
  };

  // The limit counts runs, not requests: an answer from the cache, or one joining a run in progress, holds no slot.
  const run = (query: QueryInfo, params: Record<string, string>, req: Request): Promise<QueryResult> =>
    results.get(runKey(query.qualifiedName, params), () => {
      const work = () => engine.runQuery(query.qualifiedName, params);
      return options.limiter ? options.limiter.run(queryClientOf(req), work) : work();
    });

  /** The registry's colours for the result's pivots; a registry that cannot answer leaves the charts' hashed colours. */
  const colorsOf = async (result: QueryResult): Promise<ReadonlyMap<string, string> | undefined> => {
    if (!options.colors) return undefined;
    try {
      return await options.colors.colorsFor(pivotLabels(result));
    } catch (err) {
      logger.warn(`pivot colours for ${result.name} could not be read from the store; drawing with hashed colours`, { error: (err as Error).message });
      return undefined;
    }
  };

  const chartOf = async (result: QueryResult, params: Record<string, string>): Promise<S> => {
    const colors = await colorsOf(result);
    try {
      return charts.buildChart(result, params, { now: clock(), ...(colors ? { colors } : {}) });
    } catch (err) {
      // A chart that cannot be drawn is still an answer: say why in the chart, as GraphTool's error image did.
      logger.warn(`chart for ${result.name} failed`, { error: (err as Error).message });
      return charts.errorChart(`cannot draw this chart: ${(err as Error).message}`, params);
    }
  };
  // The chart's own caption already carries its footer statistics, as GraphTool printed them: no separate footer.
  const draw = (chart: S, size: { width: number; height: number }, format: ImageFormat, theme: ChartTheme = 'light'): Promise<Buffer> =>
    images!.render({ options: themedOptions(chart.options as Readonly<Record<string, unknown>>, theme), ...size }, format);

  // Which queries each mount serves: worked out on first use, as the engine's catalog is fixed for its life (a reload
  // builds new routes for a new engine).
  const servedByMount = new Map<QueryMount, Map<string, QueryInfo>>();
  const servedBy = (mount: QueryMount): Map<string, QueryInfo> => {
    let served = servedByMount.get(mount);
    if (!served) servedByMount.set(mount, (served = mountQueries(mount, engine.queries())));
    return served;
  };

  /** The mount's query named in the URL, or a 404 (a page for browsers) listing close names. */
  const findQuery = (mount: QueryMount, name: string, req: Request, res: Response): QueryInfo | undefined => {
    const served = servedBy(mount);
    const query = served.get(name);
    if (query) return query;
    const suggestions = closeNames(name, served.keys(), 5);
    const message = `no query "${name}" at ${mount.location}${suggestions.length ? `; did you mean ${suggestions.map((s) => `"${s}"`).join(', ')}?` : ''}`;
    if (wantsHtml(req)) {
      res.status(404).render('not-found', {
        title: 'Query not found', name, mount: mount.location, message,
        suggestions: suggestions.map((s) => ({ name: s, href: `${mount.location}/${encodeURIComponent(s)}` })),
        indexHref: `${mount.location}/`,
      });
      return undefined;
    }
    throw new AppError('not_found', message, { query: name, suggestions });
  };

  const serveIndex = (mount: QueryMount, req: Request, res: Response): void => {
    const sections = mountSections(mount, engine.queries(), displayNameOf);
    if (mount.output === 'xml') res.setHeader('Vary', 'Accept');
    if (mount.output === 'xml' && !xmlAsPage(req, requestParams(req.query))) {
      res.type(mount.contentType).send(renderIndexXml(
        sections.map((s) => ({ displayName: s.displayName, queries: s.queries.map((q) => ({ name: q.name, title: q.title })) })),
        { staticBaseUrl, baseUrl: mount.location },
      ));
    } else if (mount.output === 'json') {
      res.type(mount.contentType).send(JSON.stringify({
        sections: sections.map((s) => ({
          name: s.displayName ?? 'Query',
          queries: s.queries.map((q) => ({ name: q.name, title: q.title ?? q.name, url: `${mount.location}/${q.name}` })),
        })),
      }));
    } else {
      res.render('gratia-index', {
        title: mount.displayName ?? `Queries at ${mount.location}`,
        mount: mount.location,
        sections: sections.map((s) => ({
          name: s.displayName ?? s.className,
          queries: s.queries.map((q) => ({ name: q.name, title: displayTitle(q), graphType: q.graphType, href: `${mount.location}/${encodeURIComponent(q.name)}` })),
        })),
      });
    }
  };

  const serveData = async (mount: QueryMount, query: QueryInfo, req: Request, res: Response): Promise<void> => {
    const given = requestParams(req.query);
    // The XML mount answers a browser with a page of the same run, a script with the XML: caches must keep both.
    const page = mount.output === 'xml' && xmlAsPage(req, given);
    if (mount.output === 'xml') res.setHeader('Vary', 'Accept');
    const params = mount.output === 'xml' ? without(given, [XML_PARAM]) : given;
    let result: QueryResult;
    try {
      result = await run(query, params, req);
    } catch (err) {
      const answered = err instanceof AppError && (err.code === 'bad_request' || err.code === 'too_many_requests');
      if (answered && mount.output === 'xml' && !page) {
        setRetryAfter(res, err);
        res.status(err.httpStatus).type(mount.contentType).send(xmlError(err.message));
        return;
      }
      if (answered && mount.output === 'csv') {
        setRetryAfter(res, err);
        res.status(err.httpStatus).type('text/plain').send(`error: ${err.message}\n`);
        return;
      }
      throw err;
    }
    // A failed run answers with its error status on every output, so a script never reads it as data: the XML keeps
    // GraphTool's <error> body, the JSON its error field, and the CSV is the error line alone (its header row with no
    // data was read as zero usage).
    if (result.error !== undefined) res.status(result.errorStatus ?? 500);
    if (page) {
      const chart = await chartOf(result, params);
      res.render('query-xml', xmlPageModel({
        query, result, chart, title: (chart.title || displayTitle(query)),
        links: outputLinks(website, query, params, ['html', 'csv', 'json', 'xml', 'graph']),
        section: { title: mount.displayName ?? `Queries at ${mount.location}`, href: `${mount.location}/` },
      }));
      return;
    }
    if (result.error !== undefined && mount.output === 'csv') {
      res.type('text/plain').send(`error: ${result.error}\n`);
      return;
    }
    let body: string;
    if (mount.output === 'xml') {
      const grapher = mountFor(website, 'graph', query);
      body = renderQueryXml(result, { staticBaseUrl, baseUrl: mount.location, ...(grapher ? { graphUrl: grapher.location } : {}) });
    } else if (mount.output === 'csv') {
      body = renderCsv(result);
      // A browser saves it as a file named for the query; scripts read the body as before.
      res.setHeader('Content-Disposition', `attachment; filename="${query.name.replace(/[^\w.-]/g, '_')}.csv"`);
    }
    else body = renderJson(result);
    sendGenerated(res, mount.contentType, body);
  };

  const servePage = async (mount: QueryMount, query: QueryInfo, req: Request, res: Response): Promise<void> => {
    const given = requestParams(req.query);
    let params: Record<string, string>;
    let result: QueryResult | undefined;
    let badRequest: string | undefined;
    let badInput: string | undefined;
    try {
      params = formQueryParams(query, given);
      result = await run(query, params, req);
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'bad_request') throw err;
      params = given;
      badRequest = err.message;
      if (typeof err.context.input === 'string') badInput = err.context.input;
    }
    const chart = result ? await chartOf(result, params) : charts.errorChart(badRequest ?? 'bad request', params, { title: query.title ?? query.name });
    const links = outputLinks(website, query, params, ['xml', 'csv', 'json', 'graph']);
    const form = queryForm(queryFormFields(query, result?.inputs, given), badRequest === undefined ? undefined : { message: badRequest, ...(badInput ? { input: badInput } : {}) });
    res.status(badRequest ? 400 : result?.error !== undefined ? (result.errorStatus ?? 500) : 200).render('query', {
      title: chart.title || displayTitle(query),
      // The heading says what ran ("... for cms"), or, before a good run, the title with the inputs' defaults.
      query: { name: query.name, title: (result && chart.title) || displayTitle(query), graphType: query.graphType, section: displayNameOf(query.className) ?? query.className },
      action: `${mount.location}/${encodeURIComponent(query.name)}`,
      indexHref: `${mount.location}/`,
      crumbs: [{ title: mount.displayName ?? `Queries at ${mount.location}`, href: `${mount.location}/` }],
      form,
      chart: { title: chart.title, subtitle: chart.subtitle, footer: chart.footer, table: chart.table, empty: chart.empty },
      spec: chart,
      error: badRequest ?? result?.error,
      badRequest: badRequest !== undefined,
      links,
      vendor: `${vendorBase}/highcharts`,
      darkInk: DARK_INK,
    });
  };

  const serveImage = async (mount: QueryMount, query: QueryInfo, req: Request, res: Response): Promise<void> => {
    if (!images) throw new AppError('unavailable', CHROMIUM_MISSING);
    const given = requestParams(req.query);
    const format: ImageFormat = given.svg === '1' || given.svg?.toLowerCase() === 'true' ? 'svg' : 'png';
    const size = imageSizeFromParams(given);
    const theme = imageTheme(req, given.theme);
    // The answer depends on the browser's colour-scheme hint when the URL does not say: caches must keep both.
    res.setHeader('Vary', 'Sec-CH-Prefers-Color-Scheme');
    const params = without(given, IMAGE_PARAMS);
    const type = format === 'svg' ? 'image/svg+xml' : mount.contentType;
    let result: QueryResult;
    try {
      result = await run(query, params, req);
    } catch (err) {
      if (err instanceof AppError && err.code === 'too_many_requests') {
        // Drawing an error image would spend a Chromium render on a client already over its share: the status says it.
        setRetryAfter(res, err);
        res.status(err.httpStatus).type('text/plain').send(`error: ${err.message}\n`);
        return;
      }
      if (!(err instanceof AppError) || err.code !== 'bad_request') throw err;
      // An <img> shows no JSON: the image itself names the bad parameter, with the 400 status.
      res.status(400).type(type).send(await draw(charts.errorChart(err.message, params, { title: query.title ?? query.name }), size, format, theme));
      return;
    }
    const key = `${runKey(query.qualifiedName, params)}#${size.width}x${size.height}.${format}.${theme}`;
    const drawn = async () => draw(await chartOf(result, params), size, format, theme);
    // The error image of a failed run is drawn afresh, as its run is: nothing of a failure outlives its request.
    // A failed run's error image goes out with the failure's status (an <img> cannot show JSON; the status tells a script).
    if (result.error !== undefined) res.status(result.errorStatus ?? 500);
    res.type(type).send(result.error === undefined ? await imageCache.get(key, drawn) : await drawn());
  };

  const mountRouter = (mount: QueryMount): Router => {
    const r = Router();
    r.use(guard);
    r.get('/', (req, res) => serveIndex(mount, req, res));
    const runOne = async (req: Request, res: Response): Promise<void> => {
      const name = String(req.params.query);
      const query = findQuery(mount, name, req, res);
      if (!query) return;
      if (mount.output === 'html') await servePage(mount, query, req, res);
      else if (mount.output === 'graph') await serveImage(mount, query, req, res);
      else await serveData(mount, query, req, res);
    };
    r.get('/run/:query', runOne);
    r.get('/:query', runOne);
    return r;
  };

  router.use(`${vendorBase}/highcharts`, labelledRoute(`${vendorBase}/highcharts/*`, express.static(highchartsDir(), { maxAge: '1d', index: false })));
  for (const mount of website.queryMounts) router.use(mount.location, mountRouter(mount));
  for (const mount of website.staticMounts) mountStatic(router, mount, staticDir);
  for (const parent of mountParents(website)) {
    router.get(`${parent}/`, guard, (_req, res) => res.render('gratia-mounts', { title: 'Graphs', parent, ...mountList(website, parent, displayNameOf) }));
  }

  const sections = (): GraphSection[] => {
    const pages = website.queryMounts.find((m) => m.output === 'html') ?? website.queryMounts.find((m) => m.output === 'xml');
    if (!pages) return [];
    const merged = new Map<string, GraphSection>();
    for (const s of mountSections(pages, engine.queries(), displayNameOf)) {
      const title = s.displayName ?? s.className;
      const section = merged.get(title) ?? { title, links: [] };
      merged.set(title, section);
      for (const q of s.queries) {
        section.links.push({ title: displayTitle(q), href: `${pages.location}/${encodeURIComponent(q.name)}`, ...(q.graphType ? { note: q.graphType } : {}) });
      }
    }
    return [...merged.values()];
  };

  return { router, sections, issues: website.issues, website };
}

/**
 * A document made for this request (XML, CSV, JSON of one run), written straight to the socket. Unlike Express's
 * `send` it computes no ETag: that would hash every body of a run that is made afresh each time, and GraphTool sent
 * none either. Node leaves the body out of a HEAD answer; its length is still said.
 */
function sendGenerated(res: Response, contentType: string, body: string): void {
  res.setHeader('Content-Type', /;\s*charset=/i.test(contentType) ? contentType : `${contentType}; charset=utf-8`);
  const bytes = Buffer.from(body, 'utf8');
  res.setHeader('Content-Length', bytes.length);
  res.end(bytes);
}

/**
 * An image's theme: `theme=dark|light` in the URL, else the browser's `Sec-CH-Prefers-Color-Scheme` hint (sent once a
 * page of the appliance asked for it with `Accept-CH`), else light, GraphTool's white.
 */
function imageTheme(req: Request, given: string | undefined): ChartTheme {
  if (given !== undefined) {
    const t = given.trim().toLowerCase();
    if (t === 'dark' || t === 'light') return t;
    throw new AppError('bad_request', `input "theme": "${given}" must be light or dark`, { input: 'theme', value: given });
  }
  return /^"?dark"?$/i.test(String(req.headers['sec-ch-prefers-color-scheme'] ?? '').trim()) ? 'dark' : 'light';
}

function xmlError(message: string): string {
  const esc = message.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<graphtool>\n\t<error>${esc}</error>\n</graphtool>\n`;
}

/** Where the appliance's static files are served under a `graphtool.static_content` mount (`/gratia/static/content`). */
function staticMountHref(site: Website): string | undefined {
  for (const m of site.staticMounts) {
    const own = m.directories.find((d) => d.dir === null);
    if (own) return `${m.location}${own.urlPath}`;
  }
  return undefined;
}

/** GraphTool's `static_base_url` (the XSL's folder): the appliance's static mount, else the server's `/static`. */
function staticBase(site: Website): string {
  return staticMountHref(site) ?? '/static';
}

function mountStatic(router: Router, mount: StaticMount, staticDir: string): void {
  for (const d of mount.directories) {
    router.use(`${mount.location}${d.urlPath}`, labelledRoute(`${mount.location}${d.urlPath}/*`, express.static(d.dir ?? staticDir, { maxAge: '1h', index: false })));
  }
}

function highchartsDir(): string {
  return dirname(createRequire(import.meta.url).resolve('highcharts'));
}
