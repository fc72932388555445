/**
 * The probe status pages: `/rsv/` (hosts × metrics, coloured by state, age, stale marked), `/rsv/host/:host`,
 * `/rsv/metric/:metric?host=` (Highcharts history), the `/samples/` explorer, and Highcharts from node_modules.
 */
import type { RequestHandler, Router } from 'express';
import { createRequire } from 'node:module';
import { AppError, type Clock } from '../common/index.js';
import type { Store } from '../store/index.js';
import { parseTime, queryInt, queryText } from './http-params.js';
import type { MonitoringRepository } from './monitoring-repository.js';
import { addResultPage, resultBrief } from './result-page.js';
import { sampleJson } from './sample-json.js';
import type { CollectorSettings } from './settings.js';
import { STATUS_WORDS, type StoredSample } from './types.js';

export interface StatusPageDeps {
  repository: MonitoringRepository;
  store: Pick<Store, 'query'>;
  settings: () => CollectorSettings;
  clock: Clock;
  read: RequestHandler;
}

/** A cell of the matrix or a row of the host page. */
interface StatusCell {
  /** The sample id: `/rsv/result/:id` shows the result. */
  id: number;
  details: string;
  detailsOmitted: number;
  node: string;
  metric: string;
  state: string;
  stateClass: string;
  age: string;
  stale: boolean;
  time: string;
  summary: string;
}

/** Whether a sample is a probe state (RSV records, or any sample tagged with a status word). */
export function isStateSample(s: StoredSample): boolean {
  return s.source === 'rsv' || (s.tags?.status !== undefined && (STATUS_WORDS as readonly string[]).includes(s.tags.status));
}

