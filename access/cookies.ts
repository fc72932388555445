/** The access stage's cookies: reading the Cookie header and setting the session and login-form cookies. */
import type { CookieOptions, Request, Response } from 'express';

/** The login session: an opaque random id whose SHA-256 is the `web_sessions` key. */
export const SESSION_COOKIE = 'fa_session';
/** The login form's double-submit token: the form carries the same value, which another site cannot read. */
export const LOGIN_CSRF_COOKIE = 'fa_login_csrf';

/** The value of cookie `name`, or undefined. Only our own base64url values matter, so no decoding is needed. */
export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    const value = part.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
    return /^[A-Za-z0-9_-]{1,200}$/.test(value) ? value : undefined;
  }
  return undefined;
}

/** HttpOnly, SameSite=Lax, Path=/, and Secure whenever the request came over HTTPS (see Express's `trust proxy`). */
function options(req: Request, maxAgeMs?: number): CookieOptions {
  return { httpOnly: true, sameSite: 'lax', path: '/', secure: req.secure, ...(maxAgeMs === undefined ? {} : { maxAge: maxAgeMs }) };
}

export function setCookie(req: Request, res: Response, name: string, value: string, maxAgeMs?: number): void {
  res.cookie(name, value, options(req, maxAgeMs));
}

export function clearCookie(req: Request, res: Response, name: string): void {
  res.clearCookie(name, options(req));
}
