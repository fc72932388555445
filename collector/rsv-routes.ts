/** `POST /rsv/records`: WLCG probe records in, all or nothing; the answer counts accepted and duplicate records. */
import type { Request, Router } from 'express';
import { AppError, type Clock } from '../common/index.js';
import { readBody } from './http-body.js';
import { queryText } from './http-params.js';
import type { MetricCatalog } from './metric-catalog.js';
import { RECORD_FORMATS, readRecordsInSlices, type RecordFormat } from './record-body.js';
import { ingestRecords } from './record-ingest.js';
import { declaredBodyBytes, withBodyInSlot } from './large-body-gate.js';
import type { SampleWriter } from './sample-writer.js';
import type { CollectorMetrics } from './self-metrics.js';
import type { CollectorSettings } from './settings.js';
import type { RequestHandler } from 'express';

export interface RsvRouteDeps {
  writer: SampleWriter;
  catalog: MetricCatalog;
  settings: () => CollectorSettings;
  clock: Clock;
  metrics: CollectorMetrics;
  write: RequestHandler;
}

/** `?format=` when given, else JSON for `application/json` bodies, else WLCG text. */
export function recordFormat(req: Request): RecordFormat {
  const asked = queryText(req, 'format');
  if (asked !== undefined) {
    if ((RECORD_FORMATS as readonly string[]).includes(asked)) return asked as RecordFormat;
    throw new AppError('bad_request', `format "${asked}" is not one of ${RECORD_FORMATS.join(', ')}`, { field: 'format' });
  }
  return req.is('application/json') ? 'json' : 'wlcg';
}

const BRIEF_QUERY_FIELDS = ['metric', 'host', 'gatheredAt', 'serviceType', 'metricType'] as const;

export function addRsvRoutes(router: Router, deps: RsvRouteDeps): void {
  // Label children bound once: a labelled inc() hashes its labels on every call.
  const acceptedRecords = deps.metrics.records.labels({ result: 'accepted' });
  const duplicateRecords = deps.metrics.records.labels({ result: 'duplicate' });
  router.post('/rsv/records', deps.write, async (req, res) => {
    const started = performance.now();
    const s = deps.settings();
    try {
      const format = recordFormat(req);
      // Only `brief` records take fields from the query string.
      const query = format === 'brief' ? Object.fromEntries(BRIEF_QUERY_FIELDS.map((k) => [k, queryText(req, k)])) : {};
      const { records, outcome } = await withBodyInSlot(declaredBodyBytes(req.headers), () => readBody(req, s.maxBodyBytes), async (body) => {
        // The time the record arrived: once the body is read (a large one may have waited for its slot).
        const now = deps.clock();
        const records = await readRecordsInSlices(body, {
          format,
          query,
          now,
          maxRecords: s.maxRecordsPerRequest,
          detailsTrimLength: s.detailsTrimLength,
          defaultGatheredAt: s.gatheredAt,
        });
        deps.catalog.check(records.map((r) => ({ metric: r.record.metricName })), 'record');
        return { records, outcome: await ingestRecords(deps.writer, records, now) };
      });
      acceptedRecords.inc(outcome.accepted);
      duplicateRecords.inc(outcome.duplicates);
      deps.metrics.commitSeconds.observe((performance.now() - started) / 1000);
      // Written directly: res.json() would also hash the small answer for an ETag no POST client uses.
      const answer = JSON.stringify({ received: records.length, accepted: outcome.accepted, duplicates: outcome.duplicates });
      res.status(200).setHeader('Content-Type', 'application/json; charset=utf-8');
      res.end(answer);
    } catch (err) {
      const status = err instanceof AppError ? err.httpStatus : 500;
      deps.metrics.requestsRejected.inc({ endpoint: '/rsv/records', status: String(status) });
      const n = err instanceof AppError && typeof err.context.records === 'number' ? err.context.records : 1;
      deps.metrics.records.inc({ result: 'rejected' }, n);
      throw err;
    }
  });
}
