/** A small HTTP(S) client for the remote transports (cmd.cgi, NRDP, Icinga 2): form or JSON requests on a keep-alive agent, with a CA file or no verification, and a timeout. */
import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { errorMessage } from '../../common/index.js';

export interface HttpClientOptions {
  /** The endpoint; `http:` or `https:`. */
  url: string;
  /** PEM CA certificate(s) to trust for HTTPS (a self-signed Nagios), instead of the system's. */
  ca?: string;
  /** Skips certificate verification (HTTPS only; for tests and labs). */
  insecure?: boolean;
  /** Whole-request timeout (connect, send, answer), default 30 s. */
  timeoutMs?: number;
  /** Most sockets kept open to the endpoint (default 8). */
  maxSockets?: number;
}

/** One answer: status, headers, body as text (UTF-8). */
export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** The request never got an HTTP answer (refused, reset, TLS, timeout); `message` says which, for an admin. */
export class HttpUnreachable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HttpUnreachable';
  }
}

/** Most bytes of an answer read; a larger page is cut (the messages the transports look for come early). */
const MAX_ANSWER_BYTES = 1024 * 1024;

/** One request's parts beyond the endpoint: a path under it, a query, a body and its type. */
export interface HttpRequest {
  /** Replaces the endpoint's path (Icinga's `/v1/actions/...`); default the endpoint's own. */
  path?: string;
  query?: string;
  body?: string;
  contentType?: string;
}

export interface HttpClient {
  /** `GET url?form` or `POST url` with `form` as `application/x-www-form-urlencoded`. Throws {@link HttpUnreachable}. */
  send(method: 'GET' | 'POST', form: string, headers: Record<string, string>): Promise<HttpAnswer>;
  /** Any request to the endpoint (a JSON post, say). Throws {@link HttpUnreachable}. */
  request(method: 'GET' | 'POST', parts: HttpRequest, headers: Record<string, string>): Promise<HttpAnswer>;
  /** Closes idle sockets. */
  close(): void;
}

/** Builds a client for one endpoint. */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const url = new URL(options.url);
  const https = url.protocol === 'https:';
  if (!https && url.protocol !== 'http:') throw new Error(`${options.url}: only http: and https: URLs are supported`);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 8 };
  const agent = https
    ? new HttpsAgent({ ...agentOptions, ...(options.ca ? { ca: options.ca } : {}), rejectUnauthorized: !options.insecure })
    : new HttpAgent(agentOptions);
  const doRequest = https ? httpsRequest : httpRequest;

  const request = (method: 'GET' | 'POST', parts: HttpRequest, headers: Record<string, string>): Promise<HttpAnswer> => {
    const target = new URL(url);
    if (parts.path !== undefined) target.pathname = parts.path;
    if (parts.query !== undefined) target.search = parts.query;
    const body = parts.body !== undefined ? Buffer.from(parts.body, 'utf8') : undefined;
    return new Promise<HttpAnswer>((resolve, reject) => {
      const req = doRequest(
        target,
        {
          method,
          agent,
          headers: {
            ...headers,
            ...(body ? { 'Content-Type': parts.contentType ?? 'application/x-www-form-urlencoded', 'Content-Length': String(body.length) } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (c: Buffer) => {
            if (size < MAX_ANSWER_BYTES) chunks.push(c);
            size += c.length;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', (err) => reject(new HttpUnreachable(`the answer from ${url.host} broke off: ${errorMessage(err)}`)));
        },
      );
      req.setTimeout(timeoutMs, () => req.destroy(new HttpUnreachable(`no answer from ${url.host} within ${timeoutMs} ms`)));
      req.on('error', (err) => reject(err instanceof HttpUnreachable ? err : new HttpUnreachable(`cannot reach ${url.host}: ${errorMessage(err)}`)));
      req.end(body);
    });
  };

  return {
    send: (method, form, headers) => request(method, method === 'GET' ? { query: form } : { body: form }, headers),
    request,
    close: () => agent.destroy(),
  };
}

/** `a=1&b=2` from pairs, every value percent-encoded (spaces as `%20`, so `+` never needs guessing). */
export function formOf(pairs: readonly (readonly [string, string])[]): string {
  return pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
}
