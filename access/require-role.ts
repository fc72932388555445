/** Role checks for routes: 401 (with the Basic challenge) when anonymous, 403 when the role is too low. */
import type { RequestHandler } from 'express';
import { sendError } from './http-replies.js';
import { roleIncludes, type Role } from './roles.js';
import type { AccessSettings } from './settings.js';

/** Lets through requests whose role includes `role`; mount after `authenticate`. */
export function requireRole(role: Role): RequestHandler {
  return (req, res, next) => {
    const auth = req.auth;
    if (!auth?.role) return sendError(req, res, 'unauthorized', `this needs the ${role} role: log in, or send Basic or Bearer credentials`);
    if (!roleIncludes(auth.role, role)) return sendError(req, res, 'forbidden', `this needs the ${role} role; ${auth.user ?? 'you'} has the ${auth.role} role`);
    next();
  };
}

/** Lets everyone read when the settings allow anonymous reading, else requires `viewer`. Reads the settings per request, so a reload applies at once. */
export function requireRead(settings: () => AccessSettings): RequestHandler {
  const viewer = requireRole('viewer');
  return (req, res, next) => (settings().anonymousRead ? next() : viewer(req, res, next));
}
