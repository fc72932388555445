/**
 * The exports' part of the `Accounting` component: `GET /api/v1/billing/export` streams one period in one format
 * (the parameters checked before any byte; a failure after the first byte ends the response, never a short
 * document that looks whole), and a link on the `/accounting/` page.
 */
import { once } from 'node:events';
import express, { type Response } from 'express';
import { AppError } from '../../common/index.js';
import type { AccountingDeps, AccountingPart } from '../accounting-part.js';
import { rateCardOf } from '../billing/index.js';
import { accountingExportOf } from './export-class.js';
import { exportDocument, parseExportRequest, type ExportDocument } from './export-document.js';
import { exportSettings, type ExportSettings } from './export-settings.js';

/** Formats that name the site: without an `AccountingExport` class they would report a made-up one. */
const NEEDS_SITE = new Set(['ogf-ur', 'car', 'apel']);

async function stream(res: Response, doc: ExportDocument): Promise<void> {
  const chunks = doc.body[Symbol.asyncIterator]();
  // The first chunk before the headers: an error reading the period is still a clean error response.
  let next = await chunks.next();
  res.status(200).type(doc.contentType).setHeader('Content-Disposition', `attachment; filename="${doc.fileName}"`);
  try {
    while (!next.done) {
      if (res.destroyed) return;
      if (!res.write(next.value)) await once(res, 'drain');
      next = await chunks.next();
    }
    res.end();
  } finally {
    if (!next.done) await chunks.return?.(undefined);
  }
}

export function createExportsPart(deps: AccountingDeps): AccountingPart {
  const settingsFor = (format: string): ExportSettings => {
    const configured = accountingExportOf(deps.config());
    if (!configured && NEEDS_SITE.has(format)) {
      throw new AppError('unprocessable', `format=${format} names the site: configure <class type="AccountingExport"> with site_name`, { field: 'format' });
    }
    return exportSettings({ ...(configured?.settings ?? { siteName: 'UNKNOWN' }), timeZone: deps.settings().timeZone });
  };
  const router = express.Router();
  router.get('/api/v1/billing/export', deps.requireRead, async (req, res, next) => {
    try {
      const request = parseExportRequest(req.query);
      const card = rateCardOf(deps.config());
      const doc = exportDocument(deps.store, request, settingsFor(request.format), Math.floor(deps.clock().getTime() / 1000), card);
      await stream(res, doc);
    } catch (err) {
      if (res.headersSent) {
        deps.logger.error(`billing export ${req.originalUrl} failed after its first byte: ${(err as Error).message}`);
        res.destroy(err as Error);
      } else {
        next(err);
      }
    }
  });
  return {
    name: 'exports',
    router,
    // A getter: the link names the current month when the page is drawn, not when the appliance started.
    get links() {
      return [{
        title: 'Exports',
        href: '/api/v1/billing/export?format=csv&period=' + new Date(deps.clock().getTime()).toISOString().slice(0, 7),
        note: 'this month as CSV; also format=json, ogf-ur, car, apel (&version=0.2), form=slices',
      }];
    },
  };
}
