/** What a part of the accounting stage (import, Gratia writer, billing, exports, scheduled pulls) hangs on the `Accounting` component. */
import type { RequestHandler, Router } from 'express';
import type { Clock, Logger } from '../common/index.js';
import type { LoadedConfig } from '../grammar/index.js';
import type { Store } from '../store/index.js';
import type { AccountingSettings } from './settings.js';
import type { SliceListener } from './slice-listener.js';

/** What every part is given when the component is built. */
export interface AccountingDeps {
  store: Store;
  /** The `Accounting` settings in effect (a reload replaces them). */
  settings: () => AccountingSettings;
  /** The configuration in effect, for a part's own class types (`OpenNebulaSource`, `RateCard`, ...). */
  config: () => LoadedConfig;
  /** The appliance's read check (anonymous passes when `anonymous_read` is on). */
  requireRead: RequestHandler;
  /** The operator check (401 anonymous, 403 below operator): imports and other writes. */
  requireOperator: RequestHandler;
  /** The admin check. */
  requireAdmin: RequestHandler;
  logger: Logger;
  clock: Clock;
}

/** A link on the `/accounting/` landing page. */
export interface AccountingLink {
  title: string;
  href: string;
  note?: string;
}

/** One part of the stage; every member is optional. */
export interface AccountingPart {
  name: string;
  /** Routes with their full paths (`/accounting/...`, `/api/v1/accounting/...`, `/api/v1/billing/...`). */
  router?: Router;
  /** Links the landing page lists, in this order. */
  links?: readonly AccountingLink[];
  /** Called inside every import's transaction with the slices it changed (see {@link SliceListener}). */
  onSlices?: SliceListener;
  start?(): void | Promise<void>;
  stop?(): void | Promise<void>;
  /** The problems of a new configuration for this part (`file:line:col: message`). */
  validate?(next: LoadedConfig): readonly string[];
  /** Puts a new (validated) configuration into effect. */
  apply?(next: LoadedConfig): void | Promise<void>;
}

/** Builds a part from the shared dependencies and the component (for its `import` and settings). */
export type AccountingPartFactory<A = unknown> = (deps: AccountingDeps, accounting: A) => AccountingPart;
