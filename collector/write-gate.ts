/** Who may write: Basic users and API tokens with the write role; anonymous clients only from loopback, if allowed. */
import type { Request, RequestHandler } from 'express';
import type { CollectorSettings, WriteRole } from './settings.js';

/** What the collector needs of access control (the access stage provides it). */
export interface CollectorAccess {
  /** Lets a request read, by the appliance's anonymous-read setting. */
  requireRead: RequestHandler;
  /** 401 when anonymous, 403 when the role is too low; `req.auth` is set by the app's `authenticate` before. */
  requireRole(role: WriteRole): RequestHandler;
}

/** 127.0.0.0/8, ::1 and their IPv4-mapped forms. */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return v4 === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

/**
 * The client's address as Express resolves it (`trust proxy` decides whether X-Forwarded-For counts), so a
 * reverse proxy on the same machine that forwards the real client's address does not make everyone local.
 */
function clientAddress(req: Request): string | undefined {
  return req.ip ?? req.socket.remoteAddress;
}

/** The middleware for write routes. */
export function writeGate(access: CollectorAccess, settings: () => CollectorSettings): RequestHandler {
  const byRole = new Map<WriteRole, RequestHandler>();
  return (req, res, next) => {
    const s = settings();
    const anonymous = !req.auth || req.auth.via === 'anonymous';
    if (anonymous && s.allowLoopbackWrites && isLoopback(clientAddress(req))) return next();
    let check = byRole.get(s.writeRole);
    if (!check) byRole.set(s.writeRole, (check = access.requireRole(s.writeRole)));
    return check(req, res, next);
  };
}
