/** Refuses requests whose `Host` is not a name of this appliance: a DNS-rebinding page must not reach it as "localhost". */
import type { RequestHandler } from 'express';
import { defaultServerNames, normalHost, type HttpServerSettings } from './http-settings.js';

/**
 * The middleware, mounted before every route (health checks included). It also keeps Express's `trust proxy` in
 * step with the settings, so a reload that sets or clears `trust_proxy` applies to the next request.
 */
export function hostCheck(settings: () => HttpServerSettings): RequestHandler {
  const machine = new Set(defaultServerNames());
  return (req, res, next) => {
    const s = settings();
    if (req.app.get('trust proxy') !== s.trustProxy) req.app.set('trust proxy', s.trustProxy);
    // Without a Host header (HTTP/1.0 scripts) there is no name a rebinding page could have put there.
    const host = req.hostname;
    if (host === undefined || s.serverNames.includes('*')) return next();
    const name = normalHost(host);
    if (machine.has(name) || s.serverNames.includes(name)) return next();
    // 421 Misdirected Request: the request reached a server that is not the one its Host names.
    res.status(421).type('text/plain').send(`Host "${host}" is not a name of this appliance; add it to server_names of the HttpServer class (config/server.xml)\n`);
  };
}
