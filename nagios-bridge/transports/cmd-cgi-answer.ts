/**
 * Reads cmd.cgi's answer: it says 200 whatever happened, so the page decides. Only the success line is a delivery; a
 * fault an admin can fix (credentials, authorization, Nagios down) is retried until the dead-letter age; a result
 * cmd.cgi can never take is final.
 */
import type { HttpAnswer } from './http-form-post.js';

/** `ok`; `csrf`: the form id was refused (get a fresh one and send again); `retryable` / `final` with the reason. */
export type CmdCgiVerdict = { kind: 'ok' } | { kind: 'csrf'; reason: string } | { kind: 'retryable' | 'final'; reason: string; auth?: boolean };

const SUCCESS = 'Your command request was successfully submitted to Nagios for processing';

interface PageRule {
  text: RegExp;
  kind: 'csrf' | 'retryable' | 'final';
  say: (who: string) => string;
}

// In cmd.cgi's order of checks (reference nagios.md §3), so a page is classed by the check that stopped it.
const RULES: readonly PageRule[] = [
  { text: /do not have permission to submit the command/i, kind: 'retryable', say: (u) => `user "${u}" is read-only in cmd.cgi's cgi.cfg (authorized_for_read_only)` },
  { text: /Invalid or missing CSRF cookie/i, kind: 'csrf', say: () => 'cmd.cgi refused the CSRF form id (NagFormId cookie and nagFormId parameter)' },
  { text: /Sorry Dave/i, kind: 'retryable', say: () => "cmd.cgi refuses every command: its cgi.cfg has use_authentication=0" },
  {
    text: /not authorized to commit the specified command/i,
    kind: 'retryable',
    say: (u) => `cmd.cgi says user "${u}" is not authorized for this command: the user lacks authorized_for_all_service_commands / _host_commands (or is no contact of the object), or Nagios does not define this host or service`,
  },
  { text: /Plugin output cannot be blank/i, kind: 'final', say: () => 'cmd.cgi refuses blank plugin output' },
  { text: /not checking for external commands/i, kind: 'retryable', say: () => "the remote Nagios is not checking external commands (check_external_commands=0)" },
  { text: /Could not stat\(\) command file/i, kind: 'retryable', say: () => "cmd.cgi cannot find Nagios's command file (is Nagios running?)" },
  { text: /Could not open command file/i, kind: 'retryable', say: () => "cmd.cgi cannot open Nagios's command file (is Nagios running? may the CGI's user write it?)" },
  { text: /An error occurred while attempting to commit your command/i, kind: 'retryable', say: () => "cmd.cgi could not write the command to Nagios's command file" },
];

/** Text of the page's first error line, tags stripped, for a reason nobody has a rule for. */
function errorLine(page: string): string | undefined {
  const m = /CLASS='errorMessage'>(.*?)<\/DIV>|<p>\s*Error:(.*?)<\/p>/is.exec(page);
  const text = (m?.[1] ?? m?.[2])?.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
  return text || undefined;
}

function titleOf(page: string): string {
  const t = /<title>(.*?)<\/title>/is.exec(page)?.[1]?.replace(/\s+/g, ' ').trim();
  return t ? `"${t.slice(0, 80)}"` : `starting "${page.replace(/\s+/g, ' ').trim().slice(0, 80)}"`;
}

/** Classes one answer of cmd.cgi at `url` to a request made as `user`. */
export function classifyCmdCgiAnswer(answer: HttpAnswer, url: string, user: string): CmdCgiVerdict {
  const { status, body } = answer;
  if (status === 401) return { kind: 'retryable', auth: true, reason: `${url} refused user "${user}" (HTTP 401): check the target's user and password` };
  if (status === 403) return { kind: 'retryable', auth: true, reason: `${url} forbids user "${user}" (HTTP 403): the web server's access rules refuse it` };
  if (status === 404) return { kind: 'retryable', reason: `${url} does not exist (HTTP 404): check the target's url` };
  if (status !== 200) return { kind: 'retryable', reason: `${url} answered HTTP ${status}` };
  if (body.includes(SUCCESS)) return { kind: 'ok' };
  for (const rule of RULES) if (rule.text.test(body)) return { kind: rule.kind, reason: rule.say(user) };
  const line = errorLine(body);
  if (line) return { kind: 'retryable', reason: `cmd.cgi answered "${line.slice(0, 200)}"` };
  return { kind: 'retryable', reason: `${url} answered a page without cmd.cgi's success line (${titleOf(body)}); is the url cmd.cgi's?` };
}
