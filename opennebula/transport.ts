/**
 * One XML-RPC call over HTTP(S), bounded: a deadline for the whole exchange, a size limit on the answer, and no DOCTYPE
 * (so no entity is ever declared, let alone expanded). The `xmlrpc` package serialises the call and parses the answer
 * with its sax deserialiser; the HTTP exchange is ours, because the package's own client has neither bound.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';
import serializer from 'xmlrpc/lib/serializer.js';
import Deserializer from 'xmlrpc/lib/deserializer.js';
import { OpenNebulaError } from './errors.js';

export interface TransportOptions {
  url: URL;
  /** The bound on one whole call (connect, send, answer), ms. */
  timeoutMs: number;
  /** The longest answer read, bytes; a longer one is abandoned as `too_large`. */
  maxResponseBytes: number;
  /** Accept a TLS certificate that does not verify (a test CA is better: `ca`). */
  insecure?: boolean;
  /** PEM CA certificate(s) for an https URL. */
  ca?: string;
}

/** Parsed 64 KiB at a time, each piece in its own turn of the event loop, so a large answer does not block it. */
const PARSE_CHUNK = 64 * 1024;

/** A markup declaration (`<!DOCTYPE`, `<!ENTITY`): XML-RPC has none, and refusing it is what keeps entities unexpanded. */
const DECLARATION = /<!(?:DOCTYPE|ENTITY)/i;

/** Sends `method(params)` and resolves with the decoded return value; every failure is an {@link OpenNebulaError}. */
export async function callXmlRpc(options: TransportOptions, method: string, params: unknown[]): Promise<unknown> {
  const body = Buffer.from(serializer.serializeMethodCall(method, params), 'utf8');
  const raw = await post(options, method, body);
  const text = raw.toString('utf8');
  if (DECLARATION.test(text)) {
    throw new OpenNebulaError('malformed', method, `${method}: the answer carries a DOCTYPE or ENTITY declaration, which XML-RPC never does; refused unparsed (no entity is expanded)`);
  }
  return parseResponse(raw, method);
}

function post(options: TransportOptions, method: string, body: Buffer): Promise<Buffer> {
  const { url, timeoutMs, maxResponseBytes } = options;
  const where = `${url.protocol}//${url.host}${url.pathname}`;
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (err: OpenNebulaError) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      reject(err);
    };
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(url, {
      method: 'POST',
      headers: { 'Content-Type': 'text/xml', 'Content-Length': body.length, Accept: 'text/xml' },
      ...(url.protocol === 'https:' ? { rejectUnauthorized: !options.insecure, ...(options.ca ? { ca: options.ca } : {}) } : {}),
    });
    const timer = setTimeout(
      () => fail(new OpenNebulaError('timeout', method, `${method}: no complete answer from ${where} within ${timeoutMs} ms`)),
      timeoutMs,
    );
    req.on('error', (err: NodeJS.ErrnoException) =>
      fail(new OpenNebulaError('network', method, `${method}: cannot reach ${where}: ${err.code ?? err.message}`, undefined, { cause: err })));
    req.on('response', (res: IncomingMessage) => {
      if (res.statusCode !== 200) {
        res.resume();
        fail(new OpenNebulaError('http', method, `${method}: ${where} answered HTTP ${res.statusCode ?? '?'} ${res.statusMessage ?? ''}`.trimEnd()));
        return;
      }
      const tooLarge = () =>
        new OpenNebulaError('too_large', method, `${method}: the answer from ${where} is longer than the ${maxResponseBytes}-byte bound (max_response_bytes)`);
      const declared = Number(res.headers['content-length']);
      if (Number.isFinite(declared) && declared > maxResponseBytes) {
        fail(tooLarge());
        return;
      }
      const chunks: Buffer[] = [];
      let length = 0;
      res.on('data', (chunk: Buffer) => {
        length += chunk.length;
        if (length > maxResponseBytes) fail(tooLarge());
        else chunks.push(chunk);
      });
      res.on('error', (err) => fail(new OpenNebulaError('network', method, `${method}: the answer from ${where} broke off: ${err.message}`, undefined, { cause: err })));
      res.on('end', () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(Buffer.concat(chunks, length));
      });
    });
    req.end(body);
  });
}

async function* pieces(raw: Buffer): AsyncGenerator<Buffer> {
  for (let i = 0; i < raw.length; i += PARSE_CHUNK) {
    if (i > 0) await new Promise<void>((r) => setImmediate(r));
    yield raw.subarray(i, i + PARSE_CHUNK);
  }
}

function parseResponse(raw: Buffer, method: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let done = false;
    new Deserializer('utf8').deserializeMethodResponse(Readable.from(pieces(raw), { objectMode: false }), (err, value) => {
      if (done) return;
      done = true;
      if (!err) resolve(value);
      else if (err.faultCode !== undefined) {
        const code = typeof err.faultCode === 'number' || typeof err.faultCode === 'string' ? err.faultCode : '?';
        const text = typeof err.faultString === 'string' ? err.faultString : '';
        reject(new OpenNebulaError('fault', method, `${method}: XML-RPC fault ${code}: ${text}`, undefined, { cause: err }));
      } else reject(new OpenNebulaError('malformed', method, `${method}: the answer is not a valid XML-RPC methodResponse: ${err.message}`, undefined, { cause: err }));
    });
  });
}
