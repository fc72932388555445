/**
 * The remote cmd.cgi transport: each result or command one commit to a Nagios's cmd.cgi over HTTP(S), Basic auth,
 * the CSRF handshake of Debian's 4.4.6 and upstream >= 4.5.12, and the page read for what happened. cmd.cgi stamps
 * the time it runs: Nagios shows the time it received the result, not the original check time. A downtime removal
 * finds Nagios's downtime ids in the statusjson.cgi beside cmd.cgi.
 */
import { errorMessage } from '../../common/index.js';
import type { BridgeCommand, PassiveResult, RemoveDowntime } from '../types.js';
import { classifyCmdCgiAnswer, type CmdCgiVerdict } from './cmd-cgi-answer.js';
import { cmdCgiCommandForm, type CmdCgiDateFormat } from './cmd-cgi-commands.js';
import { downtimeListQuery, downtimesToRemove, readDowntimeList, statusJsonPath } from './cmd-cgi-downtimes.js';
import { cmdCgiForm, issuedFormId } from './cmd-cgi-request.js';
import { UnsendableResult } from './command-format.js';
import { createHttpClient, formOf, HttpUnreachable, type HttpClient } from './http-form-post.js';
import { basicAuthorization, inParallel, readSecret, type BasicEndpoint } from './remote-target.js';
import { delivered, never, retryLater, type DeliveryOutcome, type Transport } from './transport.js';

export interface CmdCgiOptions extends BasicEndpoint {
  /** Commits in flight at once (results of one batch are of different services; default 4). */
  concurrency?: number;
  /** After a 401 or 403, how long no request is made (default 10 s): every result would hit the same wall. */
  authHoldMs?: number;
  /** nagios.cfg's `date_format` of the remote Nagios, which cmd.cgi reads downtime times in (default `us`). */
  dateFormat?: CmdCgiDateFormat;
  /** The time zone cmd.cgi runs in (it reads downtime times as local time; default: this machine's). */
  timeZone?: string;
  now?: () => number;
}

/**
 * How long after a removal was submitted a downtime it names may still be missing from statusjson.cgi (Nagios writes
 * status.dat every `status_update_interval`, 10 s by default, and may not have read the schedule yet): until then
 * "none found" is retried; after it, there is nothing to remove.
 */
export const DOWNTIME_LOOKUP_GRACE_MS = 300_000;

