/** The Grafana JSON datasource: the union of the simple-json and simPod endpoints over the query engine, plus dashboards. */
import express, { type ErrorRequestHandler, type Request, type Response, type Router } from 'express';
import { AppError, silentLogger, systemClock, toSqlDateTime, type Clock, type Logger } from '../../common/index.js';
import type { QueryEngine, QueryInfo } from '../../query-engine/index.js';
import { clientError, errorJson, prefersHtml, setRetryAfter } from '../errors.js';
import { setupPage } from './setup-page.js';
import { queryClientOf, type QueryLimiter } from '../limits/index.js';
import { dashboardSections, findSection, GRAFANA_PLUGINS, sectionDashboard, type GrafanaPlugin } from './dashboards.js';
import { findQuery, fixedChoices, listedQueries, matchesSearch, metricConfig, metricLabel, metricName, tagKeys } from './metric-catalog.js';
import { targetParams, type TargetContext } from './query-params.js';
import { resultFrames, resultPivots, type Frame } from './query-frames.js';
import { badField, bodyObject, optionalText, readPayload, readQueryRequest, readRange, type QueryTarget, type TimeRange } from './request-fields.js';
import { createTagValues } from './tag-values.js';

/** What the datasource needs of the query engine. */
export type GrafanaEngine = Pick<QueryEngine, 'runQuery' | 'queries'>;

export interface GrafanaRouterOptions {
  engine: GrafanaEngine;
  /** Times each query for the debug log (default: the system clock). */
  clock?: Clock;
  logger?: Logger;
  /** Bounds each client's query runs at once (`/query`, `/variable`, tag values); default: no limit. */
  limiter?: QueryLimiter;
}

function rangeParams(range: TimeRange | undefined): Record<string, string> {
  return range ? { starttime: toSqlDateTime(range.from), endtime: toSqlDateTime(range.to) } : {};
}

// Always JSON, whatever the Accept header: Grafana shows `message` of an error body (toDataQueryError reads
// data.message, then data.error).
function sendError(res: Response, err: AppError): void {
  setRetryAfter(res, err);
  res.status(err.httpStatus).json(errorJson(err));
}

/**
 * The router to mount at `/grafana`. Endpoints (JSON bodies, POST unless noted):
 * - `GET /`: 200 `{status: 'ok', queries}` (the plugins' "Save & test").
 * - `/search`, `/metrics`: the listed queries (see {@link listedQueries}). `/search` answers names, or
 *   `{text, value}` when the request carries simPod 0.2's `type`, filtered by `target`; `/metrics` answers
 *   simPod's `{value, label, payloads}` (its `metric` is the current selection, so it does not filter).
 * - `/metric-payload-options`: the choices of one input (`{metric, name}`): spans, booleans, or a filter's values.
 * - `/query`: frames per target (see {@link resultFrames}); a bad request is a 400 naming the field, a failed query a 500.
 * - `/annotations`: `[]` (Gratia data has no events; simPod ≥0.3 annotations arrive at `/query` as targets).
 * - `/tag-keys`, `/tag-values`: the regex filter inputs and their values (ad hoc filters).
 * - `/variable`: `{payload: {target, ...params}}` → `[{__text, __value}]`, the pivots of a query (or a key's values).
 * - `GET /dashboards/`, `GET /dashboards/<section>.json[?plugin=grafana-simple-json-datasource]`: dashboards.
 */
