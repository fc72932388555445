/** One error handler: AppErrors become their HTTP status with a message; anything else is our fault, logged once. */
import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import { AppError, type Logger } from '../common/index.js';

/** Whether the client is a browser asking for a page rather than a script asking for data. */
export function wantsHtml(req: Request): boolean {
  return (req.headers.accept ?? '').includes('text/html');
}

/**
 * The JSON body of an error: a top-level `message` as well, because Grafana and other JSON clients display
 * that field; the appliance's own shape rides along under `error`.
 */
export function errorJson(err: AppError): { message: string; error: Record<string, unknown> } {
  return { message: err.message, error: { code: err.code, message: err.message, ...err.context } };
}

export function notFound(): RequestHandler {
  return (req, _res, next) => next(new AppError('not_found', `no page at ${req.path}`));
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const bodyError = err as { type?: string; status?: number; message?: string };
    let appError: AppError;
    if (err instanceof AppError) appError = err;
    else if (bodyError.type === 'entity.too.large') appError = new AppError('payload_too_large', `request body too large: ${bodyError.message}`);
    else if (bodyError.type === 'entity.parse.failed') appError = new AppError('bad_request', `malformed request body: ${bodyError.message}`);
    else {
      logger.error('request failed', { method: req.method, path: req.path, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
      appError = new AppError('internal', 'internal error; the appliance log has the details');
    }
    if (appError.code === 'internal' && err instanceof AppError) logger.error('request failed', { path: req.path, error: appError.message });
    if (res.headersSent) return;
    res.status(appError.httpStatus);
    if (wantsHtml(req)) {
      res.render('error', { title: `Error ${appError.httpStatus}`, status: appError.httpStatus, message: appError.message, context: appError.context });
    } else {
      res.json(errorJson(appError));
    }
  };
}
