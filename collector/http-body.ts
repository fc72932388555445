/** Reading a request body with a configured size limit: a 413 that names the limit, and the process stays up. */
import type { Request } from 'express';
import { AppError } from '../common/index.js';
import { formatBytes } from './settings.js';

/**
 * The collector's routes that read their request body themselves, with the collector's limits (records, samples, line
 * protocol): the host app's body parsers must skip them (graph-server's `selfParsedPaths`), or its own limits apply.
 */
export const SELF_PARSED_PATHS: readonly string[] = ['/rsv/records', '/api/v1/samples', '/write', '/api/v2/write'];

/**
 * The raw body, at most `limit` bytes. A larger body is read to its end and dropped (so the client gets the
 * answer instead of a reset connection), then refused with 413. A body an earlier parser already read
 * (the app's JSON parser, whose own limit then applies) is returned re-serialised.
 */
export async function readBody(req: Request, limit: number): Promise<Buffer> {
  if (req.body !== undefined && (req.readableEnded || req.complete)) return Buffer.from(JSON.stringify(req.body));
  const declared = Number(req.headers['content-length']);
  const chunks: Buffer[] = [];
  let size = 0;
  let over = Number.isFinite(declared) && declared > limit;
  await new Promise<void>((resolve, reject) => {
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) over = true;
      if (!over) chunks.push(chunk);
    });
    req.on('end', resolve);
    req.on('error', reject);
    req.on('aborted', () => reject(new AppError('bad_request', 'the client closed the connection before the body ended')));
  });
  if (over) {
    throw new AppError('payload_too_large', `the body (${formatBytes(Math.max(size, declared || 0))}) is larger than the collector's limit of ${formatBytes(limit)} (setting max_body_bytes); nothing was stored`, {
      limit,
      setting: 'max_body_bytes',
      accepted: 0,
    });
  }
  return Buffer.concat(chunks, size);
}
