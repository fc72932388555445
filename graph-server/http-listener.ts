/** The appliance's HTTP listener: Node's server with the configured timeouts and a cap on connections per client. */
import type { Express } from 'express';
import { createServer as createHttpServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import type { HttpServerSettings } from './http-settings.js';

// How often Node looks for connections past their headers or request timeout. Its default, 30 s, would let a
// socket that never sends a byte live half a minute longer than `headers_timeout_seconds` says.
const CHECK_INTERVAL_MS = 1_000;

function applyTimeouts(server: Server, s: HttpServerSettings): void {
  server.headersTimeout = s.headersTimeoutMs;
  // Node requires requestTimeout >= headersTimeout (or 0); a shorter one is taken as the headers' bound too.
  server.requestTimeout = Math.max(s.requestTimeoutMs, s.headersTimeoutMs);
  server.keepAliveTimeout = s.keepAliveTimeoutMs;
}

/** Counts open connections per peer address; over the cap a connection gets a one-line 503 and is closed. */
function capConnections(server: Server, settings: () => HttpServerSettings): void {
  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const s = settings();
    // Read per connection, so a reload's new timeouts apply to the next connections.
    applyTimeouts(server, s);
    // An IPv4 client of a dual-stack listener arrives as ::ffff:a.b.c.d; it is the same client either way.
    const peer = (socket.remoteAddress ?? 'unknown').replace(/^::ffff:(?=\d+\.)/, '');
    const count = (open.get(peer) ?? 0) + 1;
    if (count > s.maxConnectionsPerClient) {
      const body = `too many open connections from ${peer} (max_connections_per_client ${s.maxConnectionsPerClient}); close some and retry\n`;
      const head = `HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nRetry-After: 5\r\nConnection: close\r\n\r\n`;
      socket.end(head + body, () => socket.destroy());
      return;
    }
    open.set(peer, count);
    socket.once('close', () => {
      const left = (open.get(peer) ?? 1) - 1;
      if (left > 0) open.set(peer, left);
      else open.delete(peer);
    });
  });
}

/**
 * Makes `app.listen(...)` create its server with the settings' limits: the headers, request and keep-alive
 * timeouts, and at most `maxConnectionsPerClient` open connections per client address. The arguments and the
 * callback behave as Express's own `listen` (Express 5 calls the callback with the error when listening fails).
 */
export function listenWithLimits(app: Express, settings: () => HttpServerSettings): void {
  const listen = (...args: unknown[]): Server => {
    const server = createHttpServer({ connectionsCheckingInterval: CHECK_INTERVAL_MS }, app);
    applyTimeouts(server, settings());
    capConnections(server, settings);
    const last = args[args.length - 1];
    if (typeof last === 'function') {
      let called = false;
      const done = (...a: unknown[]) => {
        if (called) return;
        called = true;
        (last as (...b: unknown[]) => void)(...a);
      };
      args[args.length - 1] = done;
      server.once('error', done);
    }
    return server.listen(...(args as Parameters<Server['listen']>));
  };
  (app as unknown as { listen: typeof listen }).listen = listen;
}
