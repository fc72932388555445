/**
 * The remote cmd.cgi transport: each result one commit to a Nagios's cmd.cgi over HTTP(S), Basic auth, the CSRF
 * handshake of Debian's 4.4.6 and upstream >= 4.5.12, and the page read for what happened. cmd.cgi stamps the time it
 * runs: Nagios shows the time it received the result, not the original check time.
 */
import { errorMessage } from '../../common/index.js';
import type { PassiveResult } from '../types.js';
import { classifyCmdCgiAnswer, type CmdCgiVerdict } from './cmd-cgi-answer.js';
import { cmdCgiForm, issuedFormId } from './cmd-cgi-request.js';
import { UnsendableResult } from './command-format.js';
import { createHttpClient, formOf, HttpUnreachable, type HttpClient } from './http-form-post.js';
import { basicAuthorization, inParallel, readSecret } from './remote-target.js';
import { delivered, never, retryLater, type DeliveryOutcome, type Transport } from './transport.js';

export interface CmdCgiOptions {
  /** cmd.cgi's URL, e.g. `https://nagios.example/nagios4/cgi-bin/cmd.cgi`. */
  url: string;
  user: string;
  /** The password, or where to read it (re-read for every batch, so a fixed file needs no reload). */
  password?: string;
  passwordFile?: string;
  /** PEM file of the CA (or the self-signed certificate) to trust for HTTPS. */
  caFile?: string;
  insecure?: boolean;
  timeoutMs?: number;
  /** Commits in flight at once (results of one batch are of different services; default 4). */
  concurrency?: number;
  /** After a 401 or 403, how long no request is made (default 10 s): every result would hit the same wall. */
  authHoldMs?: number;
  now?: () => number;
}

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

  const commit = async (http: HttpClient, r: PassiveResult, authorization: string): Promise<CmdCgiVerdict> => {
    const send = async () => {
      const headers: Record<string, string> = { Authorization: authorization, Accept: 'text/html' };
      if (formId !== undefined) headers.Cookie = `NagFormId=${formId}`;
      const sentWith = formId;
      const answer = await http.send('POST', formOf(cmdCgiForm(r, formId)), headers);
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

  return {
    type: 'cmd_cgi',
    async deliver(results) {
      const t = now();
      if (hold && t < hold.until) return results.map(() => retryLater(hold!.reason));
      hold = undefined;
      let http: HttpClient;
      let authorization: string;
      try {
        http = await clientOf();
        authorization = await basicAuthorization(user, options.password, options.passwordFile);
      } catch (err) {
        return results.map(() => retryLater(errorMessage(err)));
      }

      const one = async (r: PassiveResult): Promise<DeliveryOutcome> => {
        if (hold) return retryLater(hold.reason);
        try {
          const v = await commit(http, r, authorization);
          if (v.kind === 'ok') return delivered;
          if (v.kind === 'retryable' && v.auth) hold = { until: now() + authHoldMs, reason: v.reason };
          return v.kind === 'final' ? never(v.reason) : retryLater(v.reason);
        } catch (err) {
          if (err instanceof UnsendableResult) return never(err.message);
          if (err instanceof HttpUnreachable) return retryLater(`${url}: ${err.message}`);
          if (err instanceof URIError) return never('the result holds text that is not valid Unicode');
          throw err;
        }
      };
      // Without an id yet, one commit first does the handshake; the others then go with the id it got.
      const first = formId === undefined && results.length > 1 ? [await one(results[0]!)] : [];
      const rest = await inParallel(results.slice(first.length), options.concurrency ?? 4, (r) => one(r));
      return [...first, ...rest];
    },
    close() {
      client?.close();
      client = undefined;
    },
  };
}
