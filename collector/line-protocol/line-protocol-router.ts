/** InfluxDB write endpoints for Telegraf and other agents: `POST /write` (1.x) and `POST /api/v2/write` (2.x). */
import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import { AppError, systemClock, type Clock } from '../../common/index.js';
import { LineProtocolError, LineProtocolLimitError, parseLineProtocolInSlices } from './parse-line-protocol.js';
import { dateToNanos } from './precision.js';
import type { SampleSink } from '../types.js';
import { pointsToSamplesInSlices } from './points-to-samples.js';
import { BodyError, readWriteBody } from './read-body.js';
import { declaredBodyBytes, withBodyInSlot } from '../large-body-gate.js';
import { V1_PRECISIONS, V2_PRECISIONS, type Precision } from './types.js';

/** Per-request limits; a request over one is refused whole (413) and the reply names the limit. */
export interface LineProtocolLimits {
  /** Largest body, in bytes, after gzip is unpacked. */
  maxBodyBytes: number;
  /** Most lines (points) in one request. */
  maxLines: number;
}

/** InfluxDB 1.x's own body limit (25 MB), and twice Telegraf's largest usual batch in lines. */
export const DEFAULT_LINE_PROTOCOL_LIMITS: LineProtocolLimits = { maxBodyBytes: 25 * 1024 * 1024, maxLines: 50_000 };

export interface LineProtocolRouterOptions {
  sink: SampleSink;
  /** Runs before each write route: the appliance's write authentication. */
  gate?: { write: RequestHandler };
  limits?: Partial<LineProtocolLimits>;
  /** The time of points without a timestamp (default: the system clock). */
  clock?: Clock;
}

/** Which InfluxDB API a route speaks, for its error bodies and precisions. */
type Api = 'v1' | 'v2';

/** InfluxDB's error bodies: 1.x `{"error": ...}`, 2.x `{"code": ..., "message": ...}`; clients parse these. */
function sendInfluxError(res: Response, api: Api, status: number, message: string, extra: Record<string, unknown> = {}): void {
  if (status === 413) res.setHeader('Connection', 'close');
  const code = status === 413 ? 'request too large' : status === 415 ? 'unsupported media type' : 'invalid';
  res.status(status).json(api === 'v1' ? { error: message, ...extra } : { code, message, ...extra });
}

function precisionOf(req: Request, api: Api): Precision | undefined {
  const raw = req.query.precision;
  if (raw === undefined || raw === '') return 'ns';
  const allowed: readonly string[] = api === 'v1' ? V1_PRECISIONS : V2_PRECISIONS;
  return typeof raw === 'string' && allowed.includes(raw) ? (raw as Precision) : undefined;
}

/** The sender's address, the node of points without a `host` tag (IPv4-mapped IPv6 shown as IPv4). */
function senderNode(req: Request): string {
  const ip = req.ip ?? req.socket.remoteAddress ?? 'unknown';
  return ip.startsWith('::ffff:') ? ip.slice(7) : ip;
}

/**
 * The write endpoints. A body is all or nothing: the first bad line rejects the whole request with 400 and
 * InfluxDB's error body naming the line (`error parsing line 3 (1-based): ...`, also as `line`), and nothing is stored.
 * Success is 204 after the samples are committed. `db`/`bucket` are required as InfluxDB requires them, and otherwise
 * ignored: every point goes to the monitoring repository.
 */
export function createLineProtocolRouter(options: LineProtocolRouterOptions): Router {
  const limits: LineProtocolLimits = { ...DEFAULT_LINE_PROTOCOL_LIMITS, ...options.limits };
  const clock = options.clock ?? systemClock;
  const router = express.Router();
  const gate: RequestHandler[] = options.gate ? [options.gate.write] : [];

  const write = (api: Api): RequestHandler => async (req, res) => {
    const target = api === 'v1' ? req.query.db : req.query.bucket;
    if (typeof target !== 'string' || !target) {
      sendInfluxError(res, api, 400, api === 'v1' ? 'database is required' : 'bucket not specified');
      return;
    }
    const precision = precisionOf(req, api);
    if (!precision) {
      const allowed = api === 'v1' ? V1_PRECISIONS : V2_PRECISIONS;
      sendInfluxError(res, api, 400, `invalid precision ${JSON.stringify(req.query.precision)}; use one of ${allowed.join(', ')}`);
      return;
    }
    // undefined: the body could not be read and its error answer was sent. Large bodies wait for a slot (see large-body-gate.ts).
    const read = async (): Promise<string | undefined> => {
      try {
        return await readWriteBody(req, limits.maxBodyBytes);
      } catch (err) {
        if (!(err instanceof BodyError)) throw err;
        sendInfluxError(res, api, err.status, err.message, err.status === 413 ? { limit: limits.maxBodyBytes } : err.line !== undefined ? { line: err.line } : {});
        return undefined;
      }
    };
    // false: an error answer was sent.
    const stored = await withBodyInSlot(declaredBodyBytes(req.headers), read, async (body): Promise<boolean> => {
      if (body === undefined) return false;
      let samples;
      try {
        const points = await parseLineProtocolInSlices(body, { precision, nowNs: dateToNanos(clock()), maxPoints: limits.maxLines });
        samples = await pointsToSamplesInSlices(points, senderNode(req));
      } catch (err) {
        if (err instanceof LineProtocolError) {
          sendInfluxError(res, api, 400, `failed to parse line protocol: ${err.message}`, { line: err.line });
          return false;
        }
        if (err instanceof LineProtocolLimitError) {
          sendInfluxError(res, api, 413, err.message, { limit: err.limit });
          return false;
        }
        throw err;
      }
      try {
        if (samples.length) await options.sink.insertSamples(samples);
      } catch (err) {
        // The repository refusing the samples (an undeclared metric under the reject policy) is the client's to fix:
        // say so in InfluxDB's shape, which agents log. Our own failures go to the app's error handler.
        if (err instanceof AppError && err.httpStatus < 500) {
          sendInfluxError(res, api, err.httpStatus, err.message);
          return false;
        }
        throw err;
      }
      return true;
    });
    if (!stored) return;
    res.status(204).end();
  };

  router.post('/write', ...gate, write('v1'));
  router.post('/api/v2/write', ...gate, write('v2'));
  return router;
}
