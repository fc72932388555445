/**
 * `GET /api/v1/billing/export`'s document: the parameters checked (a bad one is a 400 naming it) and the chosen
 * format streamed from the period's slices. An unknown or empty period gives the format's empty document.
 */
import { AppError } from '../../common/index.js';
import type { Queryable } from '../../store/index.js';
import { apelMessage, APEL_VERSIONS, type ApelVersion } from './apel-message.js';
import { apelRecordsOfMonth } from './apel-records.js';
import { carUsageRecords } from './car-export.js';
import { chargesCsv, slicesCsv, usageCsv } from './csv-export.js';
import type { RateCard } from '../billing/index.js';
import { parseMonth } from './export-period.js';
import type { ExportSettings } from './export-settings.js';
import { chargesJson, slicesJson, usageJson } from './json-export.js';
import { gratiaUsageRecords } from './ogf-ur-export.js';

export const EXPORT_FORMATS = ['csv', 'json', 'ogf-ur', 'car', 'apel'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export const EXPORT_FORMS = ['usage', 'slices', 'charges'] as const;

export interface ExportRequest {
  period: string;
  format: ExportFormat;
  /** csv and json: resource rows per VM (`usage`, the default), one row per day slice (`slices`), or invoice lines (`charges`). */
  form: (typeof EXPORT_FORMS)[number];
  version: ApelVersion;
  endpoint?: string;
}

export interface ExportDocument {
  contentType: string;
  fileName: string;
  body: AsyncIterable<string>;
}

const one = (query: Record<string, unknown>, name: string): string | undefined => {
  const v = query[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new AppError('bad_request', `${name} must be given once`, { field: name });
  return v;
};

function oneOf<T extends string>(query: Record<string, unknown>, name: string, allowed: readonly T[], fallback?: T): T {
  const v = one(query, name) ?? fallback;
  if (v === undefined) throw new AppError('bad_request', `${name} is required (one of ${allowed.join(', ')})`, { field: name });
  if (!(allowed as readonly string[]).includes(v)) {
    throw new AppError('bad_request', `${name} must be one of ${allowed.join(', ')}, not "${v}"`, { field: name });
  }
  return v as T;
}

/** Reads and checks the query parameters (`period`, `format`, `form`, `version`, `endpoint`). */
export function parseExportRequest(query: Record<string, unknown>): ExportRequest {
  const period = one(query, 'period');
  if (period === undefined) throw new AppError('bad_request', 'period is required (a month YYYY-MM)', { field: 'period' });
  parseMonth(period);
  const format = oneOf(query, 'format', EXPORT_FORMATS);
  const form = oneOf(query, 'form', EXPORT_FORMS, 'usage');
  const version = oneOf(query, 'version', APEL_VERSIONS, '0.4');
  const endpoint = one(query, 'endpoint');
  if (endpoint !== undefined && !/^[\w.-]{1,64}$/.test(endpoint)) {
    throw new AppError('bad_request', 'endpoint must be an endpoint name (letters, digits, . _ -; at most 64)', { field: 'endpoint' });
  }
  return { period, format, form, version, endpoint };
}

async function* apelBody(q: Queryable, req: ExportRequest, settings: ExportSettings): AsyncGenerator<string> {
  const month = parseMonth(req.period, settings.timeZone);
  // One message holding the whole month: a download, not the SSM directory (which cuts messages at N records).
  yield apelMessage(await apelRecordsOfMonth(q, month, settings.endpointUrls, req.endpoint), req.version, settings);
}

/**
 * The document for a checked request; `createTime` stamps the XML records, `card` rates the charges form (without
 * one that form is a 422). The period is checked here, before any byte.
 */
export function exportDocument(q: Queryable, req: ExportRequest, settings: ExportSettings, createTime: number, card?: RateCard): ExportDocument {
  const month = parseMonth(req.period, settings.timeZone);
  const base = `usage-${req.period}`;
  const zone = settings.timeZone;
  const rated = (): RateCard => {
    if (card) return card;
    throw new AppError('unprocessable', 'form=charges needs a <class type="RateCard"> in the configuration', { field: 'form' });
  };
  switch (req.format) {
    case 'csv':
      return { contentType: 'text/csv; charset=utf-8', fileName: `${base}-${req.form}.csv`,
        body: req.form === 'usage' ? usageCsv(q, month, req.endpoint)
          : req.form === 'slices' ? slicesCsv(q, month, req.endpoint) : chargesCsv(q, month, rated(), zone, req.endpoint) };
    case 'json':
      return { contentType: 'application/json; charset=utf-8', fileName: `${base}-${req.form}.json`,
        body: req.form === 'usage' ? usageJson(q, month, zone, req.endpoint)
          : req.form === 'slices' ? slicesJson(q, month, zone, req.endpoint) : chargesJson(q, month, rated(), zone, req.endpoint) };
    case 'ogf-ur':
      return { contentType: 'application/xml; charset=utf-8', fileName: `${base}-ogf-ur.xml`,
        body: gratiaUsageRecords(q, month, settings, createTime, req.endpoint) };
    case 'car':
      return { contentType: 'application/xml; charset=utf-8', fileName: `${base}-car.xml`,
        body: carUsageRecords(q, month, settings, createTime, req.endpoint) };
    case 'apel':
      return { contentType: 'text/plain; charset=utf-8', fileName: `${base}-apel-v${req.version}.txt`, body: apelBody(q, req, settings) };
  }
}
