/**
 * The token API under `/api/v1/tokens` (admin only): list without secrets, create (secret shown once), revoke.
 * A token is for a user of the users file (the creator by default) with at most that user's role, or, when asked
 * for with `service: true`, a service token tied to no user.
 */
import express, { type RequestHandler, type Router } from 'express';
import type { Logger } from '../common/index.js';
import { sendError } from './http-replies.js';
import { requireRole } from './require-role.js';
import { isRole, roleIncludes, ROLES, type Role } from './roles.js';
import type { TokenStore } from './token-store.js';
import type { UserDirectory } from './user-directory.js';

export interface TokenRoutesDeps {
  tokens: TokenStore;
  directory: Pick<UserDirectory, 'roleOf'>;
  csrf: RequestHandler;
  logger: Logger;
}

const USER_NAME = /^[^\s:]{1,255}$/;

/**
 * Why a token for `user` (null: a service token) with `role` cannot be made, or undefined when it can: the user must
 * be in the users file now, and a token never gets more rights than its user has.
 */
export function tokenOwnerProblem(directory: Pick<UserDirectory, 'roleOf'>, user: string | null, role: Role): string | undefined {
  if (user === null) return undefined;
  const held = directory.roleOf(user);
  if (!held) return `user: "${user}" is not a user of the users file; add the user first, or make a service token`;
  if (!roleIncludes(held, role)) return `role: "${user}" has the ${held} role, so their token cannot have the ${role} role`;
  return undefined;
}

export function addTokenRoutes(router: Router, deps: TokenRoutesDeps): void {
  const { tokens, directory, csrf, logger } = deps;
  const admin = requireRole('admin');
  // Parsed before `csrf`, so a JSON body's `_csrf` field counts as well as the header.
  const json = express.json({ limit: '16kb' });

  router.get('/api/v1/tokens', admin, async (_req, res) => {
    res.json({ tokens: await tokens.list() });
  });

  router.post('/api/v1/tokens', admin, json, csrf, async (req, res) => {
    const body = (req.body && typeof req.body === 'object' ? req.body : {}) as Record<string, unknown>;
    const name = typeof body.name === 'string' ? body.name.trim() : '';
    if (!name || name.length > 100) return sendError(req, res, 'bad_request', 'name: give the token a name of 1 to 100 characters');
    const creator = req.auth!;
    if (body.service !== undefined && typeof body.service !== 'boolean') return sendError(req, res, 'bad_request', 'service: true or false');
    const service = body.service === true;
    if (service && body.user !== undefined) return sendError(req, res, 'bad_request', 'user: a service token has no user; send either user or service');
    const user = service ? null : body.user === undefined ? creator.user : body.user;
    if (user !== null && (typeof user !== 'string' || !USER_NAME.test(user))) return sendError(req, res, 'bad_request', 'user: a user name without spaces or colons');
    const role = body.role;
    if (!isRole(role)) return sendError(req, res, 'bad_request', `role: one of ${ROLES.join(', ')}`);
    if (!roleIncludes(creator.role, role)) return sendError(req, res, 'forbidden', `role: a token cannot have more rights than its creator (${creator.role ?? 'none'})`);
    const problem = tokenOwnerProblem(directory, user, role);
    if (problem) return sendError(req, res, 'bad_request', problem);
    const created = await tokens.create(name, user, role, creator.user);
    logger.info('access: API token created', { id: created.id, name, user: user ?? '(service)', role, by: creator.user ?? undefined });
    res.status(201).json({ ...created, name, user, role });
  });

  router.delete('/api/v1/tokens/:id', admin, csrf, async (req, res) => {
    const id = String(req.params.id);
    if (!(await tokens.revoke(id))) return sendError(req, res, 'not_found', `no API token with id "${id}"`);
    logger.info('access: API token revoked', { id, by: req.auth?.user ?? undefined });
    res.status(204).end();
  });
}
