/**
 * Cross-site request forgery checks. A session cookie rides along on any request a browser makes, so unsafe
 * requests of a session must carry its token (`_csrf` field or `X-CSRF-Token` header). Bearer tokens never
 * ride along. Basic credentials are exempt from the token, for scripts, but a browser also caches and replays
 * them, so a Basic request the browser marks as coming from another site is refused.
 */
import express, { type Request, type RequestHandler, type Response } from 'express';
import { fromAnotherOrigin } from '../common/index.js';
import { LOGIN_CSRF_COOKIE, readCookie } from './cookies.js';
import { sendError } from './http-replies.js';
import { safeEqual } from './password-hash.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);

const secrets = new WeakMap<Request, string>();

/** Remembers the CSRF secret of the request's session (set by `authenticate`). */
export function rememberSessionCsrf(req: Request, secret: string): void {
  secrets.set(req, secret);
}

/** The token a session's forms must send back, or '' without a session. */
export function sessionCsrfToken(req: Request): string {
  return secrets.get(req) ?? '';
}

// Form and JSON bodies of session requests without the header are parsed here to find `_csrf`, when no parser
// ran yet; a later parser sees the body is read and skips it. Bodies over 1 MB, and multipart forms, need the
// X-CSRF-Token header (or the app's own parser mounted before `csrf`).
const formParser = express.urlencoded({ extended: false, limit: '1mb' });
const jsonParser = express.json({ limit: '1mb' });

function parse(parser: RequestHandler, req: Request, res: Response): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    void parser(req, res, (err?: unknown) => (err ? reject(err instanceof Error ? err : new Error('unreadable body')) : resolve()));
  });
}

/** Parses an urlencoded (or, with `json`, a JSON) body if nothing has; answers 400/413 itself when the body is bad. */
export async function readForm(req: Request, res: Response, json = false): Promise<boolean> {
  try {
    await parse(formParser, req, res);
    if (json) await parse(jsonParser, req, res);
    return true;
  } catch (err) {
    const status = (err as { status?: number }).status;
    sendError(req, res, status === 413 ? 'payload_too_large' : 'bad_request', `cannot read the request body: ${(err as Error).message}`);
    return false;
  }
}

/** The CSRF token the request sent: the `X-CSRF-Token` header, else the `_csrf` form or JSON field. */
export function sentToken(req: Request): string {
  const header = req.headers['x-csrf-token'];
  if (typeof header === 'string' && header) return header;
  const body: unknown = req.body;
  const field = body && typeof body === 'object' ? (body as Record<string, unknown>)._csrf : undefined;
  return typeof field === 'string' ? field : '';
}

/** The `csrf` middleware; mount it after `authenticate`. */
export function createCsrf(): RequestHandler {
  return async (req, res, next) => {
    if (SAFE_METHODS.has(req.method)) return next();
    const via = req.auth?.via;
    if (via === 'basic' && fromAnotherOrigin(req)) {
      return sendError(req, res, 'forbidden', 'a request from another site cannot use your Basic credentials');
    }
    if (via !== 'session') return next();
    if (req.headers['x-csrf-token'] === undefined && !(await readForm(req, res, true))) return;
    const token = sentToken(req);
    const secret = sessionCsrfToken(req);
    if (!token || !secret || !safeEqual(token, secret)) {
      return sendError(req, res, 'forbidden', 'missing or wrong CSRF token: reload the page and try again (scripts: send X-CSRF-Token)');
    }
    next();
  };
}

/**
 * The login form's check: it runs before there is a session, so it compares the `_csrf` field with the
 * double-submit cookie the form page set. A logged-in user's form carries the session token instead.
 */
export function loginFormTokenOk(req: Request): boolean {
  const token = sentToken(req);
  const expected = req.auth?.via === 'session' ? sessionCsrfToken(req) : readCookie(req, LOGIN_CSRF_COOKIE);
  return Boolean(token && expected && safeEqual(token, expected));
}
