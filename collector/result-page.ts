/**
 * One probe result as an operator reads it: `GET /rsv/result/:id` (the sample id) shows the state, summary, details,
 * the measured and received times and the raw record as it arrived, each bounded in size; the views escape all of it.
 */
import type { RequestHandler, Router } from 'express';
import { AppError, parseSqlDateTime, type Clock } from '../common/index.js';
import type { Store } from '../store/index.js';
import { SAMPLE_SELECT, toStoredSample } from './sample-rows.js';
import { STATUS_WORDS, type StoredSample } from './types.js';

/** Most characters of details or raw text the result page shows (the rest is counted, not sent). */
export const RESULT_TEXT_LIMIT = 64 * 1024;
/** Most characters of details a row of the host or metric page shows. */
export const ROW_DETAILS_LIMIT = 2_000;

/** Text cut to `limit` characters, with how much was left out. */
export function bounded(text: string | undefined, limit: number): { text: string; omitted: number } {
  const t = text ?? '';
  return t.length <= limit ? { text: t, omitted: 0 } : { text: t.slice(0, limit), omitted: t.length - limit };
}

/** What the matrix, host and metric pages carry of a result: its id (for the link) and bounded details. */
export function resultBrief(s: StoredSample): { id: number; details: string; detailsOmitted: number } {
  const d = bounded(s.details, ROW_DETAILS_LIMIT);
  return { id: s.id, details: d.text, detailsOmitted: d.omitted };
}

export interface ResultPageDeps {
  store: Pick<Store, 'query'>;
  clock: Clock;
  read: RequestHandler;
}

const dateText = (v: unknown): string => (v instanceof Date ? v : new Date(parseSqlDateTime(String(v)))).toISOString();

export function addResultPage(router: Router, deps: ResultPageDeps): void {
  router.get('/rsv/result/:id', deps.read, async (req, res) => {
    const idText = String(req.params.id);
    const id = Number(idText);
    if (!/^\d{1,15}$/.test(idText) || !Number.isSafeInteger(id)) throw new AppError('bad_request', `result id "${idText.slice(0, 40)}" is not a whole number`, { field: 'id' });
    const [row] = await deps.store.query(`${SAMPLE_SELECT} WHERE id = ?`, [id]);
    if (!row) throw new AppError('not_found', `no result ${id} (it may be older than the retention)`);
    const s = toStoredSample(row);
    const [record] = await deps.store.query<{ raw: string; received_at: unknown; timestamp_text: string; metric_type: string; service_type: string; service_uri: string | null }>(
      'SELECT raw, received_at, timestamp_text, metric_type, service_type, service_uri FROM probe_records WHERE sample_id = ?',
      [id],
    );
    const state = STATUS_WORDS[s.value] ?? 'UNKNOWN';
    const details = bounded(s.details, RESULT_TEXT_LIMIT);
    const raw = record ? bounded(record.raw, RESULT_TEXT_LIMIT) : undefined;
    const now = deps.clock();
    res.render('rsv-result', {
      title: `${s.metric} on ${s.node}`,
      result: {
        id: s.id,
        node: s.node,
        metric: s.metric,
        state,
        stateClass: state.toLowerCase(),
        source: s.source,
        time: s.time.toISOString(),
        ageSeconds: Math.max(0, Math.round((now.getTime() - s.time.getTime()) / 1000)),
        summary: s.summary ?? '',
        details: details.text,
        detailsOmitted: details.omitted,
        tags: Object.entries(s.tags ?? {}).map(([name, value]) => ({ name, value })),
      },
      record: record && raw
        ? {
            receivedAt: dateText(record.received_at),
            timestampText: record.timestamp_text,
            metricType: record.metric_type,
            serviceType: record.service_type,
            serviceUri: record.service_uri ?? '',
            raw: raw.text,
            rawOmitted: raw.omitted,
          }
        : undefined,
      limit: RESULT_TEXT_LIMIT,
    });
  });
}
