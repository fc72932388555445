/**
 * The `Accounting` component: the stage's settings, its parts (import, Gratia writer, billing, exports, scheduled
 * pulls: `accounting-parts.ts`), their routes under `/accounting/` and `/api/v1/...`, and the slice listeners every
 * import calls inside its transaction.
 */
import express, { type RequestHandler, type Router } from 'express';
import { silentLogger, systemClock, type Clock, type Logger } from '../common/index.js';
import type { LoadedConfig } from '../grammar/index.js';
import type { Store } from '../store/index.js';
import type { AccountingDeps, AccountingLink, AccountingPart, AccountingPartFactory } from './accounting-part.js';
import { accountingSettingsOf, type AccountingSettings } from './settings.js';
import { importOpenNebulaXml, type ImportInput, type ImportReport } from './import/import-opennebula-xml.js';
import type { SliceListener } from './slice-listener.js';

export interface AccountingOptions {
  store: Store;
  /** The configuration at start; `applyConfig` replaces it. */
  config: LoadedConfig;
  requireRead: RequestHandler;
  requireOperator: RequestHandler;
  requireAdmin: RequestHandler;
  /** The parts to build, in order (default: none; the appliance passes `ACCOUNTING_PARTS`). */
  parts?: readonly AccountingPartFactory<Accounting>[];
  logger?: Logger;
  clock?: Clock;
}

/** The accounting stage as the composition root sees it. */
export interface Accounting {
  /** The `Accounting` settings in effect. */
  settings(): AccountingSettings;
  /**
   * Imports one OpenNebula document (a file, an upload, a scheduled pull) with the settings in effect, calling every
   * slice listener inside its transaction. Throws `ImportFailed` when the document is refused whole.
   */
  import(input: ImportInput): Promise<ImportReport>;
  /** The parts built, in order. */
  parts(): readonly AccountingPart[];
  /** Adds a listener every later import calls inside its transaction; returns its removal. */
  onSlices(listener: SliceListener): () => void;
  /** The listeners an import calls, in order: the parts' own, then those added with `onSlices`. */
  sliceListeners(): SliceListener[];
  /** `/accounting/` and every part's routes. */
  router(): Router;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Every part's problems with `next`. */
  validate(next: LoadedConfig): string[];
  applyConfig(next: LoadedConfig): Promise<void>;
}

export function createAccounting(options: AccountingOptions): Accounting {
  let config = options.config;
  let settings = accountingSettingsOf(config);
  const deps: AccountingDeps = {
    store: options.store,
    settings: () => settings,
    config: () => config,
    requireRead: options.requireRead,
    requireOperator: options.requireOperator,
    requireAdmin: options.requireAdmin,
    logger: options.logger ?? silentLogger,
    clock: options.clock ?? systemClock,
  };
  const added: SliceListener[] = [];
  const built: AccountingPart[] = [];
  const started: AccountingPart[] = [];

  const accounting: Accounting = {
    settings: () => settings,
    import: (input) =>
      importOpenNebulaXml(deps.store, input, {
        timeZone: settings.timeZone, maxRecordBytes: settings.maxRecordBytes, onSlices: accounting.sliceListeners(), clock: deps.clock,
      }),
    parts: () => built,
    onSlices(listener) {
      added.push(listener);
      return () => {
        const i = added.indexOf(listener);
        if (i >= 0) added.splice(i, 1);
      };
    },
    sliceListeners: () => [...built.flatMap((p) => (p.onSlices ? [p.onSlices] : [])), ...added],
    router: () => router,
    async start() {
      for (const part of built) {
        await part.start?.();
        started.push(part);
      }
    },
    async stop() {
      for (const part of started.splice(0).reverse()) await part.stop?.();
    },
    validate: (next) => built.flatMap((p) => p.validate?.(next) ?? []),
    async applyConfig(next) {
      config = next;
      settings = accountingSettingsOf(next);
      for (const part of built) await part.apply?.(next);
    },
  };
  for (const factory of options.parts ?? []) built.push(factory(deps, accounting));

  const router = express.Router();
  router.get(['/accounting', '/accounting/'], deps.requireRead, (req, res) => {
    if (req.path === '/accounting') return res.redirect(301, '/accounting/');
    const links: AccountingLink[] = built.flatMap((p) => p.links ?? []);
    res.set('Cache-Control', 'no-store').render('accounting-index', { title: 'Accounting', links, timeZone: settings.timeZone });
  });
  for (const part of built) if (part.router) router.use(part.router);
  return accounting;
}
