/**
 * Who may write: Basic users and API tokens with the write role; anonymous clients only from loopback, if allowed,
 * and then only when the request is neither a browser's request from another site nor relayed by a proxy.
 */
import type { Request, RequestHandler } from 'express';
import { fromAnotherOrigin } from '../common/index.js';
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

/** Headers a proxy adds: a request that carries one was relayed, so its loopback peer says nothing about its sender. */
const FORWARDING_HEADERS = ['forwarded', 'x-forwarded-for', 'x-real-ip'] as const;

/**
 * Why an anonymous request from loopback does not get the exemption, or undefined when it does. Express's
 * `trust proxy` being set means a proxy is configured: behind one every client arrives from loopback.
 */
export function loopbackRefusal(req: Request, s: CollectorSettings): string | undefined {
  if (!s.allowLoopbackWrites) return 'allow_loopback_writes is off';
  if (req.app.get('trust proxy')) return 'a proxy is configured (trust_proxy)';
  if (!isLoopback(clientAddress(req))) return 'not from loopback';
  if (FORWARDING_HEADERS.some((h) => req.headers[h] !== undefined)) return 'relayed by a proxy';
  if (fromAnotherOrigin(req)) return 'sent by a web page of another origin';
  return undefined;
}

/**
 * The start-up log's account of the exemption: on, or off and why. `behindProxy` is whether `trust_proxy` is set.
 */
export function describeLoopbackWrites(settings: Pick<CollectorSettings, 'allowLoopbackWrites'>, behindProxy: boolean): string {
  if (!settings.allowLoopbackWrites) return 'anonymous writes from loopback: off (allow_loopback_writes is false)';
  if (behindProxy) return 'anonymous writes from loopback: off (trust_proxy is set, so every client may arrive from loopback)';
  return 'anonymous writes from loopback: on (allow_loopback_writes; browsers and proxied requests excluded)';
}

/** The middleware for write routes. */
export function writeGate(access: CollectorAccess, settings: () => CollectorSettings): RequestHandler {
  const byRole = new Map<WriteRole, RequestHandler>();
  return (req, res, next) => {
    const s = settings();
    const anonymous = !req.auth || req.auth.via === 'anonymous';
    if (anonymous && loopbackRefusal(req, s) === undefined) return next();
    let check = byRole.get(s.writeRole);
    if (!check) byRole.set(s.writeRole, (check = access.requireRole(s.writeRole)));
    return check(req, res, next);
  };
}
