/**
 * Dead letters for operators: `/nagios/dead-letters` (per target, with Retry and Discard forms, admin only) and the
 * same as JSON under `/api/v1/nagios/dead-letters`. An action is committed before the answer or the redirect.
 */
import type { Request, Router } from 'express';
import { AppError } from '../../common/index.js';
import type { DeadLetter, DeadLetters } from '../dead-letters.js';
import type { PageDeps } from './page-deps.js';
import { utc } from './page-format.js';
import { choiceField, field, idsField, intField } from './page-inputs.js';

const ACTIONS = ['retry', 'discard'] as const;
type Action = (typeof ACTIONS)[number];
/** Ids one request may name (a page shows at most this many letters per target). */
const MAX_IDS = 1_000;
const PAST = { retry: 'retried', discard: 'discarded' } as const;

/** Who acted, for the trace (a service token has no user). */
const actor = (req: Request) => req.auth?.user ?? (req.auth?.via === 'bearer' ? 'a service token' : 'anonymous');

function letterJson(l: DeadLetter) {
  const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
  return {
    id: l.id, kind: l.kind, action: l.action ?? null, host: l.host, service: l.service, checkTime: l.checkTime, output: l.output, reason: l.reason, attempts: l.attempts,
    queuedAt: iso(l.queuedAt), firstAttemptAt: iso(l.firstAttemptAt), lastAttemptAt: iso(l.lastAttemptAt), deadAt: iso(l.deadAt),
  };
}

function letterRow(l: DeadLetter) {
  return {
    ...l,
    what: l.kind === 'command' ? `${l.action ?? 'command'}` : `${l.kind} result`,
    checkTimeText: utc(l.checkTime * 1000),
    firstAttempt: utc(l.firstAttemptAt),
    lastAttempt: utc(l.lastAttemptAt),
    queued: utc(l.queuedAt),
  };
}

export function addDeadLetterRoutes(router: Router, deps: PageDeps): void {
  const { bridge, clock } = deps;

  const lettersOf = (name: string): DeadLetters => {
    const dead = bridge.deadLetters(name);
    if (!dead) throw new AppError('not_found', `no Nagios target "${name}"`, { field: 'target' });
    return dead;
  };
  /** The targets a listing covers: the one named in `target`, or all. */
  const targetsFor = async (named: string | undefined) => {
    const names = (await bridge.stats()).map((s) => s.name);
    if (named === undefined) return names;
    if (!names.includes(named)) throw new AppError('not_found', `no Nagios target "${named}"`, { field: 'target' });
    return [named];
  };
  const act = async (name: string, action: Action, ids: readonly number[] | undefined, req: Request) => {
    const dead = lettersOf(name);
    const by = actor(req);
    return action === 'retry' ? dead.retry(ids, by, clock()) : dead.discard(ids, by, clock());
  };

  router.get('/nagios/dead-letters', deps.requireRead, async (req, res) => {
    const limit = intField(req.query, 'limit', 1, MAX_IDS, 100);
    const named = field(req.query, 'target');
    const done = choiceField(req.query, 'done', ['retried', 'discarded', 'none'], 'none');
    const targets = [];
    for (const name of await targetsFor(named)) {
      const { letters, total } = await lettersOf(name).list(limit);
      targets.push({ name, total, shown: letters.length, letters: letters.map(letterRow) });
    }
    res.set('Cache-Control', 'no-store').render('nagios-dead-letters', {
      title: 'Nagios dead letters',
      targets,
      limit,
      admin: req.auth?.role === 'admin',
      notice: done === 'none' || named === undefined ? undefined : { done, count: intField(req.query, 'n', 0, 1_000_000, 0), target: named },
    });
  });

  // A form of the page: `retry=ID` or `discard=ID` (a row's button), or `action=retry|discard` with the checked `id`s.
  router.post('/nagios/dead-letters/:target', deps.requireAdmin, async (req, res) => {
    const name = String(req.params.target);
    lettersOf(name);
    const body: unknown = req.body;
    const one = (['retry', 'discard'] as const).find((a) => field(body, a) !== undefined);
    let action: Action;
    let ids: number[];
    if (one) {
      action = one;
      ids = idsField(body, one, 1)!;
    } else {
      action = choiceField(body, 'action', ACTIONS, 'retry');
      if (field(body, 'action') === undefined) throw new AppError('bad_request', 'field "action": say retry or discard', { field: 'action' });
      ids = idsField(body, 'id', MAX_IDS) ?? [];
      if (!ids.length) throw new AppError('bad_request', 'field "id": select at least one dead letter', { field: 'id' });
    }
    const n = await act(name, action, ids, req);
    // Committed above: the page the browser loads next shows the new state.
    res.redirect(303, `/nagios/dead-letters?target=${encodeURIComponent(name)}&done=${PAST[action]}&n=${n}`);
  });

  router.get('/api/v1/nagios/dead-letters', deps.requireRead, async (req, res) => {
    const limit = intField(req.query, 'limit', 1, MAX_IDS, 100);
    const out = [];
    for (const name of await targetsFor(field(req.query, 'target'))) {
      const { letters, total } = await lettersOf(name).list(limit);
      out.push({ target: name, total, letters: letters.map(letterJson) });
    }
    res.set('Cache-Control', 'no-store').json({ targets: out });
  });

  router.get('/api/v1/nagios/dead-letters/:target', deps.requireRead, async (req, res) => {
    const name = String(req.params.target);
    const { letters, total } = await lettersOf(name).list(intField(req.query, 'limit', 1, MAX_IDS, 100));
    res.set('Cache-Control', 'no-store').json({ target: name, total, letters: letters.map(letterJson) });
  });

  // JSON `{"ids": [1, 2]}` or `{"all": true}`.
  router.post('/api/v1/nagios/dead-letters/:target/:action', deps.requireAdmin, async (req, res) => {
    const name = String(req.params.target);
    const action = choiceField(req.params, 'action', ACTIONS, 'retry');
    lettersOf(name);
    const body: unknown = req.body ?? {};
    const all = (body as { all?: unknown }).all;
    if (all !== undefined && typeof all !== 'boolean') throw new AppError('bad_request', 'field "all": expected true or false', { field: 'all' });
    const ids = idsField(body, 'ids', MAX_IDS);
    if (all === true && ids !== undefined) throw new AppError('bad_request', 'field "ids": give ids or "all": true, not both', { field: 'ids' });
    if (all !== true && !ids?.length) throw new AppError('bad_request', 'field "ids": name at least one dead letter id, or send "all": true', { field: 'ids' });
    const n = await act(name, action, all === true ? undefined : ids, req);
    res.json({ target: name, [PAST[action]]: n });
  });
}
