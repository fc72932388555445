/** Reads a write request's body within a byte limit, gunzipping `Content-Encoding: gzip` (also within the limit). */
import type { IncomingMessage } from 'node:http';
import { gunzip } from 'node:zlib';

/** Why a body could not be read: too large (413), an encoding we do not speak (415), or unreadable (400). */
export class BodyError extends Error {
  constructor(
    readonly status: 400 | 413 | 415,
    message: string,
  ) {
    super(message);
    this.name = 'BodyError';
  }
}

function readRaw(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) {
      // Say so now; the socket is closed after the reply since the body is not read.
      reject(new BodyError(413, `the body is ${declared} bytes; the limit is ${maxBytes} bytes`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > maxBytes) {
        failed = true;
        reject(new BodyError(413, `the body is larger than the limit of ${maxBytes} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => failed || resolve(Buffer.concat(chunks, size)));
    req.on('error', (err) => failed || reject(new BodyError(400, `cannot read the body: ${err.message}`)));
  });
}

/**
 * The body as text. A gzip body is unpacked with the same limit on its unpacked size, so a small compressed
 * body cannot expand into gigabytes.
 */
export async function readWriteBody(req: IncomingMessage, maxBytes: number): Promise<string> {
  if (req.readableEnded || (req as { _body?: boolean })._body) {
    throw new BodyError(415, 'the body was already read as a form; send line protocol with Content-Type: text/plain');
  }
  const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity' && encoding !== 'gzip') {
    throw new BodyError(415, `unsupported Content-Encoding "${encoding}"; send the body plain or gzip`);
  }
  const raw = await readRaw(req, maxBytes);
  if (encoding === 'identity') return raw.toString('utf8');
  const unpacked = await new Promise<Buffer>((resolve, reject) =>
    gunzip(raw, { maxOutputLength: maxBytes }, (err, out) => {
      if (!err) resolve(out);
      else if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') reject(new BodyError(413, `the unpacked body is larger than the limit of ${maxBytes} bytes`));
      else reject(new BodyError(400, `the gzip body cannot be unpacked: ${err.message}`));
    }),
  );
  return unpacked.toString('utf8');
}
