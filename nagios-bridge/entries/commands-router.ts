/**
 * `POST /api/v1/nagios/commands`: downtimes and acknowledgements from operators, answered 202 with each command's id
 * once durably queued; `GET` lists a host's commands and what happened to them per target.
 */
import express, { type RequestHandler, type Router } from 'express';
import { AppError, systemClock, type Clock } from '../../common/index.js';
import { CommandFieldError } from '../command-fields.js';
import type { CommandLog } from '../command-log.js';
import { MAX_COMMANDS_LISTED } from '../command-log.js';
import type { SubmitCommands } from '../types.js';
import { withinLimits } from './authorize.js';
import { readCommandsBody } from './commands-body.js';
import type { EntrySettings } from './entry-settings.js';

export const COMMANDS_PATH = '/api/v1/nagios/commands';

export interface CommandsRouterOptions {
  submitCommands: SubmitCommands;
  /** The bridge's command log, for the listing. */
  commands: Pick<CommandLog, 'list'>;
  /** The access stage's role checks (the app has run authenticate, the JSON parser and the CSRF check before). */
  access: { requireRole(role: 'operator'): RequestHandler; requireRead: RequestHandler };
  /** The entries' settings in effect: a user's `<submitter>` limits apply to commands too. */
  settings: () => EntrySettings;
  clock?: Clock;
}

const withIndex = (err: CommandFieldError) => (err.index === undefined ? err : new CommandFieldError(`commands[${err.index}].${err.field}`, err.problem));

/**
 * Takes `{"commands": [{"command": "schedule_downtime", "host": ..., ...}]}` from an operator or admin; a bad field
 * is a 400 naming it (`commands[0].end: must be after start`), nothing of the request queued; 202
 * `{"commands": [{"id", "targets", "duplicate"}]}` only after the commands are committed to every routed target's
 * outbox (200 when every one was a re-send of a request id already queued).
 */
export function commandsRouter(options: CommandsRouterOptions): Router {
  const clock = options.clock ?? systemClock;
  const router = express.Router();
  router.post(COMMANDS_PATH, options.access.requireRole('operator'), async (req, res) => {
    if (!req.is('application/json')) throw new AppError('unsupported_media_type', 'body: send the commands as JSON with Content-Type: application/json');
    const user = req.auth?.user ?? undefined;
    const commands = readCommandsBody(req.body, user, Math.floor(clock().getTime() / 1000));
    const limits = user === undefined ? undefined : options.settings().submitters.get(user);
    const outside = commands.findIndex((c) => typeof c.host === 'string' && !withinLimits(limits, c));
    if (outside >= 0) throw new AppError('forbidden', `commands[${outside}]: user "${user}" may not submit commands for this host or service (its <submitter> limits)`, { index: outside });
    let queued;
    try {
      // Resolves once committed for every routed target; an unrouted command (422) or a full outbox (503) queues nothing.
      queued = await options.submitCommands(commands);
    } catch (err) {
      throw err instanceof CommandFieldError ? withIndex(err) : err;
    }
    res.status(queued.every((q) => q.duplicate) ? 200 : 202).json({ commands: queued });
  });

  router.get(COMMANDS_PATH, options.access.requireRead, async (req, res) => {
    const one = (name: string): string | undefined => {
      const v = req.query[name];
      if (v === undefined) return undefined;
      if (typeof v !== 'string') throw new CommandFieldError(name, 'must be given once');
      return v;
    };
    const host = one('host');
    if (host === undefined || host === '') throw new CommandFieldError('host', 'is required: the host whose commands to list');
    const service = one('service');
    const limitText = one('limit') ?? '100';
    if (!/^\d{1,4}$/.test(limitText) || Number(limitText) < 1 || Number(limitText) > MAX_COMMANDS_LISTED) throw new CommandFieldError('limit', `must be a whole number from 1 to ${MAX_COMMANDS_LISTED}`);
    const listed = await options.commands.list({ host, ...(service === undefined ? {} : { service }), limit: Number(limitText) });
    res.json({
      commands: listed.map((c) => ({ id: c.id, submittedAt: c.submittedAt, submittedBy: c.submittedBy, command: c.command, targets: c.targets })),
    });
  });
  return router;
}