/** `42 s`, `5 min`, `3 h`, `2 d`. */
export function formatAge(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  if (s < 172_800) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86_400)} d`;
}

function cell(s: StoredSample, now: Date, staleMs: number): StatusCell {
  const state = STATUS_WORDS[s.value] ?? 'UNKNOWN';
  const age = now.getTime() - s.time.getTime();
  return { ...resultBrief(s), node: s.node, metric: s.metric, state, stateClass: state.toLowerCase(), age: formatAge(age), stale: age > staleMs, time: s.time.toISOString(), summary: s.summary ?? '' };
}

const require = createRequire(import.meta.url);

export function addStatusPages(router: Router, deps: StatusPageDeps): void {
  const { repository } = deps;
  const staleMs = () => deps.settings().staleAfterMinutes * 60_000;

  router.get('/collector-static/highcharts.js', (_req, res) => {
    res.sendFile(require.resolve('highcharts/highcharts.js'), { maxAge: '1d' });
  });

  addResultPage(router, { store: deps.store, clock: deps.clock, read: deps.read });

  router.get('/rsv/', deps.read, async (_req, res) => {
    const now = deps.clock();
    const latest = (await repository.getLastSamples([], [])).filter(isStateSample);
    const hosts = [...new Set(latest.map((s) => s.node))].sort();
    const metrics = [...new Set(latest.map((s) => s.metric))].sort();
    const byKey = new Map(latest.map((s) => [`${s.node}\u0000${s.metric}`, cell(s, now, staleMs())]));
    const rows = hosts.map((host) => ({ host, cells: metrics.map((metric) => byKey.get(`${host}\u0000${metric}`) ?? { node: host, metric, empty: true }) }));
    const counts = Object.fromEntries(STATUS_WORDS.map((w) => [w, latest.filter((s) => STATUS_WORDS[s.value] === w).length]));
    res.render('rsv-status', {
      title: 'Probe status',
      hosts: rows,
      metrics,
      counts,
      stale: [...byKey.values()].filter((c) => c.stale).length,
      staleMinutes: deps.settings().staleAfterMinutes,
      now: now.toISOString(),
    });
  });

  router.get('/rsv/host/:host', deps.read, async (req, res) => {
    const host = String(req.params.host);
    const now = deps.clock();
    const latest = (await repository.getLastSamples([host], [])).filter(isStateSample);
    if (!latest.length) throw new AppError('not_found', `no probe results for host ${host}`);
    res.render('rsv-host', { title: `Probes on ${host}`, host, rows: latest.map((s) => cell(s, now, staleMs())), staleMinutes: deps.settings().staleAfterMinutes });
  });

  router.get('/rsv/metric/:metric', deps.read, async (req, res) => {
    const metric = String(req.params.metric);
    const host = queryText(req, 'host');
    const days = queryInt(req, 'days', 7, 366);
    const end = deps.clock();
    const start = new Date(end.getTime() - days * 86_400_000);
    const samples = await repository.getSamples(host ? [host] : [], [metric], start, end, { limit: 50_000 });
    if (!samples.length && !(await repository.getLastSamples(host ? [host] : [], [metric])).length) {
      throw new AppError('not_found', `no results for metric ${metric}${host ? ` on ${host}` : ''}`);
    }
    const changes: { id: number; node: string; time: string; at: number; from: string; to: string; toClass: string; summary: string; details: string; detailsOmitted: number }[] = [];
    const previous = new Map<string, number>();
    for (const s of samples) {
      const before = previous.get(s.node);
      if (before !== s.value) {
        changes.push({ ...resultBrief(s), node: s.node, time: s.time.toISOString(), at: s.time.getTime(), from: before === undefined ? '' : (STATUS_WORDS[before] ?? String(before)), to: STATUS_WORDS[s.value] ?? String(s.value), toClass: (STATUS_WORDS[s.value] ?? 'UNKNOWN').toLowerCase(), summary: s.summary ?? '' });
      }
      previous.set(s.node, s.value);
    }
    // Newest first across every host (the samples come host by host); a host's changes at one time keep their order.
    changes.sort((a, b) => b.at - a.at || (a.node < b.node ? -1 : a.node > b.node ? 1 : 0));
    res.render('rsv-metric', {
      title: `${metric}${host ? ` on ${host}` : ''}`,
      metric,
      host: host ?? null,
      days,
      changes: changes.slice(0, 200),
      chart: { metric, states: samples.every(isStateSample), series: seriesByNode(samples) },
    });
  });

  router.get('/samples/', deps.read, async (req, res) => {
    const pairs = await deps.store.query<{ node: string; metric: string }>('SELECT node, metric FROM latest_samples ORDER BY node, metric LIMIT 5000');
    const node = queryText(req, 'node') ?? '';
    const metric = queryText(req, 'metric') ?? '';
    const end = queryText(req, 'end') ? parseTime(queryText(req, 'end')!, 'end') : deps.clock();
    const start = queryText(req, 'start') ? parseTime(queryText(req, 'start')!, 'start') : new Date(end.getTime() - 86_400_000);
    const samples = node && metric ? await repository.getSamples([node], [metric], start, end, { limit: 10_000 }) : [];
    res.render('samples-explorer', {
      title: 'Sample explorer',
      nodes: [...new Set(pairs.map((p) => p.node))].map((n) => ({ name: n, selected: n === node })),
      metrics: [...new Set(pairs.map((p) => p.metric))].map((m) => ({ name: m, selected: m === metric })),
      node,
      metric,
      start: start.toISOString(),
      end: end.toISOString(),
      rows: samples.slice(-200).reverse().map(sampleJson),
      count: samples.length,
      chart: node && metric ? { metric, states: samples.every(isStateSample), series: seriesByNode(samples) } : null,
    });
  });
}

/** One Highcharts series per node: `[epoch ms, value]` points with the summary for tooltips. */
function seriesByNode(samples: readonly StoredSample[]): { name: string; data: { x: number; y: number; summary: string }[] }[] {
  const series = new Map<string, { x: number; y: number; summary: string }[]>();
  for (const s of samples) {
    let data = series.get(s.node);
    if (!data) series.set(s.node, (data = []));
    data.push({ x: s.time.getTime(), y: s.value, summary: (s.summary ?? '').slice(0, 200) });
  }
  return [...series].map(([name, data]) => ({ name, data }));
}
