/** `GET /login`, `POST /login` (form or JSON) and `POST /logout`: password login into a cookie session. */
import { randomBytes } from 'node:crypto';
import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import { toSqlDateTime, type Clock, type Logger } from '../common/index.js';
import { clientAddress, retryAfterSeconds } from './authenticate.js';
import { clearCookie, LOGIN_CSRF_COOKIE, readCookie, SESSION_COOKIE, setCookie } from './cookies.js';
import { loginFormTokenOk, readForm, sessionCsrfToken } from './csrf.js';
import { replyStatus, sendError, wantsJson, type ReplyCode } from './http-replies.js';
import type { SessionStore } from './session-store.js';
import type { UserDirectory } from './user-directory.js';

export interface LoginRoutesDeps {
  directory: UserDirectory;
  sessions: SessionStore;
  csrf: RequestHandler;
  clock: Clock;
  logger: Logger;
}

/**
 * A redirect target kept to this site: an absolute path, not `//host` or `/\host` (which browsers read as
 * another host), without control characters. Anything else is dropped, so a login link cannot send a user away.
 * The check is made again on the normalised path: `/.%2e/%2e%2e//evil.example` resolves its dot segments to
 * `//evil.example`, which a browser would take as another host.
 */
export function safeNext(value: unknown): string | undefined {
  if (typeof value !== 'string' || !value.startsWith('/') || value.length > 2000) return undefined;
  if (!onThisSite(value) || [...value].some((c) => c < ' ' || c === '\u007f')) return undefined;
  const base = 'http://appliance.invalid';
  const url = new URL(value, base);
  const path = url.pathname + url.search + url.hash;
  return url.origin === base && onThisSite(path) ? path : undefined;
}

/** An absolute path that no browser reads as naming a host (`//host`, `/\host`). */
function onThisSite(path: string): boolean {
  return path.startsWith('/') && !path.startsWith('//') && !path.includes('\\');
}

/** The token the login form carries: the session's when logged in, else the double-submit cookie's (made if needed). */
function loginFormToken(req: Request, res: Response): string {
  if (req.auth?.via === 'session') return sessionCsrfToken(req);
  // Reused while it lasts, so two login tabs do not invalidate each other.
  const token = readCookie(req, LOGIN_CSRF_COOKIE) ?? randomBytes(24).toString('base64url');
  setCookie(req, res, LOGIN_CSRF_COOKIE, token);
  return token;
}

export function addLoginRoutes(router: Router, deps: LoginRoutesDeps): void {
  const { directory, sessions, csrf, clock, logger } = deps;
  const json = express.json({ limit: '16kb' });

  const renderForm = (req: Request, res: Response, view: { next?: string | undefined; username?: string; error?: string }, status = 200) => {
    res.status(status).render('login', { title: 'Log in', next: view.next ?? '', username: view.username ?? '', error: view.error, loginCsrf: loginFormToken(req, res) });
  };

  router.get('/login', (req, res) => renderForm(req, res, { next: safeNext(req.query.next) }));

  router.post('/login', json, async (req, res) => {
    // A JSON body needs no form token: browsers cannot send one to another site without a CORS preflight, which this app never grants.
    const isJson = Boolean(req.is('application/json'));
    if (!isJson && !(await readForm(req, res))) return;
    const body = (req.body && typeof req.body === 'object' ? req.body : {}) as Record<string, unknown>;
    const next = safeNext(body.next);
    const username = typeof body.username === 'string' ? body.username : '';
    const password = typeof body.password === 'string' ? body.password : '';
    const fail = (code: ReplyCode, message: string, headers: Record<string, string> = {}) => {
      if (isJson || wantsJson(req)) return sendError(req, res, code, message, { headers, challenge: false });
      for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
      renderForm(req, res, { next, username, error: message }, replyStatus(code));
    };

    if (!isJson && !loginFormTokenOk(req)) return fail('forbidden', 'The login form has expired. Please try again.');
    if (!username || !password) return fail('bad_request', 'Enter a user name and a password.');
    const address = clientAddress(req);
    const result = await directory.check(username, password, address);
    if (!result.ok && result.reason === 'throttled') {
      const seconds = retryAfterSeconds(result.retryAfterMs);
      logger.warn('access: login throttled', { user: username, address });
      return fail('too_many_requests', `Too many failed logins. Try again in ${seconds} seconds.`, { 'Retry-After': seconds });
    }
    if (!result.ok) {
      logger.info('access: failed login', { user: username, address });
      return fail('unauthorized', 'Wrong user name or password.');
    }

    const now = clock();
    // Expired sessions are otherwise only deleted when their cookie comes back; a login is a cheap moment to sweep.
    await sessions.prune(now);
    const old = readCookie(req, SESSION_COOKIE);
    if (old) await sessions.destroy(old);
    const session = await sessions.create(username, result.role, directory.settings().sessionHours);
    setCookie(req, res, SESSION_COOKIE, session.cookie, session.expiresAt.getTime() - now.getTime());
    clearCookie(req, res, LOGIN_CSRF_COOKIE);
    logger.info('access: login', { user: username, role: result.role, address, expires: toSqlDateTime(session.expiresAt) });
    if (isJson) {
      res.json({ user: username, role: result.role, expiresAt: session.expiresAt.toISOString(), csrfToken: session.csrfSecret });
    } else {
      res.redirect(303, next ?? '/');
    }
  });

  router.post('/logout', csrf, async (req, res) => {
    const cookie = readCookie(req, SESSION_COOKIE);
    if (cookie && req.auth?.via === 'session') await sessions.destroy(cookie);
    clearCookie(req, res, SESSION_COOKIE);
    if (wantsJson(req)) res.status(204).end();
    else res.redirect(303, '/');
  });
}
