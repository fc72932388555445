/** The samples API: batch insert, range and latest queries, declared metrics, and a server-sent event stream. */
import type { RequestHandler, Router } from 'express';
import { AppError, type Clock } from '../common/index.js';
import { readBody } from './http-body.js';
import { queryInt, queryList, queryText, parseTime } from './http-params.js';
import { parseJsonInSlices } from './json-slices.js';
import type { MonitoringRepository } from './monitoring-repository.js';
import { sampleJson, samplesFromJson } from './sample-json.js';
import { streamSamples } from './sample-stream.js';
import { isStateSample } from './status-pages.js';
import { decodeUtf8InSlices, findBinary } from './text-check.js';
import { declaredBodyBytes, withBodyInSlot } from './large-body-gate.js';
import type { CollectorMetrics } from './self-metrics.js';
import type { CollectorSettings } from './settings.js';

export interface SampleRouteDeps {
  repository: MonitoringRepository;
  settings: () => CollectorSettings;
  clock: Clock;
  metrics: CollectorMetrics;
  read: RequestHandler;
  write: RequestHandler;
  /** Open event streams, ended on shutdown. */
  streams: Set<() => void>;
}

const DAY_MS = 86_400_000;

export function addSampleRoutes(router: Router, deps: SampleRouteDeps): void {
  const { repository } = deps;

  router.post('/api/v1/samples', deps.write, async (req, res) => {
    try {
      const s = deps.settings();
      const stored = await withBodyInSlot(declaredBodyBytes(req.headers), () => readBody(req, s.maxBodyBytes), async (body) => {
        const bad = findBinary(body);
        if (bad) {
          throw new AppError('bad_request', `line ${bad.line}: the body is not UTF-8 text (binary data at byte ${bad.offset}); nothing was stored`, { line: bad.line, inserted: 0 });
        }
        // In pieces with turns of the event loop between them: one JSON.parse of 8 MB held it for tens of milliseconds.
        const parsed = await parseJsonInSlices(await decodeUtf8InSlices(body));
        return repository.insertSamples(await samplesFromJson(parsed, deps.clock(), s.maxSamplesPerRequest));
      });
      res.json({ inserted: stored.length, ids: stored.length ? [stored[0]!.id, stored[stored.length - 1]!.id] : [] });
    } catch (err) {
      deps.metrics.requestsRejected.inc({ endpoint: '/api/v1/samples', status: String(err instanceof AppError ? err.httpStatus : 500) });
      throw err;
    }
  });

  router.get('/api/v1/samples', deps.read, async (req, res) => {
    const endText = queryText(req, 'end');
    const startText = queryText(req, 'start');
    const end = endText ? parseTime(endText, 'end') : deps.clock();
    const start = startText ? parseTime(startText, 'start') : new Date(end.getTime() - DAY_MS);
    if (start > end) throw new AppError('bad_request', 'start is after end', { field: 'start' });
    const limit = queryInt(req, 'limit', 10_000, 100_000);
    const samples = await repository.getSamples(queryList(req, 'node'), queryList(req, 'metric'), start, end, { limit });
    res.json({ start: start.toISOString(), end: end.toISOString(), count: samples.length, truncated: samples.length === limit, samples: samples.map(sampleJson) });
  });

  router.get('/api/v1/samples/latest', deps.read, async (req, res) => {
    const samples = await repository.getLastSamples(queryList(req, 'node'), queryList(req, 'metric'));
    res.json({ count: samples.length, samples: samples.map(sampleJson) });
  });

  router.get('/api/v1/samples/stream', deps.read, (req, res) => {
    const lastEventId = queryText(req, 'last_event_id');
    const kind = queryText(req, 'kind');
    if (kind !== undefined && kind !== 'states') throw new AppError('bad_request', `kind "${kind.slice(0, 40)}" is not "states" (leave it out for every sample)`, { field: 'kind' });
    const close = streamSamples(req, res, {
      repository,
      node: queryText(req, 'node') || '*',
      metric: queryText(req, 'metric') || '*',
      ...(lastEventId !== undefined ? { lastEventId } : {}),
      ...(kind === 'states' ? { accept: isStateSample } : {}),
    });
    deps.streams.add(close);
    req.on('close', () => deps.streams.delete(close));
  });

  router.get('/api/v1/collector/metrics', deps.read, async (_req, res) => {
    res.json({ metrics: (await repository.metrics()).map((m) => ({ ...m, firstSeen: m.firstSeen.toISOString() })) });
  });
}