export function createGrafanaRouter(options: GrafanaRouterOptions): Router {
  const { engine } = options;
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const router = express.Router();
  // Each client's runs count against its limit; a request's targets run one after another, so one slot each time.
  const limited = <T>(req: Request, work: () => Promise<T>): Promise<T> => (options.limiter ? options.limiter.run(queryClientOf(req), work) : work());
  const lookUpTagValues = createTagValues(engine);
  const tagValues = (req: Request, key: string, params: Readonly<Record<string, string>>): Promise<string[]> => limited(req, () => lookUpTagValues(key, params));

  router.use((req, res, next) => {
    // Grafana's "direct"/browser access needs CORS; server access (the default) ignores it.
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Access-Control-Allow-Headers', 'accept, content-type, authorization');
    res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
    if (req.method === 'OPTIONS') {
      res.status(204).end();
      return;
    }
    next();
  });
  router.use(express.json({ limit: '1mb' }));

  router.get('/', (req, res) => {
    // A person opening /grafana/ gets the set-up page; Grafana's "Save & test" (JSON, */*) gets its status.
    if (prefersHtml(req)) {
      res.render('grafana-setup', { title: 'Grafana', ...setupPage(req, engine.queries()) });
      return;
    }
    res.json({ status: 'ok', queries: listedQueries(engine.queries()).length });
  });

  function metricsHandler(req: Request, res: Response): void {
    const body = bodyObject(req.body);
    const infos = engine.queries();
    const text = optionalText(body, 'target') ?? '';
    const listed = listedQueries(infos).filter((q) => matchesSearch(q, text));
    if (req.path === '/metrics') res.json(listed.map((q) => metricConfig(q, infos)));
    else if (body.type !== undefined) res.json(listed.map((q) => ({ text: metricLabel(q), value: metricName(q, infos) })));
    else res.json(listed.map((q) => metricName(q, infos)));
  }
  router.post('/search', metricsHandler);
  router.post('/metrics', metricsHandler);

  function knownQuery(infos: readonly QueryInfo[], name: string | undefined, field: string): QueryInfo {
    if (!name) throw badField(field, 'missing: name a query');
    const info = findQuery(infos, name);
    if (!info) throw badField(field, `no query "${name}"; POST /metrics lists them`);
    return info;
  }

  router.post('/metric-payload-options', async (req, res) => {
    const body = bodyObject(req.body);
    const info = knownQuery(engine.queries(), optionalText(body, 'metric'), 'metric');
    const name = optionalText(body, 'name');
    if (!name) throw badField('name', 'missing: name a payload');
    if (!info.inputs.some((i) => i.name === name)) throw badField('name', `query "${info.name}" has no input "${name}"`);
    const fixed = fixedChoices(info, name);
    if (fixed) {
      res.json(fixed);
      return;
    }
    const values = await tagValues(req, name, rangeParams(readRange(body)));
    res.json(values.map((v) => ({ label: v, value: v })));
  });

  async function runTarget(req: Request, infos: readonly QueryInfo[], t: QueryTarget, ctx: TargetContext): Promise<Frame[]> {
    const info = findQuery(infos, t.target);
    const params = targetParams(info, ctx, t.payload);
    const started = clock().getTime();
    let result;
    try {
      result = await limited(req, () => engine.runQuery(t.target, params));
    } catch (err) {
      if (err instanceof AppError && (err.code === 'bad_request' || err.code === 'not_found')) {
        throw new AppError('bad_request', `${t.field}.target: ${t.target}: ${err.message}`, { ...err.context, field: `${t.field}.target` });
      }
      throw err;
    }
    logger.debug('grafana query', { query: t.target, refId: t.refId, ms: clock().getTime() - started, params });
    if (result.error !== undefined) {
      const code = result.errorStage === 'connection' ? 'unavailable' : 'internal';
      throw new AppError(code, `${t.refId}: ${t.target}: ${result.error}`, { refId: t.refId, query: t.target });
    }
    return resultFrames(result, { refId: t.refId, table: t.table });
  }

  router.post('/query', async (req, res) => {
    const request = readQueryRequest(req.body);
    const infos = engine.queries();
    const frames: Frame[] = [];
    // One after another: a panel's targets share the engine's connections, and the first failure answers.
    for (const t of request.targets) frames.push(...(await runTarget(req, infos, t, request)));
    res.json(frames);
  });

  router.post('/annotations', (req, res) => {
    bodyObject(req.body);
    res.json([]);
  });

  router.post('/tag-keys', (req, res) => {
    bodyObject(req.body);
    res.json(tagKeys(engine.queries()).map((key) => ({ type: 'string', text: key })));
  });

  router.post('/tag-values', async (req, res) => {
    const body = bodyObject(req.body);
    const key = optionalText(body, 'key');
    if (!key) throw badField('key', 'missing: name a tag key (POST /tag-keys lists them)');
    if (!tagKeys(engine.queries()).includes(key)) throw badField('key', `"${key}" is no filter of any query; POST /tag-keys lists them`);
    const values = await tagValues(req, key, rangeParams(readRange(body)));
    res.json(values.map((text) => ({ text })));
  });

  router.post('/variable', async (req, res) => {
    const body = bodyObject(req.body);
    // simPod sends the variable editor's text: `{target}` as an object, JSON text, or (format "string") plain text.
    let payload: Record<string, string>;
    if (typeof body.payload === 'string' && !body.payload.trim().startsWith('{')) payload = { target: body.payload.trim() };
    else if (body.payload === undefined && typeof body.target === 'string') payload = { target: body.target };
    else payload = readPayload(body.payload, 'payload');
    const { target, ...params } = payload;
    if (!target) throw badField('payload.target', 'missing: name a query (its pivots) or a tag key (its values)');
    const infos = engine.queries();
    const range = readRange(body);
    const info = findQuery(infos, target);
    let values: string[];
    if (info) {
      const result = await limited(req, () => engine.runQuery(target, targetParams(info, { range, intervalMs: undefined, maxDataPoints: undefined, filters: [] }, params)));
      if (result.error !== undefined) throw new AppError('internal', `${target}: ${result.error}`, { query: target });
      values = resultPivots(result.data);
    } else if (tagKeys(infos).includes(target)) {
      values = await tagValues(req, target, rangeParams(range));
    } else {
      throw badField('payload.target', `"${target}" is neither a query nor a tag key; POST /metrics and /tag-keys list them`);
    }
    res.json(values.map((v) => ({ __text: v, __value: v })));
  });

  router.get('/dashboards/', (req, res) => {
    const sections = dashboardSections(engine.queries());
    res.json(sections.map((s) => ({ slug: s.slug, title: s.title, className: s.className, panels: s.queries.length, url: `${req.baseUrl}/dashboards/${s.slug}.json` })));
  });

  router.get('/dashboards/:file', (req, res) => {
    const file = String(req.params.file);
    const plugin = typeof req.query.plugin === 'string' ? req.query.plugin : GRAFANA_PLUGINS[0];
    if (!(GRAFANA_PLUGINS as readonly string[]).includes(plugin)) throw badField('plugin', `"${plugin}" is not one of ${GRAFANA_PLUGINS.join(', ')}`);
    const infos = engine.queries();
    const sections = dashboardSections(infos);
    const section = findSection(sections, file.replace(/\.json$/, ''));
    if (!section) throw new AppError('not_found', `no dashboard "${file}"; the sections are ${sections.map((s) => `${s.slug}.json`).join(', ')}`);
    res.setHeader('Content-Disposition', `inline; filename="${section.slug}.json"`);
    res.json(sectionDashboard(section, infos, plugin as GrafanaPlugin));
  });

  const errors: ErrorRequestHandler = (err: unknown, req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    // Grafana shows `message`: a failed query's own error (which may quote its SQL) stays in the log.
    sendError(res, clientError(err, logger, { path: req.originalUrl.split('?')[0] }));
  };
  router.use(errors);
  return router;
}
