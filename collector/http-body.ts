/** Reading a request body with a configured size limit (raw-body): a 413 that names the limit, and the process stays up. */
import type { IncomingMessage } from 'node:http';
import { promisify } from 'node:util';
import { brotliDecompress, gunzip, inflate, type ZlibOptions } from 'node:zlib';
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

/** Charsets whose bytes are UTF-8: the only text the collector reads (every stored field is UTF-8). */
const UTF8_CHARSETS = new Set(['utf-8', 'utf8', 'us-ascii', 'ascii']);

/**
 * The charset a `Content-Type` declares when it is one the collector cannot read (anything but UTF-8 or ASCII), else
 * undefined. Reading a latin9 or UTF-16 body as UTF-8 would store other text than the client sent.
 */
export function unreadableCharset(req: IncomingMessage): string | undefined {
  const m = /;\s*charset\s*=\s*"?([^";\s]*)"?/i.exec(req.headers['content-type'] ?? '');
  const charset = m?.[1]?.toLowerCase();
  return charset === undefined || UTF8_CHARSETS.has(charset) ? undefined : charset;
}

type Decoder = (buf: Buffer, options: ZlibOptions) => Promise<Buffer>;

/** The content encodings the graph server's parsers read too, unpacked off the event loop (zlib's thread pool). */
const DECODERS: Readonly<Record<string, Decoder>> = {
  gzip: promisify(gunzip),
  'x-gzip': promisify(gunzip),
  deflate: promisify(inflate),
  br: promisify(brotliDecompress),
};

function tooLarge(bytes: number, limit: number, what = 'the body'): AppError {
  return new AppError('payload_too_large', `${what} (${formatBytes(Math.max(bytes, limit + 1))}) is larger than the collector's limit of ${formatBytes(limit)} (setting max_body_bytes); nothing was stored`, {
    limit,
    setting: 'max_body_bytes',
    accepted: 0,
  });
}

/**
 * The body's bytes, at most `limit` (unpacked, for a `Content-Encoding` of gzip, deflate or br), or the client's 4xx: 413
 * naming `max_body_bytes`, 415 naming an encoding or charset the collector does not read (such a body used to be read
 * as if it were plain UTF-8), 400 for a broken body. A body an earlier parser already read (the app's JSON parser,
 * whose own limit then applies) is returned re-serialised.
 */
export async function readBody(req: Request, limit: number): Promise<Buffer> {
  if (req.body !== undefined && (req.readableEnded || req.complete)) return Buffer.from(JSON.stringify(req.body));
  const charset = unreadableCharset(req);
  if (charset) throw new AppError('unsupported_media_type', `the request body's charset "${charset}" is not supported; send UTF-8`, { field: 'Content-Type', accepted: 0 });
  const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  const decode = DECODERS[encoding];
  if (!decode && encoding !== 'identity') {
    throw new AppError('unsupported_media_type', `Content-Encoding "${encoding}" is not supported; send the body as it is, or gzip, deflate or br`, { field: 'Content-Encoding', accepted: 0 });
  }
  const body = await readRawBody(req, limit);
  if (!Buffer.isBuffer(body)) {
    if (body.kind === 'unreadable') throw new AppError('bad_request', body.message);
    throw tooLarge(body.bytes, limit);
  }
  if (!decode) return body;
  try {
    // The unpacked size is bounded too, so a small compressed body cannot expand into gigabytes.
    return await decode(body, { maxOutputLength: limit });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(limit + 1, limit, 'the unpacked body');
    throw new AppError('bad_request', `the body cannot be unpacked as ${encoding} (Content-Encoding): ${(err as Error).message}`, { field: 'Content-Encoding', accepted: 0 });
  }
}
