/** Reading a request body with a configured size limit (raw-body): a 413 that names the limit, and the process stays up. */
import type { IncomingMessage } from 'node:http';
import type { Request } from 'express';
import getRawBody from 'raw-body';
import { AppError } from '../common/index.js';
import { formatBytes } from './settings.js';

/**
 * The collector's routes that read their request body themselves, with the collector's limits (records, samples, line
 * protocol): the host app's body parsers must skip them (graph-server's `selfParsedPaths`), or its own limits apply.
 */
export const SELF_PARSED_PATHS: readonly string[] = ['/rsv/records', '/api/v1/samples', '/write', '/api/v2/write'];

/** Why raw-body stopped: the body is over the limit, or the client broke it off or sent less than it declared. */
export type RawBodyFailure = { kind: 'too_large'; bytes: number } | { kind: 'unreadable'; message: string };

/**
 * The raw bytes of `req`, at most `limit`. A declared or actual size over the limit fails at once; the rest of the
 * body is then read and dropped, so the client gets the answer instead of a reset connection.
 */
export async function readRawBody(req: IncomingMessage, limit: number): Promise<Buffer | RawBodyFailure> {
  const declared = Number(req.headers['content-length']);
  try {
    return await getRawBody(req, { limit, length: Number.isFinite(declared) ? declared : undefined });
  } catch (err) {
    const e = err as { type?: string; received?: number; length?: number; message: string };
    if (e.type === 'entity.too.large') {
      req.resume();
      return { kind: 'too_large', bytes: Math.max(e.received ?? 0, e.length ?? 0, Number.isFinite(declared) ? declared : 0) };
    }
    return { kind: 'unreadable', message: e.type === 'request.aborted' ? 'the client closed the connection before the body ended' : `cannot read the body: ${e.message}` };
  }
}

/**
 * The raw body, at most `limit` bytes, or a 413 `AppError` naming `max_body_bytes` (400 for a broken body). A body an
 * earlier parser already read (the app's JSON parser, whose own limit then applies) is returned re-serialised.
 */
export async function readBody(req: Request, limit: number): Promise<Buffer> {
  if (req.body !== undefined && (req.readableEnded || req.complete)) return Buffer.from(JSON.stringify(req.body));
  const body = await readRawBody(req, limit);
  if (Buffer.isBuffer(body)) return body;
  if (body.kind === 'unreadable') throw new AppError('bad_request', body.message);
  throw new AppError('payload_too_large', `the body (${formatBytes(Math.max(body.bytes, limit + 1))}) is larger than the collector's limit of ${formatBytes(limit)} (setting max_body_bytes); nothing was stored`, {
    limit,
    setting: 'max_body_bytes',
    accepted: 0,
  });
}
