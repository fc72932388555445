/** `createAccess`: the access stage assembled from its parts, with the settings applied all-or-nothing. */
import express, { type ErrorRequestHandler, type RequestHandler, type Router } from 'express';
import { AppError, silentLogger, systemClock, type Clock, type Logger } from '../common/index.js';
import { formatIssue, type ConfigIssue } from '../grammar/index.js';
import { createAuthenticate } from './authenticate.js';
import { createCredentialCache } from './credential-cache.js';
import { createCsrf } from './csrf.js';
import { sendError } from './http-replies.js';
import { createLoginThrottle } from './login-throttle.js';
import { addLoginRoutes } from './login-routes.js';
import { requireRead, requireRole } from './require-role.js';
import type { Role } from './roles.js';
import { createSessionStore } from './session-store.js';
import type { AccessSettings } from './settings.js';
import { addTokenRoutes, tokenOwnerProblem } from './token-routes.js';
import { createTokenStore, type AccessDb, type CreatedToken, type TokenInfo } from './token-store.js';
import { createUserDirectory } from './user-directory.js';
import { readUsersFile, type UserEntry, type UsersFile } from './users-file.js';

export interface AccessOptions {
  /** A store migrated with `accessMigrations`. */
  store: AccessDb;
  settings: AccessSettings;
  logger?: Logger;
  clock?: Clock;
}

/** API tokens for the CLI (`appliance token create|list|revoke`). */
export interface TokenAdmin {
  /**
   * A new token for `user` (a user of the users file, with at least `role`), or a service token tied to no user when
   * `user` is null; the returned `token` is the secret, shown once and never stored. Throws `AppError('bad_request')`
   * for an unknown user or a role above the user's.
   */
  create(name: string, user: string | null, role: Role): Promise<CreatedToken>;
  /** All tokens, revoked ones included, without secrets. */
  list(): Promise<TokenInfo[]>;
  /** Revokes a token; false when no token has this id. */
  revoke(id: string): Promise<boolean>;
}

export interface Access {
  /** Sets `req.auth` (and `res.locals.auth`, `res.locals.csrfToken`) from Basic, Bearer or the session cookie; 401 for wrong credentials. */
  authenticate: RequestHandler;
  /** 401 when anonymous, 403 when the role is below `role`. */
  requireRole(role: Role): RequestHandler;
  /** Anonymous requests pass when `anonymousRead` is set; otherwise `viewer` is required. */
  requireRead: RequestHandler;
  /** Unsafe requests of a session must carry its CSRF token; Bearer and (same-site) Basic requests are exempt. */
  csrf: RequestHandler;
  /** `GET/POST /login`, `POST /logout`, and `GET/POST /api/v1/tokens`, `DELETE /api/v1/tokens/:id`. */
  router(): Router;
  /**
   * Re-reads the users file and applies `settings`; a bad file throws `AppError('config')` listing every problem, keeping
   * the old users. Returns what puts the previous settings and users back (a reload's rollback; the file is not re-read).
   */
  applyConfig(settings: AccessSettings): () => void;
  /** The users file's problems under `settings`, without applying anything (for `appliance check-config`). */
  checkSettings(settings: AccessSettings): ConfigIssue[];
  tokens: TokenAdmin;
  /** Deletes sessions expired at `now` (default: the clock's now); returns how many. */
  pruneSessions(now?: Date): Promise<number>;
}

/** The users file's problems for `settings` (none without a users file). */
export function checkAccessSettings(settings: AccessSettings): ConfigIssue[] {
  return loadUsers(settings).issues;
}

/** The users of `settings`' users file, and its problems; no users and no problems without one. */
function loadUsers(settings: AccessSettings): Pick<UsersFile, 'users' | 'issues'> {
  return settings.usersFile ? readUsersFile(settings.usersFile) : { users: new Map(), issues: [] };
}

function usersOrThrow(settings: AccessSettings): ReadonlyMap<string, UserEntry> {
  const { users, issues } = loadUsers(settings);
  const errors = issues.filter((i) => i.severity === 'error');
  if (errors.length) {
    throw new AppError(
      'config',
      `the users file ${settings.usersFile} has ${errors.length} problem${errors.length === 1 ? '' : 's'}; the previous users stay in effect:\n` +
        errors.map((i) => '  ' + formatIssue(i)).join('\n'),
      { file: settings.usersFile, issues: errors },
    );
  }
  return users;
}

/** Builds the access stage; throws `AppError('config')` when the users file is bad. */
export function createAccess(options: AccessOptions): Access {
  const logger = options.logger ?? silentLogger;
  const clock = options.clock ?? systemClock;
  const throttle = createLoginThrottle({ clock });
  // What is in effect, kept here so a rollback restores it without reading the (since edited) users file again.
  let applied = { settings: options.settings, users: usersOrThrow(options.settings) };
  const directory = createUserDirectory({
    settings: applied.settings,
    users: applied.users,
    cache: createCredentialCache({ clock }),
    throttle,
  });
  const tokens = createTokenStore(options.store, clock);
  const sessions = createSessionStore(options.store, clock);
  const csrf = createCsrf();

  const bodyErrors: ErrorRequestHandler = (err: { type?: unknown; status?: unknown; message?: string }, req, res, next) => {
    // body-parser's errors carry `type` (entity.parse.failed, entity.too.large, ...); anything else is not ours to answer.
    if (typeof err?.type !== 'string' || typeof err.status !== 'number' || res.headersSent) return next(err);
    sendError(req, res, err.status === 413 ? 'payload_too_large' : 'bad_request', `cannot read the request body: ${err.message ?? ''}`);
  };

  return {
    authenticate: createAuthenticate({ directory, tokens, sessions, throttle, logger }),
    requireRole,
    requireRead: requireRead(() => directory.settings()),
    csrf,
    router() {
      const router = express.Router();
      addLoginRoutes(router, { directory, sessions, csrf, clock, logger });
      addTokenRoutes(router, { tokens, directory, csrf, logger });
      router.use(bodyErrors);
      return router;
    },
    applyConfig(settings) {
      const users = usersOrThrow(settings);
      const previous = applied;
      directory.replace(settings, users);
      applied = { settings, users };
      logger.info('access: settings applied', { usersFile: settings.usersFile || undefined, users: users.size, anonymousRead: settings.anonymousRead });
      return () => {
        directory.replace(previous.settings, previous.users);
        applied = previous;
      };
    },
    checkSettings: checkAccessSettings,
    tokens: {
      create: async (name, user, role) => {
        const problem = tokenOwnerProblem(directory, user, role);
        if (problem) throw new AppError('bad_request', problem);
        return tokens.create(name, user, role, null);
      },
      list: () => tokens.list(),
      revoke: (id) => tokens.revoke(id),
    },
    pruneSessions: (now) => sessions.prune(now ?? clock()),
  };
}
