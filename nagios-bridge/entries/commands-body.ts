/** The JSON body of `POST /api/v1/nagios/commands`: `{"commands": [...]}` read into bridge commands, naming the field that is wrong. */
import { CommandFieldError } from '../command-fields.js';
import { COMMAND_ACTIONS, type BridgeCommand, type CommandAction } from '../types.js';

/** Most commands in one request. */
export const MAX_COMMANDS_PER_REQUEST = 1000;

const FIELDS: Record<CommandAction, readonly string[]> = {
  schedule_downtime: ['start', 'end', 'fixed', 'duration', 'author', 'comment', 'child_hosts'],
  remove_downtime: ['start', 'comment', 'downtime_id', 'schedule_id'],
  acknowledge: ['author', 'comment', 'sticky', 'notify', 'persistent'],
  remove_acknowledgement: [],
};
const COMMON = ['command', 'host', 'service', 'request_id'];

/** One command of the body; its fields' types and values are the bridge's checkCommand's to judge. */
function readCommand(raw: unknown, i: number, submittedBy: string | undefined, now: number): BridgeCommand {
  const at = `commands[${i}]`;
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new CommandFieldError(at, 'must be an object');
  const o = raw as Record<string, unknown>;
  const action = o.command;
  if (typeof action !== 'string' || !(COMMAND_ACTIONS as readonly string[]).includes(action)) throw new CommandFieldError(`${at}.command`, `must be one of ${COMMAND_ACTIONS.join(', ')}`);
  const known = [...COMMON, ...FIELDS[action as CommandAction]];
  const unknown = Object.keys(o).find((k) => !known.includes(k));
  if (unknown !== undefined) throw new CommandFieldError(`${at}.${unknown}`, `is not a field of ${action} (known: ${known.join(', ')})`);
  // Values pass through as sent (a number where a string belongs stays a number), so checkCommand names the field.
  const v = (name: string) => o[name] as never;
  const opt = (key: string, name: string) => (o[name] !== undefined ? { [key]: v(name) } : {});
  const base = {
    kind: 'command' as const,
    host: v('host'),
    ...opt('service', 'service'),
    ...opt('requestId', 'request_id'),
    submittedAt: now,
    ...(submittedBy ? { submittedBy } : {}),
  };
  const author = (o.author ?? submittedBy) as never;
  switch (action as CommandAction) {
    case 'schedule_downtime':
      return { ...base, action: 'schedule_downtime', start: v('start'), end: v('end'), fixed: (o.fixed ?? true) as never, ...opt('duration', 'duration'), author, comment: v('comment'), ...opt('childHosts', 'child_hosts') };
    case 'remove_downtime':
      return { ...base, action: 'remove_downtime', ...opt('start', 'start'), ...opt('comment', 'comment'), ...opt('downtimeId', 'downtime_id'), ...opt('scheduleId', 'schedule_id') };
    case 'acknowledge':
      return { ...base, action: 'acknowledge', author, comment: v('comment'), sticky: (o.sticky ?? true) as never, notify: (o.notify ?? true) as never, persistent: (o.persistent ?? false) as never };
    case 'remove_acknowledgement':
      return { ...base, action: 'remove_acknowledgement' };
  }
}

/**
 * Reads `body` into commands (each then checked by the bridge's checkCommand); throws CommandFieldError naming the
 * field as `commands[i].name`. `author` defaults to the submitting user; `fixed` to true; an acknowledgement's
 * booleans to sticky true, notify true, persistent false, as Nagios's cmd.cgi form does.
 */
export function readCommandsBody(body: unknown, submittedBy: string | undefined, now: number): BridgeCommand[] {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new CommandFieldError('body', 'must be a JSON object {"commands": [...]} sent as application/json');
  const list = (body as { commands?: unknown }).commands;
  if (!Array.isArray(list) || list.length === 0) throw new CommandFieldError('commands', 'must be a non-empty array of commands');
  if (list.length > MAX_COMMANDS_PER_REQUEST) throw new CommandFieldError('commands', `holds ${list.length} commands; at most ${MAX_COMMANDS_PER_REQUEST} per request`);
  return list.map((raw: unknown, i) => readCommand(raw, i, submittedBy, now));
}
