/** Checks a downtime or acknowledgement command before it is queued, naming the field that is wrong. */
import { AppError } from '../common/index.js';
import { CHILD_HOSTS_OPTIONS, COMMAND_ACTIONS, type BridgeCommand } from './types.js';

/** Longest host or service name, author, comment, downtime id or request id, in UTF-8 bytes. */
export const MAX_COMMAND_FIELD_BYTES = 1023;

/** A command field that cannot be queued; `field` names it (as the JSON entry spells it). */
export class CommandFieldError extends AppError {
  constructor(
    readonly field: string,
    /** What is wrong with it, without the field's name. */
    readonly problem: string,
    /** Which command of a submit it is about (the commands API answers `commands[index].field`). */
    readonly index?: number,
  ) {
    super('bad_request', `${field}: ${problem}`, { field, ...(index === undefined ? {} : { index }) });
    this.name = 'CommandFieldError';
  }
}

// `;` separates external-command fields (Nagios 4.5 splits even the last comment at it), `[`/`]` frame the entry
// time and a newline ends the command: any of them would let a client write a second command. The same characters
// are refused for Icinga too, so a command means the same on every target.
// eslint-disable-next-line no-control-regex
const BAD_CHAR = /[;[\]\u0000-\u001f\u007f]/;

/** The appliance's command ids: 32 lower-case hexadecimal digits (a random UUID without its dashes). */
export const COMMAND_ID = /^[0-9a-f]{32}$/;

function text(field: string, value: unknown, required: boolean): void {
  if (value === undefined && !required) return;
  if (typeof value !== 'string') throw new CommandFieldError(field, required ? 'is required (a string)' : 'must be a string');
  if (value === '') throw new CommandFieldError(field, 'must not be empty');
  const bad = BAD_CHAR.exec(value);
  if (bad) throw new CommandFieldError(field, `must not contain ${bad[0] === '\n' ? 'a newline' : /[;[\]]/.test(bad[0]) ? `"${bad[0]}"` : 'a control character'}`);
  if (value.trim() !== value) throw new CommandFieldError(field, 'must not begin or end with white space');
  if (Buffer.byteLength(value) > MAX_COMMAND_FIELD_BYTES) throw new CommandFieldError(field, `is longer than ${MAX_COMMAND_FIELD_BYTES} bytes`);
}

function epoch(field: string, value: unknown, required: boolean): void {
  if (value === undefined && !required) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0 || value > 2 ** 32) throw new CommandFieldError(field, `must be a time in whole epoch seconds${required ? ' (required)' : ''}`);
}

function bool(field: string, value: unknown): void {
  if (typeof value !== 'boolean') throw new CommandFieldError(field, 'must be true or false');
}

/** Throws CommandFieldError for the first field of `c` that is missing or wrong. */
export function checkCommand(c: BridgeCommand): void {
  if (c.kind !== 'command') throw new CommandFieldError('kind', 'must be "command"');
  if (!(COMMAND_ACTIONS as readonly string[]).includes(c.action)) throw new CommandFieldError('command', `must be one of ${COMMAND_ACTIONS.join(', ')}`);
  text('host', c.host, true);
  text('service', c.service, false);
  text('request_id', c.requestId, false);
  if (c.commandId !== undefined && (typeof c.commandId !== 'string' || !COMMAND_ID.test(c.commandId))) throw new CommandFieldError('id', 'must be 32 hexadecimal digits (the id the appliance gave)');
  epoch('submitted_at', c.submittedAt, true);
  switch (c.action) {
    case 'schedule_downtime':
      epoch('start', c.start, true);
      epoch('end', c.end, true);
      if (c.end <= c.start) throw new CommandFieldError('end', 'must be after start');
      bool('fixed', c.fixed);
      if (!c.fixed) {
        if (typeof c.duration !== 'number' || !Number.isInteger(c.duration) || c.duration <= 0) throw new CommandFieldError('duration', 'is required for a flexible downtime (fixed: false): whole seconds, at least 1');
      } else if (c.duration !== undefined) {
        throw new CommandFieldError('duration', 'is only for a flexible downtime (fixed: false); a fixed one lasts from start to end');
      }
      text('author', c.author, true);
      text('comment', c.comment, true);
      if (c.childHosts !== undefined) {
        if (!(CHILD_HOSTS_OPTIONS as readonly unknown[]).includes(c.childHosts)) throw new CommandFieldError('child_hosts', `must be one of ${CHILD_HOSTS_OPTIONS.join(', ')} (leave it out for none)`);
        if (c.service !== undefined) throw new CommandFieldError('child_hosts', 'is for a host downtime; leave out service');
      }
      return;
    case 'remove_downtime':
      epoch('start', c.start, false);
      text('comment', c.comment, false);
      text('downtime_id', c.downtimeId, false);
      if (c.downtimeId !== undefined && (c.start !== undefined || c.comment !== undefined)) throw new CommandFieldError('downtime_id', 'names one downtime; leave out start and comment');
      if (c.scheduleId !== undefined) {
        if (typeof c.scheduleId !== 'string' || !COMMAND_ID.test(c.scheduleId)) throw new CommandFieldError('schedule_id', 'must be the id the appliance answered for a schedule_downtime (32 hexadecimal digits)');
        if (c.downtimeId !== undefined) throw new CommandFieldError('schedule_id', 'names the downtime already; leave out downtime_id');
      }
      return;
    case 'acknowledge':
      text('author', c.author, true);
      text('comment', c.comment, true);
      bool('sticky', c.sticky);
      bool('notify', c.notify);
      bool('persistent', c.persistent);
      return;
    case 'remove_acknowledgement':
      return;
  }
}
