/**
 * The import part of the `Accounting` component: `POST /api/v1/accounting/opennebula` (an operator's upload of one
 * OpenNebula XML document, read up to the upload limit, answered after the commit with the import report), the
 * import history as JSON (`/api/v1/accounting/imports[/ID]`) and as pages (`/accounting/imports[/ID]`).
 */
import express from 'express';
import getRawBody from 'raw-body';
import { AppError } from '../../common/index.js';
import type { AccountingPart, AccountingPartFactory } from '../accounting-part.js';
import type { ImportInput, ImportReport } from './import-opennebula-xml.js';
import { listImports, readImport, readIssues } from './import-store.js';

/** The paths whose request bodies the upload reads itself (the app's parsers must leave them alone). */
export const UPLOAD_PATHS: readonly string[] = ['/api/v1/accounting/opennebula'];

/** What the part needs of the component: its import, with the settings and slice listeners in effect. */
export interface ImportHost {
  import(input: ImportInput): Promise<ImportReport>;
}

const PAGE = 50;
const ISSUES_PAGE = 500;

const isoTime = (t: number) => new Date(t * 1000).toISOString().replace('.000Z', 'Z');

function intParam(value: unknown, name: string, min: number, max: number): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : NaN;
  if (!(n >= min && n <= max)) throw new AppError('bad_request', `${name} must be a whole number from ${min} to ${max}`, { field: name });
  return n;
}

export const importPart: AccountingPartFactory<ImportHost> = (deps, accounting): AccountingPart => {
  const { store } = deps;

  const router = express.Router();
  router.post('/api/v1/accounting/opennebula', deps.requireOperator, async (req, res) => {
    const endpoint = typeof req.query.endpoint === 'string' ? req.query.endpoint : 'upload';
    const limit = deps.settings().maxUploadBytes;
    const declared = Number(req.headers['content-length']);
    const tooLarge = () =>
      new AppError('payload_too_large', `the upload is larger than the limit of ${Math.round(limit / 1048576)} MB (Accounting setting max_upload_mb); nothing was stored`, { limit, setting: 'max_upload_mb' });
    if (Number.isFinite(declared) && declared > limit) {
      res.setHeader('Connection', 'close');
      req.resume();
      throw tooLarge();
    }
    let body: string;
    try {
      // Read whole (at most the limit) before the transaction starts: a slow client must not hold the store's write lock.
      body = await getRawBody(req, { limit, encoding: 'utf8' });
    } catch (err) {
      if ((err as { type?: string }).type === 'entity.too.large') {
        res.setHeader('Connection', 'close');
        req.resume();
        throw tooLarge();
      }
      throw new AppError('bad_request', `cannot read the upload: ${(err as Error).message}`);
    }
    const who = req.auth?.user ?? 'a token';
    const report = await accounting.import({ endpoint, source: `upload by ${who}`, xml: body });
    res.status(200).json(report);
  });

  router.get('/api/v1/accounting/imports', deps.requireRead, async (req, res) => {
    const before = intParam(req.query.before, 'before', 1, Number.MAX_SAFE_INTEGER);
    const limit = intParam(req.query.limit, 'limit', 1, 1000) ?? PAGE;
    res.set('Cache-Control', 'no-store').json({ imports: await listImports(store, { limit, ...(before ? { before } : {}) }) });
  });

  router.get('/api/v1/accounting/imports/:id', deps.requireRead, async (req, res) => {
    const id = intParam(req.params.id, 'id', 1, Number.MAX_SAFE_INTEGER)!;
    const summary = await readImport(store, id);
    if (!summary) throw new AppError('not_found', `no import ${id}`);
    const offset = intParam(req.query.offset, 'offset', 0, Number.MAX_SAFE_INTEGER) ?? 0;
    const limit = intParam(req.query.limit, 'limit', 1, 10_000) ?? ISSUES_PAGE;
    res.set('Cache-Control', 'no-store').json({ ...summary, issues: await readIssues(store, id, { limit, offset }) });
  });

  router.get('/accounting/imports', deps.requireRead, async (req, res) => {
    const before = intParam(req.query.before, 'before', 1, Number.MAX_SAFE_INTEGER);
    const imports = await listImports(store, { limit: PAGE, ...(before ? { before } : {}) });
    const rows = await Promise.all(imports.map(async (i) => ({
      ...i,
      started: isoTime(i.startedAt),
      nowText: isoTime(i.now),
      rejects: i.rejected > 0 ? await readIssues(store, i.id, { limit: 20, kind: 'rejected' }) : [],
      moreRejects: i.rejected > 20,
    })));
    const last = imports[imports.length - 1];
    res.set('Cache-Control', 'no-store').render('accounting-imports', {
      title: 'Accounting imports',
      imports: rows,
      older: imports.length === PAGE && last ? `/accounting/imports?before=${last.id}` : undefined,
    });
  });

  router.get('/accounting/imports/:id', deps.requireRead, async (req, res) => {
    const id = intParam(req.params.id, 'id', 1, Number.MAX_SAFE_INTEGER)!;
    const summary = await readImport(store, id);
    if (!summary) throw new AppError('not_found', `no import ${id}`);
    const offset = intParam(req.query.offset, 'offset', 0, Number.MAX_SAFE_INTEGER) ?? 0;
    const issues = await readIssues(store, id, { limit: ISSUES_PAGE, offset });
    const total = summary.rejected + summary.warnings;
    res.set('Cache-Control', 'no-store').render('accounting-import', {
      title: `Accounting import ${id}`,
      imp: { ...summary, started: isoTime(summary.startedAt), finished: isoTime(summary.finishedAt), nowText: isoTime(summary.now) },
      issues,
      from: offset + 1,
      to: offset + issues.length,
      total,
      next: offset + ISSUES_PAGE < total ? `/accounting/imports/${id}?offset=${offset + ISSUES_PAGE}` : undefined,
    });
  });

  return {
    name: 'import',
    router,
    links: [{ title: 'Import history', href: '/accounting/imports', note: 'every file, upload and pull: counts, each rejected record and its reason' }],
  };
};
