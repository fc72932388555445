/**
 * The NRDP client transport: a batch as one `cmd=submitcheck` post (JSONDATA), NRDP's answer read (`status` -1 is a
 * failure). NRDP Core applies results with the time Nagios reads them; the original time is sent as `time` for
 * servers that keep it (Nagios XI with allow_old_results, the appliance's own NRDP entry).
 */
import { errorMessage } from '../../common/index.js';
import { UnsendableResult } from './command-format.js';
import { createHttpClient, formOf, HttpUnreachable, type HttpClient } from './http-form-post.js';
import { classifyNrdpAnswer } from './nrdp-answer.js';
import { NRDP_MAX_PER_POST, nrdpCheckResult, nrdpForm, type NrdpCheckResult } from './nrdp-request.js';
import { formatExternalCommand } from './external-commands.js';
import { inParallel, readSecret } from './remote-target.js';
import type { BridgeCommand } from '../types.js';
import { delivered, never, retryLater, type DeliveryOutcome, type Transport } from './transport.js';

export interface NrdpOptions {
  /** The NRDP endpoint, e.g. `https://nagios.example/nrdp/`. */
  url: string;
  /** The token, or where to read it (re-read for every batch). */
  token?: string;
  tokenFile?: string;
  caFile?: string;
  insecure?: boolean;
  timeoutMs?: number;
  /** After a refused token, how long no post is made (default 10 s). */
  authHoldMs?: number;
  now?: () => number;
}

/** A transport posting results to an NRDP server. */
export function createNrdpTransport(options: NrdpOptions): Transport & { close(): void } {
  const { url } = options;
  const now = options.now ?? Date.now;
  const authHoldMs = options.authHoldMs ?? 10_000;
  let client: HttpClient | undefined;
  let hold: { until: number; reason: string } | undefined;

  const clientOf = async () => {
    if (client) return client;
    const ca = options.caFile ? await readSecret(options.caFile, 'ca_file') : undefined;
    client = createHttpClient({ url, ca, insecure: options.insecure, timeoutMs: options.timeoutMs, maxSockets: 2 });
    return client;
  };

  /** Posts `slots` (indexes into `entries`), setting `outcomes` for each; a refusal about one result is narrowed down. */
  const post = async (http: HttpClient, token: string, entries: readonly NrdpCheckResult[], slots: number[], outcomes: DeliveryOutcome[]): Promise<void> => {
    while (slots.length) {
      if (hold) {
        for (const i of slots) outcomes[i] = retryLater(hold.reason);
        return;
      }
      let verdict;
      try {
        const answer = await http.send('POST', formOf(nrdpForm(token, slots.map((i) => entries[i]!))), { Accept: 'application/json' });
        verdict = classifyNrdpAnswer(answer, url, slots.length);
      } catch (err) {
        if (!(err instanceof HttpUnreachable)) throw err;
        verdict = { kind: 'retryable' as const, reason: `${url}: ${err.message}` };
      }
      if (verdict.kind === 'ok') {
        for (const i of slots) outcomes[i] = delivered;
        return;
      }
      if (verdict.kind === 'blame') {
        // Only the named result is unreadable: it fails for good, the others go again without it.
        const [bad] = slots.splice(verdict.index, 1);
        outcomes[bad!] = never(verdict.reason);
        continue;
      }
      if (verdict.kind === 'split') {
        for (const i of slots) await post(http, token, entries, [i], outcomes);
        return;
      }
      if (verdict.kind === 'retryable' && verdict.auth) hold = { until: now() + authHoldMs, reason: verdict.reason };
      for (const i of slots) outcomes[i] = verdict.kind === 'final' ? never(verdict.reason) : retryLater(verdict.reason);
      return;
    }
  };

  /** The client and the token for a batch, or the reason they cannot be had (retried). */
  const connect = async (): Promise<{ http: HttpClient; token: string } | { reason: string }> => {
    try {
      const http = await clientOf();
      const token = options.tokenFile ? (await readSecret(options.tokenFile, 'token_file')).trim() : (options.token ?? '');
      return { http, token };
    } catch (err) {
      return { reason: errorMessage(err) };
    }
  };

  /** One command as one `cmd=submitcmd` post: its external command line without the `[time] ` NRDP adds. */
  const postCommand = async (http: HttpClient, token: string, line: string): Promise<DeliveryOutcome> => {
    if (hold) return retryLater(hold.reason);
    let verdict;
    try {
      const answer = await http.send('POST', formOf([['token', token], ['cmd', 'submitcmd'], ['command', line]]), { Accept: 'application/json' });
      verdict = classifyNrdpAnswer(answer, url, 1);
    } catch (err) {
      if (!(err instanceof HttpUnreachable)) throw err;
      return retryLater(`${url}: ${err.message}`);
    }
    if (verdict.kind === 'ok') return delivered;
    if (verdict.kind === 'retryable' && verdict.auth) hold = { until: now() + authHoldMs, reason: verdict.reason };
    return verdict.kind === 'final' || verdict.kind === 'blame' ? never(verdict.reason) : retryLater(verdict.reason);
  };

  return {
    type: 'nrdp',
    async deliverCommands(commands: readonly BridgeCommand[]) {
      if (hold && now() < hold.until) return commands.map(() => retryLater(hold!.reason));
      hold = undefined;
      const outcomes = new Array<DeliveryOutcome>(commands.length);
      const lines: string[] = [];
      for (const [i, c] of commands.entries()) {
        try {
          lines[i] = formatExternalCommand(c).replace(/^\[\d+\] /, '').replace(/\n$/, '');
        } catch (err) {
          if (!(err instanceof UnsendableResult)) throw err;
          outcomes[i] = never(err.message);
        }
      }
      const slots = commands.flatMap((_, i) => (outcomes[i] ? [] : [i]));
      const link = await connect();
      if ('reason' in link) {
        for (const i of slots) outcomes[i] = retryLater(link.reason);
        return outcomes;
      }
      // A batch holds one command per (host, service): posting them at once never reorders one object's commands.
      await inParallel(slots, 2, async (i) => (outcomes[i] = await postCommand(link.http, link.token, lines[i]!)));
      return outcomes;
    },
    async deliver(results) {
      const outcomes = new Array<DeliveryOutcome>(results.length);
      if (hold && now() < hold.until) return results.map(() => retryLater(hold!.reason));
      hold = undefined;
      const entries: NrdpCheckResult[] = [];
      const slots: number[] = [];
      for (const [i, r] of results.entries()) {
        try {
          entries[i] = nrdpCheckResult(r);
          slots.push(i);
        } catch (err) {
          if (!(err instanceof UnsendableResult)) throw err;
          outcomes[i] = never(err.message);
        }
      }
      let http: HttpClient;
      let token: string;
      try {
        http = await clientOf();
        token = options.tokenFile ? (await readSecret(options.tokenFile, 'token_file')).trim() : (options.token ?? '');
      } catch (err) {
        for (const i of slots) outcomes[i] = retryLater(errorMessage(err));
        return outcomes;
      }
      // JSON.stringify writes a lone surrogate as `\ud800`, so the form never holds text encodeURIComponent refuses.
      for (let k = 0; k < slots.length; k += NRDP_MAX_PER_POST) await post(http, token, entries, slots.slice(k, k + NRDP_MAX_PER_POST), outcomes);
      return outcomes;
    },
    close() {
      client?.close();
      client = undefined;
    },
  };
}
