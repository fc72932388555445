/** Errors of Express's request parsers (body-parser, raw-body, zlib, the router's path decoding) as the client's 4xx, in one place. */
import { AppError } from '../common/index.js';

/** What body-parser and raw-body put on their errors (http-errors), and zlib on a body that does not inflate. */
interface BodyParserError {
  type?: string;
  status?: number;
  expose?: boolean;
  name?: string;
  message?: string;
  limit?: number;
  length?: number;
  charset?: string;
  encoding?: string;
  code?: string;
}

const ENCODINGS = 'gzip, deflate or br';

/** Each body-parser error type, as the one-line answer the client gets (never the parser's stack). */
const BY_TYPE: Readonly<Record<string, (e: BodyParserError) => AppError>> = {
  'charset.unsupported': (e) =>
    new AppError('unsupported_media_type', `the request body's charset "${e.charset ?? '?'}" is not supported; send UTF-8`, { field: 'Content-Type' }),
  'encoding.unsupported': (e) =>
    new AppError('unsupported_media_type', `Content-Encoding "${e.encoding ?? '?'}" is not supported; send the body as it is, or ${ENCODINGS}`, { field: 'Content-Encoding' }),
  'entity.too.large': (e) =>
    new AppError('payload_too_large', `the request body is larger than this endpoint's limit of ${e.limit ?? '?'} bytes`, { limit: e.limit }),
  'parameters.too.many': () => new AppError('payload_too_large', 'the form has more parameters than this endpoint takes (1000)', { field: 'body' }),
  // JSON.parse's SyntaxError; the one other parser here (forms) does not fail on its text.
  'entity.parse.failed': (e) => new AppError('bad_request', `request body: malformed ${e.name === 'SyntaxError' ? 'JSON' : 'form'}: ${oneLine(e.message)}`, { field: 'body' }),
  'querystring.parse.rangeError': () => new AppError('bad_request', 'the form nests deeper than this endpoint takes', { field: 'body' }),
  'entity.verify.failed': () => new AppError('forbidden', 'the request body was refused'),
  'request.aborted': () => new AppError('bad_request', 'the client closed the connection before the body ended'),
  'request.size.invalid': () => new AppError('bad_request', 'the request body is not as long as its Content-Length says', { field: 'Content-Length' }),
};

/**
 * The AppError for an error a body parser (or the router, decoding a path parameter such as `/rsv/metric/%ff`)
 * raised, or undefined when `err` is not one (then it is ours: a 500).
 */
export function bodyParserError(err: unknown): AppError | undefined {
  if (!err || typeof err !== 'object' || err instanceof AppError) return undefined;
  const e = err as BodyParserError;
  if (err instanceof URIError && e.status === 400) {
    return new AppError('bad_request', `the path has a malformed %-escape: ${oneLine(e.message)}; escape each byte as %XX of its UTF-8`, { field: 'path' });
  }
  const known = e.type !== undefined ? BY_TYPE[e.type] : undefined;
  if (known) return known(e);
  // zlib's errors (a gzip or br body that does not decompress) reach us as http-errors 400s without a type, and so
  // would any other client error http-errors marks as safe to show; a 5xx stays ours.
  if (e.expose === true && typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
    const zlib = typeof e.code === 'string' && e.status === 400 && e.type === undefined;
    return new AppError('bad_request', `the request body cannot be read${zlib ? ' (does it match its Content-Encoding?)' : ''}: ${oneLine(e.message)}`, { field: 'body' });
  }
  return undefined;
}

function oneLine(message: string | undefined): string {
  const line = (message ?? 'unreadable').split('\n')[0]!;
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}