/** A transport committing results through a remote cmd.cgi. */
export function createCmdCgiTransport(options: CmdCgiOptions): Transport & { close(): void } {
  const { url, user } = options;
  const now = options.now ?? Date.now;
  const authHoldMs = options.authHoldMs ?? 10_000;
  let client: HttpClient | undefined;
  // The NagFormId cmd.cgi issued; kept while it is taken, replaced when cmd.cgi refuses it.
  let formId: string | undefined;
  let hold: { until: number; reason: string } | undefined;

  const clientOf = async (): Promise<HttpClient> => {
    if (client) return client;
    const ca = options.caFile ? await readSecret(options.caFile, 'ca_file') : undefined;
    client = createHttpClient({ url, ca, insecure: options.insecure, timeoutMs: options.timeoutMs, maxSockets: options.concurrency ?? 4 });
    return client;
  };

  const commit = async (http: HttpClient, form: (formId: string | undefined) => [string, string][], authorization: string): Promise<CmdCgiVerdict> => {
    const send = async () => {
      const headers: Record<string, string> = { Authorization: authorization, Accept: 'text/html' };
      if (formId !== undefined) headers.Cookie = `NagFormId=${formId}`;
      const sentWith = formId;
      const answer = await http.send('POST', formOf(form(formId)), headers);
      return { answer, sentWith };
    };
    const { answer: refused, sentWith } = await send();
    let verdict = classifyCmdCgiAnswer(refused, url, user);
    if (verdict.kind !== 'csrf') return verdict;
    // The handshake: cmd.cgi's refusal carries the id it will take. Another commit may have renewed it meanwhile.
    const fresh = issuedFormId(refused.headers['set-cookie']);
    if (fresh !== undefined) formId = fresh;
    if (formId === undefined || formId === sentWith) {
      return { kind: 'retryable', reason: `${verdict.reason}, and its answer issued no new NagFormId cookie to retry with` };
    }
    const { answer } = await send();
    verdict = classifyCmdCgiAnswer(answer, url, user);
    return verdict.kind === 'csrf' ? { kind: 'retryable', reason: `${verdict.reason} twice, the second time with the id it had just issued` } : verdict;
  };

  const dateFormat = options.dateFormat ?? 'us';
  const timeZone = options.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  /** A command's form with `nagFormId` after `cmd_mod`, before anything long. */
  const commandForm = (c: BridgeCommand, downtimeId?: string) => (id: string | undefined) => {
    const fields = cmdCgiCommandForm(c, { dateFormat, timeZone }, downtimeId);
    return id === undefined ? fields : [...fields.slice(0, 2), ['nagFormId', id] as [string, string], ...fields.slice(2)];
  };

  /** Delivers `items` (results or commands, each one commit or more through `send`), sharing the hold and the handshake. */
  const deliverEach = async <T>(items: readonly T[], send: (http: HttpClient, item: T, authorization: string) => Promise<DeliveryOutcome>): Promise<DeliveryOutcome[]> => {
    const t = now();
    if (hold && t < hold.until) return items.map(() => retryLater(hold!.reason));
    hold = undefined;
    let http: HttpClient;
    let authorization: string;
    try {
      http = await clientOf();
      authorization = await basicAuthorization(user, options.password, options.passwordFile);
    } catch (err) {
      return items.map(() => retryLater(errorMessage(err)));
    }
    const one = async (item: T): Promise<DeliveryOutcome> => {
      if (hold) return retryLater(hold.reason);
      try {
        return await send(http, item, authorization);
      } catch (err) {
        if (err instanceof UnsendableResult) return never(err.message);
        if (err instanceof HttpUnreachable) return retryLater(`${url}: ${err.message}`);
        if (err instanceof URIError) return never('the item holds text that is not valid Unicode');
        throw err;
      }
    };
    // Without an id yet, one commit first does the handshake; the others then go with the id it got.
    const first = formId === undefined && items.length > 1 ? [await one(items[0]!)] : [];
    const rest = await inParallel(items.slice(first.length), options.concurrency ?? 4, (item) => one(item));
    return [...first, ...rest];
  };

  /** One commit's verdict as an outcome (a refused login holds off the next requests). */
  const outcomeOf = (v: CmdCgiVerdict): DeliveryOutcome => {
    if (v.kind === 'ok') return delivered;
    if (v.kind === 'retryable' && v.auth) hold = { until: now() + authHoldMs, reason: v.reason };
    return v.kind === 'final' ? never(v.reason) : retryLater(v.reason);
  };

  /** A removal without Nagios's id: the matching downtimes from statusjson.cgi, each deleted by its id. */
  const removeByLookup = async (http: HttpClient, c: RemoveDowntime, authorization: string): Promise<DeliveryOutcome> => {
    // The host goes as a query parameter (percent-encoded); each delete sends only Nagios's id.
    const answer = await http.request('GET', { path: statusJsonPath(url), query: downtimeListQuery(c.host) }, { Authorization: authorization, Accept: 'application/json' });
    const read = readDowntimeList(answer);
    if ('error' in read) {
      if (read.auth) hold = { until: now() + authHoldMs, reason: `${url}: ${read.error}` };
      return retryLater(`${statusJsonPath(url)} on ${new URL(url).host}: ${read.error}`);
    }
    const gone = downtimesToRemove(c, read.downtimes);
    if (!gone.length) {
      const what = `${c.service === undefined ? `host ${c.host}` : `${c.host}!${c.service}`}${c.start === undefined ? '' : ` starting ${c.start}`}${c.comment === undefined ? '' : ` with comment "${c.comment}"`}`;
      // Nagios may not have written the downtime to status.dat yet; later, none means nothing is left to remove.
      if (now() - c.submittedAt * 1000 < DOWNTIME_LOOKUP_GRACE_MS) return retryLater(`no downtime of ${what} in Nagios's statusjson.cgi yet`);
      return delivered;
    }
    const { service: _service, ...hostOnly } = c;
    for (const d of gone) {
      // A host downtime is deleted as one (cmd_typ 78), a service's as a service's (79).
      const one: RemoveDowntime = d.service === undefined ? hostOnly : { ...c, service: d.service };
      const outcome = outcomeOf(await commit(http, commandForm(one, d.id), authorization));
      if (outcome.status !== 'ok') return outcome;
    }
    return delivered;
  };

  return {
    type: 'cmd_cgi',
    deliver: (results) => deliverEach(results, async (http, r: PassiveResult, authorization) => outcomeOf(await commit(http, (id) => cmdCgiForm(r, id), authorization))),
    deliverCommands: (commands) =>
      deliverEach(commands, async (http, c: BridgeCommand, authorization) => {
        if (c.action === 'remove_downtime' && c.downtimeId === undefined) return removeByLookup(http, c, authorization);
        return outcomeOf(await commit(http, commandForm(c), authorization));
      }),
    close() {
      client?.close();
      client = undefined;
    },
  };
}
