/**
 * `/nagios/trace`: results found by host and service (exact, prefix or an RE2 pattern: linear time) and received
 * time, newest first and bounded; `/nagios/trace/:id`: one result's received, queued, each attempt, and its end.
 */
import type { Router } from 'express';
import { AppError } from '../../common/index.js';
import type { ItemPlace } from '../../queue/index.js';
import { MAX_PATTERN_SCAN, TRACE_MATCHES, type TraceEventRow, type TracedResult } from '../result-trace.js';
import type { PageDeps } from './page-deps.js';
import { utc } from './page-format.js';
import { choiceField, field, intField, timeField } from './page-inputs.js';
import type { PagesBridge } from './pages-source.js';
import { targetOutcome } from './trace-outcome.js';

const STATES = ['OK', 'WARNING', 'CRITICAL', 'UNKNOWN'];
const HOST_STATES = ['UP', 'DOWN', 'UNREACHABLE'];

/** The events and the outbox places of `results`, one `locate` per target. */
async function whereabouts(bridge: PagesBridge, results: readonly TracedResult[]) {
  const events = await bridge.trace.eventsOf(results.map((r) => r.key));
  const keysByTarget = new Map<string, string[]>();
  for (const r of results) for (const t of r.targets) keysByTarget.set(t, [...(keysByTarget.get(t) ?? []), r.key]);
  const places = new Map<string, Map<string, ItemPlace>>();
  for (const [target, keys] of keysByTarget) {
    const outbox = bridge.outbox(target);
    places.set(target, outbox ? await outbox.queue.locate(keys) : new Map<string, ItemPlace>());
  }
  return { events, places };
}

function resultView(r: TracedResult, events: readonly TraceEventRow[], places: Map<string, Map<string, ItemPlace>>, now: number) {
  return {
    ...r,
    stateText: (r.kind === 'host' ? HOST_STATES : STATES)[r.state] ?? String(r.state),
    received: utc(r.receivedAt),
    checked: utc(r.checkTime * 1000),
    outcomes: r.targets.map((t) => targetOutcome(t, events, places.get(t)?.get(r.key), now)),
  };
}

export function addTracePages(router: Router, deps: PageDeps): void {
  const { bridge, clock } = deps;

  router.get('/nagios/trace', deps.requireRead, async (req, res) => {
    const host = field(req.query, 'host');
    const service = field(req.query, 'service');
    const match = choiceField(req.query, 'match', TRACE_MATCHES, 'exact');
    const from = timeField(req.query, 'from');
    const to = timeField(req.query, 'to');
    if (from !== undefined && to !== undefined && from >= to) throw new AppError('bad_request', 'field "to": must be after "from"', { field: 'to' });
    const limit = intField(req.query, 'limit', 1, 500, 50);
    const results = await bridge.trace.search({ host, service, match, from, to, limit });
    const { events, places } = await whereabouts(bridge, results);
    const now = clock().getTime();
    res.set('Cache-Control', 'no-store').render('nagios-trace', {
      title: 'Nagios result trace',
      form: { host: host ?? '', service: service ?? '', from: field(req.query, 'from') ?? '', to: field(req.query, 'to') ?? '', limit, matches: TRACE_MATCHES.map((m) => ({ value: m, selected: m === match })) },
      results: results.map((r) => resultView(r, events.get(r.key) ?? [], places, now)),
      full: results.length === limit,
      limit,
      pattern: match === 'pattern',
      maxScan: MAX_PATTERN_SCAN,
    });
  });

  router.get('/nagios/trace/:id', deps.requireRead, async (req, res) => {
    const id = intField(req.params, 'id', 1, Number.MAX_SAFE_INTEGER, 0);
    const found = await bridge.trace.trace(id);
    if (!found) throw new AppError('not_found', `no traced result ${id} (results are kept 7 days, at most 200,000)`);
    const { events, places } = await whereabouts(bridge, [found.result]);
    const own = events.get(found.result.key) ?? found.events;
    res.set('Cache-Control', 'no-store').render('nagios-trace-result', {
      title: `Trace of ${found.result.host}${found.result.service ? ` / ${found.result.service}` : ''}`,
      result: resultView(found.result, own, places, clock().getTime()),
      events: own.map((e) => ({ ...e, when: utc(e.at) })),
    });
  });
}
