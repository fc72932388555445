/** What the remote cmd.cgi transport sends for one result: the form Nagios 4.4's cmd.cgi commits, and the limits it imposes. */
import type { PassiveResult } from '../types.js';
import { checkNames, escapeOutput, UnsendableResult } from './command-format.js';

/**
 * Longest parameter value cmd.cgi takes, in decoded bytes: at 1023 Debian's 4.4.6 stops reading the form (tested:
 * the parameters after it, `nagFormId` among them, are lost and the page says the CSRF cookie is invalid).
 */
export const CMD_CGI_MAX_PARAM_BYTES = 1022;

/** `cmd_typ` of cmd.cgi: 30 PROCESS_SERVICE_CHECK_RESULT, 87 PROCESS_HOST_CHECK_RESULT. */
export const CMD_TYP = { service: 30, host: 87 } as const;

/**
 * The plugin output as cmd.cgi's `plugin_output` carries it: the first line, then the long output after an escaped
 * newline (the two characters `\n`, which cmd.cgi passes through and Nagios decodes; a real newline makes cmd.cgi
 * refuse the commit). Perfdata goes in `performance_data`, which cmd.cgi appends after a `|`: after the last long
 * output line, where Nagios's parser reads it as perfdata too.
 */
export function cmdCgiOutput(r: PassiveResult): string {
  const first = r.output.replace(/\r\n?|\n/g, ' ');
  return escapeOutput(r.longOutput ? `${first}\n${r.longOutput}` : first);
}

function limit(value: string, field: string): string {
  const bytes = Buffer.byteLength(value);
  if (bytes > CMD_CGI_MAX_PARAM_BYTES) {
    throw new UnsendableResult(`${field} is ${bytes} bytes; cmd.cgi takes at most ${CMD_CGI_MAX_PARAM_BYTES} (use a command_file target for longer output)`);
  }
  return value;
}

/**
 * The form fields of one commit (`cmd_mod=2`), in the order sent. `nagFormId` comes before the outputs: a value
 * too long for cmd.cgi would cut off everything after it. Throws {@link UnsendableResult} for a result cmd.cgi can
 * never take (names with `;` or a newline, a host state 3, output over the limit).
 */
export function cmdCgiForm(r: PassiveResult, formId: string | undefined): [string, string][] {
  checkNames(r);
  if (r.kind === 'host' && r.state === 3) throw new UnsendableResult('a host result has state 3; Nagios takes 0 (UP), 1 (DOWN) or 2 (UNREACHABLE)');
  const fields: [string, string][] = [
    ['cmd_typ', String(CMD_TYP[r.kind])],
    ['cmd_mod', '2'],
    ['host', limit(r.host, 'host')],
    ...(r.kind === 'service' ? [['service', limit(r.service!, 'service')] as [string, string]] : []),
    ['plugin_state', String(r.state)],
    ...(formId === undefined ? [] : [['nagFormId', formId] as [string, string]]),
    ['plugin_output', limit(cmdCgiOutput(r), 'plugin_output')],
    ['performance_data', limit((r.perfdata ?? '').replace(/\r\n?|\n/g, ' '), 'performance_data')],
    ['btnSubmit', 'Commit'],
  ];
  return fields;
}

/** The `NagFormId` value a response's `Set-Cookie` hands out (patched cmd.cgi sends one on every page), if any. */
export function issuedFormId(setCookie: readonly string[] | string | undefined): string | undefined {
  const list: readonly string[] = setCookie === undefined ? [] : typeof setCookie === 'string' ? [setCookie] : setCookie;
  for (const c of list) {
    const m = /^\s*NagFormId=([^;\s]*)/i.exec(c);
    if (m && m[1]) return m[1];
  }
  return undefined;
}
