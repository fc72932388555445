/** Request counters and latency for every route, registered on the appliance's metrics registry. */
import { Counter, Histogram, type Registry } from 'prom-client';
import type { RequestHandler } from 'express';

/**
 * Names the route of the requests `handler` answers, for handlers that have no route pattern of their own (static
 * files): without it they would count as `unmatched`, beside every 404.
 */
export function labelledRoute(route: string, handler: RequestHandler): RequestHandler {
  return (req, res, next) => {
    res.locals.metricsRoute = route;
    handler(req, res, (err?: unknown) => {
      // Not answered here (no such file): the request goes on and is labelled by whoever answers it.
      delete res.locals.metricsRoute;
      next(err);
    });
  };
}

export function httpMetrics(registry: Registry): RequestHandler {
  const requests = new Counter({
    name: 'appliance_http_requests_total',
    help: 'HTTP requests answered, by method, route and status code.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'appliance_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by route.',
    labelNames: ['route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return (req, res, next) => {
    const start = process.hrtime.bigint();
    res.on('finish', () => {
      // The matched route pattern, not the raw URL, keeps label cardinality bounded.
      const labelled = res.locals.metricsRoute as string | undefined;
      const route = labelled ?? (req.route ? `${req.baseUrl}${String((req.route as { path: unknown }).path)}` : 'unmatched');
      requests.inc({ method: req.method, route, status: String(res.statusCode) });
      duration.observe({ route }, Number(process.hrtime.bigint() - start) / 1e9);
    });
    next();
  };
}
