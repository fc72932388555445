/** One error handler: AppErrors become their HTTP status with a message; anything else is our fault, logged once. */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError, type Logger } from '../common/index.js';

function wantsHtml(accept: string | undefined): boolean {
  return !!accept && accept.includes('text/html');
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
    if (wantsHtml(req.headers.accept)) {
      res.render('error', { title: `Error ${appError.httpStatus}`, status: appError.httpStatus, message: appError.message, context: appError.context });
    } else {
      // A top-level `message` as well: Grafana and other JSON clients display that field.
      res.json({ message: appError.message, error: { code: appError.code, message: appError.message, ...appError.context } });
    }
  };
}
