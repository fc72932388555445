/** The cmd.cgi-compatible entry: RSV's nagios-consumer (and any cmd.cgi client) submits passive results here. */
import express, { type ErrorRequestHandler, type Request, type RequestHandler, type Response, type Router } from 'express';
import { errorMessage, fromAnotherOrigin, silentLogger, systemClock, type Clock, type Logger } from '../../common/index.js';
import { QueueFullError } from '../../queue/index.js';
import { UnroutedResultError, type SubmitResults } from '../types.js';
import { authorizeUser } from './authorize.js';
import { ResultFieldError, toPassiveResult, type FieldNames } from './check-result-fields.js';
import { authorizationRequiredPage, commitFailedPage, errorPage, notAuthorizedPage, readOnlyPage, successPage } from './cmd-cgi-page.js';
import type { EntrySettings } from './entry-settings.js';
import { decodeForm, FormError, rawQuery } from './form-decoding.js';

/** Where cmd.cgi lives: upstream's path, and Debian's two. */
export const CMD_CGI_PATHS = ['/nagios/cgi-bin/cmd.cgi', '/nagios4/cgi-bin/cmd.cgi', '/cgi-bin/nagios4/cmd.cgi'] as const;

/** Largest POST body taken, in bytes; a result's own limit (`max_output_bytes`) is checked after decoding. */
export const CMD_CGI_MAX_BODY_BYTES = 1024 * 1024;

const CMD_TYPES: Record<string, 'service' | 'host'> = { '30': 'service', '87': 'host' };
const FIELDS: FieldNames = { host: 'host', service: 'service', state: 'plugin_state', output: 'plugin_output', perfdata: 'performance_data' };
/** RSV's nagios-consumer sends `btnSubmit=Commited` (sic): the signature of its doubly-encoded output. */
const RSV_SIGNATURE = 'Commited';

export interface CmdCgiRouterOptions {
  /** Resolves once the results are durably queued; only then does the page say "successfully submitted". */
  submit: SubmitResults;
  /** The access stage's `authenticate` (run here when the app has not run it before this router). */
  access: { authenticate: RequestHandler };
  /** The settings in effect, read per request so a reload applies at once. */
  settings: () => EntrySettings;
  clock?: Clock;
  logger?: Logger;
}

function send(res: Response, status: number, html: string): void {
  res.status(status).type('text/html; charset=utf-8').send(html);
}

