/**
 * The NRDP entry's `cmd=submitcmd`: one Nagios external command line (without the `[time] ` NRDP puts before it),
 * read strictly into a bridge command. Only the commands the bridge knows are taken, with exactly their fields; the
 * text itself never reaches a command file (the bridge writes its own line from the parsed command).
 */
import { CommandFieldError } from '../command-fields.js';
import type { BridgeCommand } from '../types.js';

/** Why a command line is refused; `field` names the part (`command`, `host`, `start`, ...). */
export class CommandLineError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'CommandLineError';
  }
}

/** The external commands taken, with their fields after the name (`service` only in the SVC forms). */
const SHAPES: Record<string, readonly string[]> = {
  SCHEDULE_SVC_DOWNTIME: ['host', 'service', 'start', 'end', 'fixed', 'trigger_id', 'duration', 'author', 'comment'],
  SCHEDULE_HOST_DOWNTIME: ['host', 'start', 'end', 'fixed', 'trigger_id', 'duration', 'author', 'comment'],
  SCHEDULE_AND_PROPAGATE_TRIGGERED_HOST_DOWNTIME: ['host', 'start', 'end', 'fixed', 'trigger_id', 'duration', 'author', 'comment'],
  SCHEDULE_AND_PROPAGATE_HOST_DOWNTIME: ['host', 'start', 'end', 'fixed', 'trigger_id', 'duration', 'author', 'comment'],
  DEL_DOWNTIME_BY_HOST_NAME: ['host', 'service', 'start', 'comment'],
  ACKNOWLEDGE_SVC_PROBLEM: ['host', 'service', 'sticky', 'notify', 'persistent', 'author', 'comment'],
  ACKNOWLEDGE_HOST_PROBLEM: ['host', 'sticky', 'notify', 'persistent', 'author', 'comment'],
  REMOVE_SVC_ACKNOWLEDGEMENT: ['host', 'service'],
  REMOVE_HOST_ACKNOWLEDGEMENT: ['host'],
};
export const NRDP_COMMANDS = Object.keys(SHAPES);

function whole(field: string, text: string, min: number, max: number): number {
  if (!/^\d{1,10}$/.test(text) || Number(text) < min || Number(text) > max) throw new CommandLineError(field, `"${text}" must be a whole number from ${min} to ${max}`);
  return Number(text);
}

/**
 * Reads `line` (e.g. `SCHEDULE_SVC_DOWNTIME;host;svc;1796000000;1796003600;1;0;3600;maint;kernel`) submitted at
 * `now`. Field values are checked afterwards by the bridge's checkCommand, as for the JSON API. Throws
 * {@link CommandLineError}.
 */
export function readCommandLine(line: string, now: number, submittedBy: string | undefined): BridgeCommand {
  if (/[\r\n\0]/.test(line)) throw new CommandLineError('command', 'must be one line (a newline would start a second command)');
  if (line.startsWith('[')) throw new CommandLineError('command', 'starts with "[": send the command without the [time] prefix (NRDP adds it)');
  const [name = '', ...parts] = line.split(';');
  const shape = SHAPES[name.toUpperCase()];
  if (!shape) throw new CommandLineError('command', `"${name.slice(0, 60)}" is not taken here (known: ${NRDP_COMMANDS.join(', ')})`);
  const upper = name.toUpperCase();
  // DEL_DOWNTIME_BY_HOST_NAME's fields after the host are optional; every other command has exactly its fields.
  const optionalFrom = upper === 'DEL_DOWNTIME_BY_HOST_NAME' ? 1 : shape.length;
  if (parts.length > shape.length || parts.length < optionalFrom) {
    throw new CommandLineError('command', `${upper} takes ${optionalFrom === shape.length ? '' : 'up to '}${shape.length} fields (${shape.join(';')}); got ${parts.length} (";" may not appear in a field)`);
  }
  const f = Object.fromEntries(shape.map((k, i) => [k, parts[i]]));
  const base = { kind: 'command' as const, host: f.host!, ...(f.service ? { service: f.service } : {}), submittedAt: now, ...(submittedBy ? { submittedBy } : {}) };
  if (upper.startsWith('SCHEDULE_')) {
    if (whole('trigger_id', f.trigger_id!, 0, 0) !== 0) throw new CommandLineError('trigger_id', 'must be 0');
    const fixed = whole('fixed', f.fixed!, 0, 1) === 1;
    const duration = whole('duration', f.duration!, 0, 2 ** 31);
    const childHosts = upper === 'SCHEDULE_AND_PROPAGATE_TRIGGERED_HOST_DOWNTIME' ? 'triggered' : upper === 'SCHEDULE_AND_PROPAGATE_HOST_DOWNTIME' ? 'non_triggered' : undefined;
    return {
      ...base,
      action: 'schedule_downtime',
      start: whole('start', f.start!, 1, 2 ** 32),
      end: whole('end', f.end!, 1, 2 ** 32),
      fixed,
      // A fixed downtime's duration is Nagios's to compute (end - start): the one given is not kept.
      ...(fixed ? {} : { duration }),
      author: f.author!,
      comment: f.comment!,
      ...(childHosts ? { childHosts } : {}),
    };
  }
  if (upper === 'DEL_DOWNTIME_BY_HOST_NAME') {
    const start = f.start ? whole('start', f.start, 0, 2 ** 32) : 0;
    return { ...base, action: 'remove_downtime', ...(start ? { start } : {}), ...(f.comment ? { comment: f.comment } : {}) };
  }
  if (upper.startsWith('ACKNOWLEDGE_')) {
    const type = whole('sticky', f.sticky!, 0, 2);
    return {
      ...base,
      action: 'acknowledge',
      sticky: type === 2,
      notify: whole('notify', f.notify!, 0, 1) === 1,
      persistent: whole('persistent', f.persistent!, 0, 1) === 1,
      author: f.author!,
      comment: f.comment!,
    };
  }
  return { ...base, action: 'remove_acknowledgement' };
}

/** A CommandFieldError of the bridge's check as the entry's own refusal. */
export const lineErrorOf = (err: CommandFieldError) => new CommandLineError(err.field, err.problem);
