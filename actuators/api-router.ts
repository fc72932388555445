/**
 * Remote dispatch: `POST /api/v1/dispatch` (202 with the handle once committed), `GET /api/v1/dispatch/<handle>`,
 * `POST /api/v1/nodes/<node>/state` and `GET /api/v1/nodes/<node>`. Writes need the operator role, reads the read role;
 * a bad field is a 400 naming it.
 */
import express, { type RequestHandler, type Router } from 'express';
import { AppError } from '../common/index.js';
import type { ActuatorDispatcher } from './dispatcher.js';

export interface DispatchApiOptions {
  dispatcher: ActuatorDispatcher;
  /** The access stage's role checks (the app has run authenticate, the JSON parser and the CSRF check before). */
  access: { requireRole(role: 'operator'): RequestHandler; requireRead: RequestHandler };
}

const MAX_DRAIN_MS = 86_400_000;

function jsonBody(req: express.Request): Record<string, unknown> {
  if (!req.is('application/json')) throw new AppError('unsupported_media_type', 'body: send JSON with Content-Type: application/json');
  const body: unknown = req.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new AppError('bad_request', 'body: must be a JSON object', { field: 'body' });
  return body as Record<string, unknown>;
}

const KNOWN_DISPATCH = ['actuator', 'node', 'timeout', 'urgent', 'concurrencyKey', 'params'];
const KNOWN_STATE = ['state', 'mode', 'drainTimeout', 'reason'];

function unknownFields(body: Record<string, unknown>, known: readonly string[]) {
  const extra = Object.keys(body).find((k) => !known.includes(k));
  if (extra !== undefined) throw new AppError('bad_request', `${extra}: unknown field (known: ${known.join(', ')})`, { field: extra });
}

export function dispatchApiRouter(options: DispatchApiOptions): Router {
  const { dispatcher: d, access } = options;
  const router = express.Router();
  router.post('/api/v1/dispatch', access.requireRole('operator'), async (req, res) => {
    const b = jsonBody(req);
    unknownFields(b, KNOWN_DISPATCH);
    const handle = await d.dispatch(b.actuator as string, b.node as string, b.timeout as number | undefined, {
      ...(b.urgent === undefined ? {} : { urgent: b.urgent as boolean }),
      ...(b.concurrencyKey === undefined ? {} : { concurrencyKey: b.concurrencyKey as string[] }),
      ...(b.params === undefined ? {} : { params: b.params as Record<string, string> }),
    });
    res.status(202).location(`/api/v1/dispatch/${handle}`).json({ handle, status: (await d.getStatus(handle))?.status ?? 'QUEUED' });
  });
  router.get('/api/v1/dispatch/:handle', access.requireRead, async (req, res) => {
    const handle = String(req.params.handle);
    const s = /^[0-9a-f-]{36}$/.test(handle) ? await d.getStatus(handle) : undefined;
    if (!s) throw new AppError('not_found', `handle "${handle.slice(0, 64)}" is unknown (never dispatched, or purged after its retention)`);
    res.json(s);
  });
  router.get('/api/v1/nodes/:node', access.requireRead, async (req, res) => {
    res.json(await d.nodeStatus(String(req.params.node)));
  });
  router.post('/api/v1/nodes/:node/state', access.requireRole('operator'), async (req, res) => {
    const b = jsonBody(req);
    unknownFields(b, KNOWN_STATE);
    if (b.state !== 'production' && b.state !== 'maintenance') throw new AppError('bad_request', 'state: must be "production" or "maintenance"', { field: 'state' });
    if (b.mode !== undefined && b.mode !== 'drain' && b.mode !== 'force') throw new AppError('bad_request', 'mode: must be "drain" or "force"', { field: 'mode' });
    const drain = b.drainTimeout;
    if (drain !== undefined && (typeof drain !== 'number' || !Number.isInteger(drain) || drain < 0 || drain > MAX_DRAIN_MS)) {
      throw new AppError('bad_request', `drainTimeout: must be a whole number of milliseconds from 0 to ${MAX_DRAIN_MS}`, { field: 'drainTimeout' });
    }
    if (b.reason !== undefined && (typeof b.reason !== 'string' || b.reason.length > 1_000)) throw new AppError('bad_request', 'reason: must be a string of at most 1000 characters', { field: 'reason' });
    const status = await d.setNodeState(String(req.params.node), b.state, {
      ...(b.mode === undefined ? {} : { mode: b.mode }),
      ...(drain === undefined ? {} : { drainTimeoutMs: drain }),
      ...(b.reason === undefined ? {} : { reason: b.reason }),
    });
    res.json(status);
  });
  return router;
}
