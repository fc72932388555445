/** The appliance's Express app: health, home, metrics, configuration reload, and the routers of every stage. */
import express, { type Express, type RequestHandler, type Router } from 'express';
import { join } from 'node:path';
import type { Registry } from 'prom-client';
import { type Logger } from '../common/index.js';
import { errorHandler, notFound } from './errors.js';
import { hostCheck } from './host-check.js';
import { listenWithLimits } from './http-listener.js';
import { defaultHttpServerSettings, type HttpServerSettings } from './http-settings.js';
import { httpMetrics, labelledRoute } from './http-metrics.js';
import { APPLIANCE_NAV, navigation, type NavSection } from './nav.js';
import { useHandlebarsViews } from './view-engine.js';

/** What the server needs of access control (declared here, implemented by `access/`). */
export interface AccessGate {
  authenticate: RequestHandler;
  csrf: RequestHandler;
  requireRead: RequestHandler;
  requireRole(role: 'viewer' | 'operator' | 'admin'): RequestHandler;
  router(): Router;
}

export interface HomeSection {
  title: string;
  links: { title: string; href: string; note?: string }[];
}

export interface ReloadOutcome {
  applied: boolean;
  /** Every problem found, as `file:line:col: message`, or why the part named in `failed` could not apply it. */
  issues: string[];
  /** The part whose apply failed (the parts applied before it were rolled back); unset when validation refused the files. */
  failed?: string;
}

export interface ServerDeps {
  logger: Logger;
  metrics: Registry;
  access: AccessGate;
  viewsDir: string;
  /** Status, store backend, schema version, uptime. */
  health(): Promise<Record<string, unknown> & { status: 'ok' | 'degraded' }>;
  /** The home page's sections. */
  home(): Promise<HomeSection[]>;
  /** The running configuration's warnings as `file:line:col: message`, listed on the home page (read role). */
  warnings?: () => readonly string[];
  /** Validates and applies the configuration on disk, all or nothing. */
  reload(): Promise<ReloadOutcome>;
  /** Routers of later stages, mounted after the built-in routes. */
  routers?: readonly Router[];
  /** Path prefixes whose request bodies their stage reads itself, with its own limits (ingest endpoints). */
  selfParsedPaths?: readonly string[];
  /** Accepted Host names, proxy trust, timeouts and connection caps, read per request (default: the defaults). */
  http?: () => HttpServerSettings;
  /** The sections every page's navigation shows (default {@link APPLIANCE_NAV}). */
  nav?: readonly NavSection[];
}

export function createServer(deps: ServerDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  const http = deps.http ?? (() => defaultHttpServerSettings());
  // Before every route, /healthz too: a page that rebound a foreign name to this host must get nothing from it.
  app.use(hostCheck(http));
  // `app.listen` then builds a server with the timeouts and the per-client connection cap.
  listenWithLimits(app, http);
  useHandlebarsViews(app, deps.viewsDir);
  app.use(httpMetrics(deps.metrics));
  app.use(navigation(deps.nav ?? APPLIANCE_NAV));
  // Chromium then says the reader's colour scheme on later requests, so an <img> of a graph can follow a dark page.
  app.use((_req, res, next) => {
    res.setHeader('Accept-CH', 'Sec-CH-Prefers-Color-Scheme');
    next();
  });
  app.use('/static', labelledRoute('/static/*', express.static(join(deps.viewsDir, 'static'), { maxAge: '1h' })));

  // Browsers ask for it on every first page; a 404 there is a console error on every page of the appliance.
  app.get('/favicon.ico', (_req, res) => {
    res.status(204).end();
  });

  app.get('/healthz', async (_req, res) => {
    const health = await deps.health();
    res.status(health.status === 'ok' ? 200 : 503).json(health);
  });

  app.use(deps.access.authenticate);
  const selfParsed = deps.selfParsedPaths ?? [];
  const parsers = [express.urlencoded({ extended: false, limit: '1mb' }), express.json({ limit: '1mb' })];
  for (const parse of parsers) {
    app.use((req, res, next) => (selfParsed.some((p) => req.path === p || req.path.startsWith(`${p}/`)) ? next() : parse(req, res, next)));
  }
  app.use(deps.access.csrf);
  app.use(deps.access.router());

  app.get('/metrics', deps.access.requireRead, async (_req, res) => {
    res.type(deps.metrics.contentType).send(await deps.metrics.metrics());
  });

  app.get('/', deps.access.requireRead, async (_req, res) => {
    res.render('home', { title: 'Home', sections: await deps.home(), health: await deps.health(), warnings: deps.warnings?.() ?? [] });
  });

  app.post('/api/v1/admin/reload', deps.access.requireRole('admin'), async (_req, res) => {
    const outcome = await deps.reload();
    // 422: the files are wrong (the admin's to fix); 500: they were valid but a part could not apply them (ours).
    res.status(outcome.applied ? 200 : outcome.failed === undefined ? 422 : 500).json(outcome);
  });

  for (const router of deps.routers ?? []) app.use(router);
  app.use(notFound());
  app.use(errorHandler(deps.logger));
  return app;
}
