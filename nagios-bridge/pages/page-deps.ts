/** What every Nagios page route is given. */
import type { RequestHandler } from 'express';
import type { Clock } from '../../common/index.js';
import type { GeneratedObjectConfig } from '../object-config/index.js';
import type { PagesBridge } from './pages-source.js';

export interface NagiosPagesOptions {
  bridge: PagesBridge;
  /** Generates the object config now, for the settings in effect (the composition root binds them). */
  generate: () => Promise<GeneratedObjectConfig>;
  /** The read check of the appliance (anonymous passes when `anonymous_read` is on). */
  requireRead: RequestHandler;
  /** The admin check: 401 anonymous, 403 for lower roles. */
  requireAdmin: RequestHandler;
  /** Whether some target exists (otherwise the overview says the bridge is off). */
  active?: () => boolean;
  clock?: Clock;
}

export type PageDeps = Required<NagiosPagesOptions>;
