/** The NRDP-compatible entry: NCPA agents and `send_nrdp` submit passive results here, and gain a durable queue. */
import express, { type ErrorRequestHandler, type Request, type Response, type Router } from 'express';
import { errorMessage, silentLogger, systemClock, type Clock, type Logger } from '../../common/index.js';
import { QueueFullError } from '../../queue/index.js';
import { CommandFieldError } from '../command-fields.js';
import { UnroutedResultError, type PassiveResult, type SubmitCommands, type SubmitResults } from '../types.js';
import { CommandLineError, readCommandLine } from './nrdp-command.js';
import { findNrdpToken, withinLimits } from './authorize.js';
import { ResultFieldError, toPassiveResult, type FieldNames } from './check-result-fields.js';
import type { EntrySettings, NrdpToken } from './entry-settings.js';
import { decodeForm, FormError, rawQuery } from './form-decoding.js';
import { sendNrdp } from './nrdp-reply.js';
import { MAX_RESULTS_PER_SUBMISSION, PayloadError, readJsonPayload, readXmlPayload, type PayloadResult } from './nrdp-payload.js';

/** Where NRDP lives. */
export const NRDP_PATHS = ['/nrdp', '/nrdp/', '/nrdp/index.php'] as const;
/** Largest request body taken, in bytes. */
export const NRDP_MAX_BODY_BYTES = 8 * 1024 * 1024;
/** How far in the future a result's `time` may be (clock skew), in seconds. */
export const MAX_FUTURE_SECONDS = 300;

const FIELDS: FieldNames = { host: 'hostname', service: 'servicename', state: 'state', output: 'output', perfdata: 'output' };
const XML_FIELDS = ['XMLDATA', 'xmldata', 'xml'];
const JSON_FIELDS = ['JSONDATA', 'jsondata', 'json'];

export interface NrdpRouterOptions {
  /** Resolves once the results are durably queued; only then is `status` 0 sent. */
  submit: SubmitResults;
  /** The settings in effect (tokens, limits), read per request. */
  settings: () => EntrySettings;
  /** Takes `cmd=submitcmd` (downtimes, acknowledgements) when given; without it, submitcmd is refused. */
  submitCommands?: SubmitCommands;
  clock?: Clock;
  logger?: Logger;
}

/** Thrown inside the handler to answer with NRDP's status -1. */
class Refusal extends Error {
  constructor(
    readonly http: number,
    readonly nrdpMessage: string,
    readonly detail?: string,
  ) {
    super(nrdpMessage);
  }
}

function field(form: Map<string, string>, names: readonly string[]): string | undefined {
  for (const n of names) if (form.has(n)) return form.get(n);
  return undefined;
}

function checkTimeOf(time: string | undefined, now: number, where: string): number {
  if (time === undefined || time.trim() === '') return now;
  if (!/^\d{1,12}$/.test(time.trim())) throw new Refusal(400, 'BAD TIME', `${where}: time "${time}" is not epoch seconds`);
  const t = Number(time.trim());
  if (t > now + MAX_FUTURE_SECONDS) throw new Refusal(400, 'BAD TIME', `${where}: time ${t} is more than ${MAX_FUTURE_SECONDS} s in the future`);
  return t;
}

