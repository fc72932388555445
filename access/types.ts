/** Who a request is from, as `authenticate` found it; also declares `req.auth` on Express's Request. */
import type { Role } from './roles.js';

/** How a request proved who it is from. */
export const AUTH_VIA = ['anonymous', 'basic', 'bearer', 'session'] as const;
export type AuthVia = (typeof AUTH_VIA)[number];

/** The authenticated user and role of a request; both null when anonymous. */
export interface RequestAuth {
  user: string | null;
  role: Role | null;
  via: AuthVia;
}

/** The anonymous request: what `req.auth` is before, or without, credentials. */
export const ANONYMOUS: Readonly<RequestAuth> = Object.freeze({ user: null, role: null, via: 'anonymous' });

declare global {
  // Express's own augmentation point for request properties added by middleware.
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** Set by the access stage's `authenticate` middleware; unset on routes mounted before it. */
      auth?: RequestAuth;
    }
  }
}
