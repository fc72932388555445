/** Reads a write request's body within a byte limit (raw-body), gunzipping `Content-Encoding: gzip` (also within the limit). */
import type { IncomingMessage } from 'node:http';
import { gunzip } from 'node:zlib';
import { readRawBody, unreadableCharset } from '../http-body.js';
import { decodeUtf8InSlices, findBinary } from '../text-check.js';

/** Why a body could not be read: too large (413), an encoding we do not speak (415), or unreadable (400). */
export class BodyError extends Error {
  constructor(
    readonly status: 400 | 413 | 415,
    message: string,
    /** The 1-based line the problem is on, when it is on one. */
    readonly line?: number,
  ) {
    super(message);
    this.name = 'BodyError';
  }
}

/**
 * The body as text. A gzip body is unpacked with the same limit on its unpacked size, so a small compressed
 * body cannot expand into gigabytes.
 */
export async function readWriteBody(req: IncomingMessage, maxBytes: number): Promise<string> {
  if (req.readableEnded || (req as { _body?: boolean })._body) {
    throw new BodyError(415, 'the body was already read as a form; send line protocol with Content-Type: text/plain');
  }
  // Line protocol is UTF-8; a body declared in another charset would be stored as other text than the client sent.
  const charset = unreadableCharset(req);
  if (charset) throw new BodyError(415, `unsupported charset "${charset}" in Content-Type; line protocol is UTF-8`);
  const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity' && encoding !== 'gzip') {
    throw new BodyError(415, `unsupported Content-Encoding "${encoding}"; send the body plain or gzip`);
  }
  const read = await readRawBody(req, maxBytes);
  if (!Buffer.isBuffer(read)) {
    if (read.kind === 'unreadable') throw new BodyError(400, read.message);
    const declared = Number(req.headers['content-length']);
    throw new BodyError(413, declared > maxBytes ? `the body is ${declared} bytes; the limit is ${maxBytes} bytes` : `the body is larger than the limit of ${maxBytes} bytes`);
  }
  const raw = read;
  if (encoding === 'identity') return await text(raw);
  const unpacked = await new Promise<Buffer>((resolve, reject) =>
    gunzip(raw, { maxOutputLength: maxBytes }, (err, out) => {
      if (!err) resolve(out);
      else if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') reject(new BodyError(413, `the unpacked body is larger than the limit of ${maxBytes} bytes`));
      else reject(new BodyError(400, `the gzip body cannot be unpacked: ${err.message}`));
    }),
  );
  return await text(unpacked);
}

/** The body as UTF-8, or a 400 naming the line where invalid UTF-8 or a NUL byte starts (InfluxDB stores neither). */
async function text(body: Buffer): Promise<string> {
  const bad = findBinary(body);
  if (bad) throw new BodyError(400, `error parsing line ${bad.line} (1-based): the body is not UTF-8 text (binary data at byte ${bad.offset}); nothing was stored`, bad.line);
  return decodeUtf8InSlices(body);
}