/** `GET`/`POST` on {@link NRDP_PATHS}: `cmd=hello`, and `cmd=submitcheck&token=...&XMLDATA=...` (or `JSONDATA`). */
export function nrdpRouter(options: NrdpRouterOptions): Router {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const router = express.Router({ strict: true });
  const paths = [...NRDP_PATHS];

  const results = (settings: EntrySettings, form: Map<string, string>, tokenName: string, json: boolean): PassiveResult[] => {
    const xml = field(form, XML_FIELDS);
    const text = json ? field(form, JSON_FIELDS) : xml;
    if (text === undefined || text.trim() === '') throw new Refusal(400, 'NO DATA', 'send the results as XMLDATA or JSONDATA');
    let payload: PayloadResult[];
    try {
      payload = json ? readJsonPayload(text) : readXmlPayload(text);
    } catch (err) {
      if (err instanceof PayloadError) throw new Refusal(400, err.nrdpMessage, err.detail);
      throw err;
    }
    if (payload.length === 0) throw new Refusal(400, json ? 'BAD JSON' : 'BAD XML', 'the submission holds no check results');
    if (payload.length > MAX_RESULTS_PER_SUBMISSION) throw new Refusal(413, 'TOO MANY RESULTS', `at most ${MAX_RESULTS_PER_SUBMISSION} check results per submission`);
    const now = Math.floor(clock().getTime() / 1000);
    return payload.map(({ where, fields }) => {
      try {
        return toPassiveResult(
          { ...fields, checkTime: checkTimeOf(fields.time, now, where), source: 'nrdp', submittedBy: tokenName },
          FIELDS,
          settings.maxOutputBytes,
        );
      } catch (err) {
        if (err instanceof ResultFieldError) throw new Refusal(400, json ? 'BAD JSON' : 'BAD XML', `${where}: ${err.message}`);
        throw err;
      }
    });
  };

  const handle = async (req: Request, res: Response, input: Buffer | string): Promise<void> => {
    let json = false;
    try {
      let form: Map<string, string>;
      try {
        form = decodeForm(input);
      } catch (err) {
        if (err instanceof FormError) throw new Refusal(400, 'BAD REQUEST', err.message);
        throw err;
      }
      json = field(form, JSON_FIELDS) !== undefined;
      const cmd = form.get('cmd');
      if (cmd === 'hello') return sendNrdp(res, 200, { status: 0, message: 'OK', extra: { product: 'Fabric Appliance NRDP entry', version: '2.0' } }, json);
      const commands = options.submitCommands;
      const handlers = commands ? 'submitcheck, submitcmd or hello' : 'submitcheck or hello';
      if (cmd !== 'submitcheck' && !(cmd === 'submitcmd' && commands)) {
        throw new Refusal(400, 'NO REQUEST HANDLER', cmd === undefined ? `cmd is missing: use ${handlers}` : `cmd "${cmd}" is not taken here: use ${handlers}`);
      }
      const settings = options.settings();
      const presented = form.get('token');
      if (presented === undefined || presented === '') throw new Refusal(401, 'NO TOKEN');
      if (settings.nrdpTokens.length === 0) throw new Refusal(403, 'NO TOKENS', 'no nrdp_token is configured');
      const token = findNrdpToken(settings, presented);
      if (!token) {
        logger.info('nagios-bridge: NRDP submission with an unknown token', { address: req.ip });
        throw new Refusal(401, 'BAD TOKEN');
      }
      if (cmd === 'submitcmd' && commands) return await submitCommand(res, commands, form, token, json);
      const accepted = results(settings, form, token.name, json);
      const outside = accepted.find((r) => !withinLimits(token, r));
      if (outside) {
        const target = outside.service === undefined ? `host "${outside.host}"` : `service "${outside.service}" on host "${outside.host}"`;
        throw new Refusal(403, 'NOT AUTHORIZED', `token "${token.name}" may not submit results for ${target}`);
      }
      try {
        await options.submit(accepted);
      } catch (err) {
        if (err instanceof UnroutedResultError) throw new Refusal(422, 'NO TARGET', err.message);
        logger.error('nagios-bridge: NRDP results could not be queued', { error: errorMessage(err), results: accepted.length });
        if (err instanceof QueueFullError) res.set('Retry-After', String(err.retryAfterSeconds));
        throw new Refusal(503, 'QUEUE FAILED', 'the results were not accepted; send them again');
      }
      sendNrdp(res, 200, { status: 0, message: 'OK', output: `${accepted.length} checks processed.` }, json);
    } catch (err) {
      if (!(err instanceof Refusal)) throw err;
      sendNrdp(res, err.http, { status: -1, message: err.nrdpMessage, ...(err.detail === undefined ? {} : { output: err.detail }) }, json);
    }
  };

  /** `cmd=submitcmd&command=...`: one external command line the bridge knows, read strictly and queued as its own command. */
  const submitCommand = async (res: Response, submitCommands: SubmitCommands, form: Map<string, string>, token: NrdpToken, json: boolean): Promise<void> => {
    const line = form.get('command');
    if (line === undefined || line === '') throw new Refusal(400, 'NO COMMAND', 'send the external command as command=...');
    let command;
    try {
      command = readCommandLine(line, Math.floor(clock().getTime() / 1000), token.name);
    } catch (err) {
      if (err instanceof CommandLineError) throw new Refusal(400, 'BAD COMMAND', err.message);
      throw err;
    }
    if (!withinLimits(token, command)) {
      const target = command.service === undefined ? `host "${command.host}"` : `service "${command.service}" on host "${command.host}"`;
      throw new Refusal(403, 'NOT AUTHORIZED', `token "${token.name}" may not submit commands for ${target}`);
    }
    let queued;
    try {
      queued = await submitCommands([command]);
    } catch (err) {
      if (err instanceof CommandFieldError) throw new Refusal(400, 'BAD COMMAND', `${err.field}: ${err.problem}`);
      if (err instanceof UnroutedResultError) throw new Refusal(422, 'NO TARGET', err.message);
      logger.error('nagios-bridge: an NRDP command could not be queued', { error: errorMessage(err) });
      if (err instanceof QueueFullError) res.set('Retry-After', String(err.retryAfterSeconds));
      throw new Refusal(503, 'QUEUE FAILED', 'the command was not accepted; send it again');
    }
    sendNrdp(res, 200, { status: 0, message: 'OK', output: `command queued as ${queued[0]!.id}` }, json);
  };

  const bodyErrors: ErrorRequestHandler = (err: { type?: unknown; status?: unknown }, _req, res, next) => {
    if (typeof err?.type !== 'string' || typeof err.status !== 'number' || res.headersSent) return next(err);
    const detail = err.status === 413 ? `the request body is larger than ${NRDP_MAX_BODY_BYTES} bytes` : 'the request body could not be read';
    sendNrdp(res, err.status === 413 ? 413 : 400, { status: -1, message: 'BAD REQUEST', output: detail }, false);
  };

  router.get(paths, (req, res) => handle(req, res, rawQuery(req.originalUrl)));
  router.post(
    paths,
    (req, res, next) => {
      const type = (req.headers['content-type'] ?? '').toLowerCase();
      if (type !== '' && !type.startsWith('application/x-www-form-urlencoded')) {
        return sendNrdp(res, 415, { status: -1, message: 'BAD REQUEST', output: 'send the form as application/x-www-form-urlencoded' }, false);
      }
      return express.raw({ type: () => true, limit: NRDP_MAX_BODY_BYTES })(req, res, next);
    },
    (req, res) => handle(req, res, Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0)),
  );
  router.use(paths, bodyErrors);
  return router;
}
