/** The appliance's error vocabulary: a closed list of codes, each mapped to an HTTP status in one place. */

export const ERROR_CODES = [
  'bad_request', // the client's input is wrong (HTTP 400)
  'unauthorized', // no or wrong credentials (401)
  'forbidden', // authenticated, but the role does not allow it (403)
  'not_found', // no such thing (404)
  'conflict', // the request clashes with the current state (409)
  'payload_too_large', // a body or batch over a configured limit (413)
  'unprocessable', // well-formed, but the configuration gives it nowhere to go (422)
  'unsupported_media_type', // a body in a charset or content encoding the appliance does not read (415)
  'too_many_requests', // the client already has its share of a limited resource; context.retryAfterSeconds says when to retry (429)
  'config', // a configuration file is wrong (not an HTTP error; reported at start or reload)
  'unavailable', // a service we depend on is down (503)
  'internal', // our fault (500)
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

const HTTP_STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unprocessable: 422,
  unsupported_media_type: 415,
  too_many_requests: 429,
  config: 500,
  unavailable: 503,
  internal: 500,
};

/** An error a user can act on: its message says what, where and how to fix. */
export class AppError extends Error {
  readonly code: ErrorCode;
  /** Structured context (field, line, file, ...) for logs and JSON error bodies. */
  readonly context: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, context: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AppError';
    this.code = code;
    this.context = context;
  }

  get httpStatus(): number {
    return HTTP_STATUS[this.code];
  }
}

/** Prefixes an error's message with where it happened ("loading query file X: ..."), keeping its code. */
export function withContext(err: unknown, prefix: string): AppError {
  if (err instanceof AppError) {
    return new AppError(err.code, `${prefix}: ${err.message}`, err.context, { cause: err.cause ?? err });
  }
  const message = err instanceof Error ? err.message : String(err);
  return new AppError('internal', `${prefix}: ${message}`, {}, { cause: err });
}

/** The message of anything thrown. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
