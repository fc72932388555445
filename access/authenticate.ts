/** The `authenticate` middleware: Basic (users file), Bearer or InfluxDB's Token (API tokens) or the session cookie sets `req.auth`. */
import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from '../common/index.js';
import { clearCookie, readCookie, SESSION_COOKIE } from './cookies.js';
import { rememberSessionCsrf, sessionCsrfToken } from './csrf.js';
import { sendError } from './http-replies.js';
import type { LoginThrottle } from './login-throttle.js';
import type { SessionStore } from './session-store.js';
import type { TokenStore } from './token-store.js';
import { lowerRole } from './roles.js';
import { ANONYMOUS, type RequestAuth } from './types.js';
import { badTokenKey, type UserDirectory } from './user-directory.js';

export interface AuthenticateDeps {
  directory: UserDirectory;
  tokens: Pick<TokenStore, 'verify'>;
  sessions: Pick<SessionStore, 'find' | 'destroy'>;
  throttle: LoginThrottle;
  logger: Logger;
}

/** The client's address as Express sees it (behind a proxy, set `trust proxy` so this is the real client). */
export function clientAddress(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}

export function retryAfterSeconds(ms: number): string {
  return String(Math.max(1, Math.ceil(ms / 1000)));
}

/**
 * Presented credentials must be right: a wrong password or token is a 401, never a quiet fall-back to anonymous.
 * A session cookie that has expired or was logged out is different: browsers keep sending it, so it is cleared
 * and the request goes on as anonymous (pages then ask for a login as they would without it).
 */
export function createAuthenticate(deps: AuthenticateDeps): RequestHandler {
  const { directory, tokens, sessions, throttle, logger } = deps;

  const fromHeader = async (req: Request, res: Response, header: string): Promise<RequestAuth | undefined> => {
    const space = header.indexOf(' ');
    const scheme = (space < 0 ? header : header.slice(0, space)).toLowerCase();
    const value = space < 0 ? '' : header.slice(space + 1).trim();
    const address = clientAddress(req);
    if (scheme === 'basic') {
      const decoded = /^[A-Za-z0-9+/]+=*$/.test(value) ? Buffer.from(value, 'base64').toString('utf8') : '';
      const colon = decoded.indexOf(':');
      if (colon <= 0) return void sendError(req, res, 'unauthorized', 'malformed Basic credentials: expected base64 of user:password');
      const user = decoded.slice(0, colon);
      const result = await directory.check(user, decoded.slice(colon + 1), address);
      if (result.ok) return { user, role: result.role, via: 'basic' };
      if (result.reason === 'throttled') {
        return void sendError(req, res, 'too_many_requests', 'too many failed logins; try again later', { headers: { 'Retry-After': retryAfterSeconds(result.retryAfterMs) } });
      }
      logger.info('access: wrong Basic credentials', { user, address });
      return void sendError(req, res, 'unauthorized', 'wrong user name or password');
    }
    // `Token` is InfluxDB 2's name for the same thing: Telegraf's outputs.influxdb_v2 sends `Authorization: Token T`.
    if (scheme === 'bearer' || scheme === 'token') {
      // The token is looked up before the throttle is asked: a valid token (256 random bits, not guessable) is never
      // refused because other clients behind the same address sent bad ones. Only bad tokens are throttled.
      const found = value ? await tokens.verify(value) : undefined;
      if (found && found.user === null) return { user: null, role: found.role, via: 'bearer' };
      // A user's token is worth what the user is worth now: removing the user, or lowering their role, takes effect at once.
      const held = found?.user ? directory.roleOf(found.user) : null;
      if (found && held) return { user: found.user, role: lowerRole(found.role, held), via: 'bearer' };
      if (found) {
        logger.info('access: API token of a user no longer in the users file', { id: found.id, user: found.user ?? undefined, address });
        return void sendError(req, res, 'unauthorized', `the API token's user "${found.user ?? ''}" is no longer a user of this appliance`);
      }
      const wait = throttle.retryAfterMs(badTokenKey(address));
      if (wait > 0) return void sendError(req, res, 'too_many_requests', 'too many bad API tokens from this address; try again later', { headers: { 'Retry-After': retryAfterSeconds(wait) } });
      throttle.fail(badTokenKey(address));
      logger.info('access: unknown or revoked API token', { address });
      return void sendError(req, res, 'unauthorized', 'unknown or revoked API token');
    }
    return void sendError(req, res, 'unauthorized', `unsupported authorization scheme "${scheme}"; use Basic, Bearer or Token`);
  };

  const fromSession = async (req: Request, res: Response, cookie: string): Promise<RequestAuth> => {
    const session = await sessions.find(cookie);
    // The current settings decide the role; a user removed from the users file loses their sessions.
    const role = session ? directory.roleOf(session.user) : null;
    if (!session || !role) {
      if (session) await sessions.destroy(cookie);
      clearCookie(req, res, SESSION_COOKIE);
      return ANONYMOUS;
    }
    rememberSessionCsrf(req, session.csrfSecret);
    return { user: session.user, role, via: 'session' };
  };

  return async (req, res, next) => {
    const header = req.headers.authorization;
    const cookie = readCookie(req, SESSION_COOKIE);
    let auth: RequestAuth | undefined = ANONYMOUS;
    if (header !== undefined) auth = await fromHeader(req, res, header);
    else if (cookie) auth = await fromSession(req, res, cookie);
    if (!auth) return; // answered already
    req.auth = { ...auth };
    res.locals.auth = req.auth;
    res.locals.csrfToken = auth.via === 'session' ? sessionCsrfToken(req) : '';
    next();
  };
}
