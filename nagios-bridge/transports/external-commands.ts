/** Nagios external command lines for the bridge's commands: downtimes and acknowledgements, with their fields checked. */
import type { BridgeCommand } from '../types.js';
import { UnsendableResult } from './command-format.js';

// Nagios splits every field of these commands (the last one too, in 4.5's SCHEDULE_*_DOWNTIME) at `;`, and a newline
// or NUL ends the command: either would cut a field short or start a second command.
const BAD_FIELD = /[;\n\r\0]/;

function field(name: string, value: string | undefined, optional = false): string {
  if (value === undefined || value === '') {
    if (optional) return '';
    throw new UnsendableResult(`${name} is empty`);
  }
  if (BAD_FIELD.test(value)) throw new UnsendableResult(`${name} ${JSON.stringify(value)} holds ';', a newline or NUL, which would end the external command`);
  return value;
}

function epoch(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) throw new UnsendableResult(`${name} ${String(value)} is not an epoch time`);
  return Math.floor(value);
}

const flag = (b: boolean) => (b ? 1 : 0);

/** The arguments after the command name, e.g. `host;service;start;end;1;0;0;author;comment`. */
function commandOf(c: BridgeCommand): { name: string; args: (string | number)[] } {
  const host = field('host', c.host);
  const service = c.service === undefined ? undefined : field('service', c.service);
  const object = service === undefined ? [host] : [host, service];
  switch (c.action) {
    case 'schedule_downtime': {
      const start = epoch('start', c.start);
      const end = epoch('end', c.end);
      if (end <= start) throw new UnsendableResult(`end ${end} is not after start ${start}`);
      const duration = c.fixed ? end - start : Math.floor(c.duration ?? 0);
      // Nagios drops a flexible downtime without a duration (cmd_schedule_downtime returns ERROR).
      if (!c.fixed && !(duration > 0)) throw new UnsendableResult('a flexible downtime needs a duration of at least one second');
      // trigger_id 0: not triggered by another downtime.
      const args = [...object, start, end, flag(c.fixed), 0, duration, field('author', c.author), field('comment', c.comment)];
      if (service !== undefined) {
        if (c.childHosts !== undefined) throw new UnsendableResult('child hosts are for a host downtime, not a service one');
        return { name: 'SCHEDULE_SVC_DOWNTIME', args };
      }
      const name = c.childHosts === 'triggered' ? 'SCHEDULE_AND_PROPAGATE_TRIGGERED_HOST_DOWNTIME' : c.childHosts === 'non_triggered' ? 'SCHEDULE_AND_PROPAGATE_HOST_DOWNTIME' : 'SCHEDULE_HOST_DOWNTIME';
      return { name, args };
    }
    case 'remove_downtime': {
      if (c.downtimeId !== undefined) {
        if (!/^\d+$/.test(c.downtimeId)) throw new UnsendableResult(`downtime id ${JSON.stringify(c.downtimeId)} is not a Nagios downtime id (a number)`);
        return { name: service === undefined ? 'DEL_HOST_DOWNTIME' : 'DEL_SVC_DOWNTIME', args: [c.downtimeId] };
      }
      // host;[service];[start];[comment]: an empty service means the host's downtimes and all of its services'.
      const args: (string | number)[] = [host, service ?? ''];
      const comment = field('comment', c.comment, true);
      if (c.start !== undefined || comment) args.push(c.start === undefined ? 0 : epoch('start', c.start));
      if (comment) args.push(comment);
      while (args.length > 1 && args[args.length - 1] === '') args.pop();
      return { name: 'DEL_DOWNTIME_BY_HOST_NAME', args };
    }
    case 'acknowledge': {
      // type 2 is sticky (kept until OK), 1 the normal one (removed at the next state change).
      const args = [...object, c.sticky ? 2 : 1, flag(c.notify), flag(c.persistent), field('author', c.author), field('comment', c.comment)];
      return { name: service === undefined ? 'ACKNOWLEDGE_HOST_PROBLEM' : 'ACKNOWLEDGE_SVC_PROBLEM', args };
    }
    case 'remove_acknowledgement':
      return { name: service === undefined ? 'REMOVE_HOST_ACKNOWLEDGEMENT' : 'REMOVE_SVC_ACKNOWLEDGEMENT', args: object };
  }
}

/**
 * `[submitted] SCHEDULE_SVC_DOWNTIME;host;service;start;end;fixed;0;duration;author;comment` and the other commands,
 * ending in exactly one `\n`. Throws UnsendableResult naming the field that would break the command.
 */
export function formatExternalCommand(c: BridgeCommand): string {
  const { name, args } = commandOf(c);
  return `[${epoch('submitted', c.submittedAt)}] ${name};${args.join(';')}\n`;
}
