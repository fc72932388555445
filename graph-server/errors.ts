/** One error handler: AppErrors become their HTTP status with a message; anything else is our fault, logged once. */
import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import { AppError, type Logger } from '../common/index.js';
import { bodyParserError } from './body-errors.js';

/** Whether the client is a browser asking for a page rather than a script asking for data. */
export function wantsHtml(req: Request): boolean {
  return (req.headers.accept ?? '').includes('text/html');
}

/**
 * Whether a browser asks for a page where the same URL also serves data: `text/html` ranked above XML and JSON (a
 * browser's `text/html,...,application/xml;q=0.9,*\/*;q=0.8`). `*\/*` alone (curl, wget, scripts) and an explicit XML
 * or JSON preference keep the data.
 */
export function prefersHtml(req: Request): boolean {
  return req.accepts(['application/xml', 'text/xml', 'application/json', 'text/html']) === 'text/html';
}

/** Context keys that stay in the log: the statement that failed, its values. */
const PRIVATE_CONTEXT = new Set(['sql', 'params', 'values', 'stack', 'cause']);

/** What a client may see of an error's context (never the SQL statement a store error carries). */
export function publicContext(err: AppError): Record<string, unknown> {
  return Object.fromEntries(Object.entries(err.context).filter(([k]) => !PRIVATE_CONTEXT.has(k)));
}

/**
 * The JSON body of an error: a top-level `message` as well, because Grafana and other JSON clients display
 * that field; the appliance's own shape rides along under `error`.
 */
export function errorJson(err: AppError): { message: string; error: Record<string, unknown> } {
  return { message: err.message, error: { code: err.code, message: err.message, ...publicContext(err) } };
}

const INTERNAL_MESSAGE = 'internal error; the appliance log has the details';

/**
 * The error to answer `err` with. The client's own mistakes (4xx AppErrors, a body parser's errors) and 503s
 * (which say what to start) go out as they are; anything else is our fault, and its message may hold SQL, a
 * driver's error or a stack, so it is logged with `where` and answered with one fixed line.
 */
export function clientError(err: unknown, logger: Logger, where: Record<string, unknown>): AppError {
  const known = err instanceof AppError ? err : bodyParserError(err);
  if (known && (known.httpStatus < 500 || known.code === 'unavailable')) return known;
  const detail = err instanceof AppError ? { error: err.message, ...err.context } : { error: err instanceof Error ? (err.stack ?? err.message) : String(err) };
  logger.error('request failed', { ...where, ...detail });
  // What the context names (a Grafana target's refId and query) is the client's own; the SQL in it is not.
  return new AppError('internal', INTERNAL_MESSAGE, known ? publicContext(known) : {});
}

/** A refusal that says when to come back (a 429 from the query limits) carries it as `Retry-After`, in seconds. */
export function setRetryAfter(res: Response, err: AppError): void {
  const seconds = err.context.retryAfterSeconds;
  if (typeof seconds === 'number' && Number.isFinite(seconds)) res.setHeader('Retry-After', String(Math.max(1, Math.ceil(seconds))));
}

/** The last route: a 404 naming the path. */
export function notFound(): RequestHandler {
  return (req, _res, next) => next(new AppError('not_found', `no page at ${req.path}`));
}

/** The app's error handler: every error, from any route or parser, answered by `clientError` as a page or JSON. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const appError = clientError(err, logger, { method: req.method, path: req.path });
    if (res.headersSent) return;
    res.status(appError.httpStatus);
    setRetryAfter(res, appError);
    if (wantsHtml(req)) {
      res.render('error', { title: `Error ${appError.httpStatus}`, status: appError.httpStatus, message: appError.message, context: publicContext(appError) });
    } else {
      res.json(errorJson(appError));
    }
  };
}
