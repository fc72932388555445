/** Error answers of the access stage: `{ "error": { "code", "message" } }` for API clients, plain text otherwise. */
import type { Request, Response } from 'express';
import type { ErrorCode } from '../common/index.js';

/** The error codes this stage answers with: the common vocabulary, plus 429 for throttled logins. */
export type ReplyCode = ErrorCode | 'too_many_requests';

const STATUS: Partial<Record<ReplyCode, number>> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  payload_too_large: 413,
  too_many_requests: 429,
};

/** The Basic challenge every 401 carries, so browsers and curl know to offer credentials. */
export const BASIC_CHALLENGE = 'Basic realm="Fabric Appliance"';

/** Whether the client wants JSON: an API path, a JSON body, or an Accept header that prefers JSON. */
export function wantsJson(req: Request): boolean {
  return req.originalUrl.startsWith('/api/') || Boolean(req.is('application/json')) || req.accepts(['text/plain', 'text/html', 'application/json']) === 'application/json';
}

export interface ErrorOptions {
  headers?: Record<string, string>;
  /**
   * Whether a 401 carries the Basic challenge (default true). The login endpoints leave it out: a browser
   * answers the challenge with its own password dialog, on top of the login form that failed.
   */
  challenge?: boolean;
}

/** The HTTP status of a reply code. */
export function replyStatus(code: ReplyCode): number {
  return STATUS[code] ?? 500;
}

/** Sends an error; a 401 carries the Basic challenge unless told otherwise. */
export function sendError(req: Request, res: Response, code: ReplyCode, message: string, options: ErrorOptions = {}): void {
  const status = replyStatus(code);
  if (status === 401 && options.challenge !== false) res.setHeader('WWW-Authenticate', BASIC_CHALLENGE);
  for (const [k, v] of Object.entries(options.headers ?? {})) res.setHeader(k, v);
  res.status(status);
  if (wantsJson(req)) res.json({ error: { code, message } });
  else res.type('text/plain').send(message + '\n');
}