/** `GET`/`POST` on {@link CMD_CGI_PATHS}: `cmd_typ=30|87&cmd_mod=2&host=&service=&plugin_state=&plugin_output=&performance_data=`. */
export function cmdCgiRouter(options: CmdCgiRouterOptions): Router {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const router = express.Router();
  const paths = [...CMD_CGI_PATHS];

  const authenticated: RequestHandler = (req, res, next) => {
    if (req.auth) return next();
    return options.access.authenticate(req, res, next);
  };
  const challenge: RequestHandler = (req, res, next) => {
    if (req.auth?.role) return next();
    // RSV's consumer sends its first request without credentials and needs this quoted Basic realm to send them.
    res.setHeader('WWW-Authenticate', `Basic realm="${options.settings().realm}"`);
    send(res, 401, authorizationRequiredPage());
  };
  // cmd.cgi writes on a GET too, which the app's CSRF check lets through as a safe method: a page on another site
  // could submit a result with an <img> (the browser adds its Basic credentials) or a link (SameSite=Lax sends the
  // session cookie on top-level navigations). A browser request from another site may use neither; tokens are fine.
  const sameSiteCredentials: RequestHandler = (req, res, next) => {
    const via = req.auth?.via;
    if ((via === 'basic' || via === 'session') && fromAnotherOrigin(req)) {
      return send(res, 403, notAuthorizedPage('A page on another site cannot submit results with your login or password.'));
    }
    next();
  };
  const formBody: RequestHandler = (req, res, next) => {
    const type = req.headers['content-type'] ?? '';
    // cmd.cgi compares the first 33 characters, so `application/x-www-form-urlencoded; charset=...` passes.
    if (type !== '' && type.slice(0, 33).toLowerCase() !== 'application/x-www-form-urlencoded') {
      res.status(415).type('text/plain; charset=utf-8').send('getcgivars(): Unsupported Content-Type.\n');
      return;
    }
    return express.raw({ type: () => true, limit: CMD_CGI_MAX_BODY_BYTES })(req, res, next);
  };

  const handle = async (req: Request, res: Response, input: Buffer | string): Promise<void> => {
    const settings = options.settings();
    const auth = req.auth!;
    // cmd.cgi refuses read-only users before it looks at the command.
    if (auth.role !== 'operator' && auth.role !== 'admin') return send(res, 403, readOnlyPage());
    let form: Map<string, string>;
    try {
      form = decodeForm(input);
    } catch (err) {
      if (err instanceof FormError) return send(res, 400, errorPage(err.message));
      throw err;
    }
    const typ = form.get('cmd_typ');
    const kind = typ === undefined ? undefined : CMD_TYPES[typ.trim()];
    if (!kind) {
      const what = typ === undefined ? 'cmd_typ is missing' : `cmd_typ "${typ}" is not a command this entry takes`;
      return send(res, 400, errorPage(`${what}: use 30 (PROCESS_SERVICE_CHECK_RESULT) or 87 (PROCESS_HOST_CHECK_RESULT)`));
    }
    if (form.get('cmd_mod')?.trim() !== '2') {
      return send(res, 400, errorPage(`cmd_mod must be 2 (commit the command); this entry shows no command forms`));
    }
    let output = form.get('plugin_output');
    // RSV encodes spaces and newlines as %2B, which Nagios shows as "+"; undo that for RSV's requests only.
    if (output !== undefined && settings.rsvPlusAsSpace && form.get('btnSubmit') === RSV_SIGNATURE) output = output.replace(/\+/g, ' ');
    let result;
    try {
      result = toPassiveResult(
        {
          kind,
          host: form.get('host'),
          service: form.get('service'),
          state: form.get('plugin_state'),
          output,
          perfdata: form.get('performance_data'),
          checkTime: Math.floor(clock().getTime() / 1000),
          source: 'cmd.cgi',
          submittedBy: auth.user ?? 'service token',
        },
        FIELDS,
        settings.maxOutputBytes,
      );
    } catch (err) {
      if (err instanceof ResultFieldError) return send(res, 400, errorPage(err.message));
      throw err;
    }
    const verdict = authorizeUser(settings, auth.user, auth.role, result);
    if (verdict !== 'ok') {
      const target = result.kind === 'service' ? `service "${result.service ?? ''}" on host "${result.host}"` : `host "${result.host}"`;
      return send(res, 403, notAuthorizedPage(`${auth.user ?? 'this token'} may not submit results for ${target}.`));
    }
    try {
      await options.submit([result]);
    } catch (err) {
      if (err instanceof UnroutedResultError) return send(res, 422, errorPage(err.message));
      logger.error('nagios-bridge: cmd.cgi result could not be queued', { error: errorMessage(err), host: result.host, service: result.service });
      if (err instanceof QueueFullError) res.set('Retry-After', String(err.retryAfterSeconds));
      return send(res, 503, commitFailedPage());
    }
    send(res, 200, successPage());
  };

  const bodyErrors: ErrorRequestHandler = (err: { type?: unknown; status?: unknown }, _req, res, next) => {
    if (typeof err?.type !== 'string' || typeof err.status !== 'number' || res.headersSent) return next(err);
    const message = err.status === 413 ? `the request body is larger than ${CMD_CGI_MAX_BODY_BYTES} bytes` : 'the request body could not be read';
    send(res, err.status === 413 ? 413 : 400, errorPage(message));
  };

  router.get(paths, authenticated, challenge, sameSiteCredentials, (req, res) => handle(req, res, rawQuery(req.originalUrl)));
  router.post(paths, authenticated, challenge, formBody, (req, res) => handle(req, res, Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0)));
  router.use(paths, bodyErrors);
  return router;
}
