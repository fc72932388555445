/**
 * What the remote cmd.cgi transport sends for a command: the form Nagios 4.4's cmd.cgi (cgi/cmd.c) commits for
 * `cmd_typ` 55/56 (schedule host/service downtime), 78/79 (delete host/service downtime by Nagios's id), 33/34
 * (acknowledge host/service problem) and 51/52 (remove the acknowledgement), and the times in its date format.
 */
import type { BridgeCommand } from '../types.js';
import { UnsendableResult } from './command-format.js';
import { CMD_CGI_MAX_PARAM_BYTES } from './cmd-cgi-request.js';

/** cmd.cgi's `cmd_typ` codes (include/common.h). */
export const COMMAND_CMD_TYP = {
  scheduleHostDowntime: 55,
  scheduleServiceDowntime: 56,
  deleteHostDowntime: 78,
  deleteServiceDowntime: 79,
  acknowledgeHost: 33,
  acknowledgeService: 34,
  removeHostAcknowledgement: 51,
  removeServiceAcknowledgement: 52,
} as const;

/** nagios.cfg's `date_format`, which cmd.cgi reads `start_time` and `end_time` in. */
export const CMD_CGI_DATE_FORMATS = ['us', 'euro', 'iso8601', 'strict-iso8601'] as const;
export type CmdCgiDateFormat = (typeof CMD_CGI_DATE_FORMATS)[number];

/**
 * `epoch` as cmd.cgi's string_to_time reads it: `MM-DD-YYYY HH:MM:SS` (us), `DD-MM-YYYY HH:MM:SS` (euro) or
 * `YYYY-MM-DD HH:MM:SS` (iso8601), in `timeZone`, the zone the CGI runs in (it calls mktime).
 */
export function cmdCgiTime(epoch: number, format: CmdCgiDateFormat, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(epoch * 1000));
  const p = (type: Intl.DateTimeFormatPartTypes) => parts.find((x) => x.type === type)?.value ?? '00';
  const time = `${p('hour')}:${p('minute')}:${p('second')}`;
  if (format === 'us') return `${p('month')}-${p('day')}-${p('year')} ${time}`;
  if (format === 'euro') return `${p('day')}-${p('month')}-${p('year')} ${time}`;
  return `${p('year')}-${p('month')}-${p('day')} ${time}`;
}

// cmd.cgi strips `<` and `>` from author and comment (strip_html_brackets) and turns `;` into a space: what Nagios
// stored would differ from what was asked, and a later removal by comment would not find it.
const CHANGED_BY_CMD_CGI = /[<>;\n\r\0]/;

function text(name: string, value: string): string {
  if (CHANGED_BY_CMD_CGI.test(value)) throw new UnsendableResult(`${name} ${JSON.stringify(value)} holds '<', '>', ';' or a line break, which cmd.cgi removes or refuses`);
  if (Buffer.byteLength(value) > CMD_CGI_MAX_PARAM_BYTES) throw new UnsendableResult(`${name} is ${Buffer.byteLength(value)} bytes; cmd.cgi takes at most ${CMD_CGI_MAX_PARAM_BYTES}`);
  return value;
}

/** The object fields: `host`, and `service` for a service command. */
function objectFields(c: BridgeCommand): [string, string][] {
  return c.service === undefined ? [['host', text('host', c.host)]] : [['host', text('host', c.host)], ['service', text('service', c.service)]];
}

export interface CmdCgiCommandOptions {
  dateFormat: CmdCgiDateFormat;
  timeZone: string;
}

/**
 * The form fields (without `nagFormId`, which the transport adds) of one commit for `c`. A `remove_downtime` needs
 * Nagios's downtime id: `downtimeId` is the id of the downtime to delete (the transport looks it up). Throws
 * {@link UnsendableResult} for a command cmd.cgi cannot carry.
 */
export function cmdCgiCommandForm(c: BridgeCommand, options: CmdCgiCommandOptions, downtimeId?: string): [string, string][] {
  const service = c.service !== undefined;
  const head = (typ: number): [string, string][] => [['cmd_typ', String(typ)], ['cmd_mod', '2']];
  switch (c.action) {
    case 'schedule_downtime': {
      if (!(c.end > c.start)) throw new UnsendableResult(`end ${c.end} is not after start ${c.start}`);
      if (service && c.childHosts !== undefined) throw new UnsendableResult('child hosts are for a host downtime, not a service one');
      // cmd.cgi takes a flexible downtime's duration in hours and minutes: seconds are rounded up to the minute.
      const minutes = c.fixed ? 0 : Math.ceil((c.duration ?? 0) / 60);
      if (!c.fixed && minutes < 1) throw new UnsendableResult('a flexible downtime needs a duration of at least one second');
      return [
        ...head(service ? COMMAND_CMD_TYP.scheduleServiceDowntime : COMMAND_CMD_TYP.scheduleHostDowntime),
        ...objectFields(c),
        ['com_author', text('author', c.author)],
        ['com_data', text('comment', c.comment)],
        ['trigger', '0'],
        ['start_time', cmdCgiTime(c.start, options.dateFormat, options.timeZone)],
        ['end_time', cmdCgiTime(c.end, options.dateFormat, options.timeZone)],
        ['fixed', c.fixed ? '1' : '0'],
        ['hours', String(Math.floor(minutes / 60))],
        ['minutes', String(minutes % 60)],
        ...(service ? [] : [['childoptions', c.childHosts === 'triggered' ? '1' : c.childHosts === 'non_triggered' ? '2' : '0'] as [string, string]]),
        ['btnSubmit', 'Commit'],
      ];
    }
    case 'remove_downtime': {
      const id = downtimeId ?? c.downtimeId;
      if (id === undefined || !/^[1-9]\d{0,9}$/.test(id)) throw new UnsendableResult(`downtime id ${JSON.stringify(id ?? '')} is not a Nagios downtime id (a number)`);
      return [...head(service ? COMMAND_CMD_TYP.deleteServiceDowntime : COMMAND_CMD_TYP.deleteHostDowntime), ['down_id', id], ['btnSubmit', 'Commit']];
    }
    case 'acknowledge':
      // cmd.cgi reads these checkboxes by their presence, whatever their value.
      return [
        ...head(service ? COMMAND_CMD_TYP.acknowledgeService : COMMAND_CMD_TYP.acknowledgeHost),
        ...objectFields(c),
        ['com_author', text('author', c.author)],
        ['com_data', text('comment', c.comment)],
        ...(c.sticky ? [['sticky_ack', 'on'] as [string, string]] : []),
        ...(c.notify ? [['send_notification', 'on'] as [string, string]] : []),
        ...(c.persistent ? [['persistent', 'on'] as [string, string]] : []),
        ['btnSubmit', 'Commit'],
      ];
    case 'remove_acknowledgement':
      return [...head(service ? COMMAND_CMD_TYP.removeServiceAcknowledgement : COMMAND_CMD_TYP.removeHostAcknowledgement), ...objectFields(c), ['btnSubmit', 'Commit']];
  }
}
