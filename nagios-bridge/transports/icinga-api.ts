/** The Icinga 2 transport: each result or command as one API request, a bounded number in flight, each answer read. */
import { errorMessage } from '../../common/index.js';
import type { BridgeCommand, PassiveResult } from '../types.js';
import { createHttpClient, HttpUnreachable, type HttpClient } from './http-form-post.js';
import { checkResultRequest, classifyAnswer, commandRequest, type IcingaAnswer, type IcingaRequest } from './icinga-request.js';
import { basicAuthorization, inParallel, readSecret, type BasicEndpoint } from './remote-target.js';
import { retryLater, type DeliveryOutcome, type Transport } from './transport.js';

export interface IcingaTransportOptions extends BasicEndpoint {
  /** Requests in flight at once (default 8). */
  parallel?: number;
}

/**
 * A transport posting to Icinga's `/v1/actions/...`. Icinga has no bulk endpoint, so a batch becomes parallel single
 * requests; the outbox hands over at most one item per (host, service) per batch, so parallel requests never reorder
 * one object's results.
 */
export function createIcingaTransport(options: IcingaTransportOptions): Transport & { close(): void } {
  const where = new URL(options.url).host;
  const parallel = options.parallel ?? 8;
  let client: HttpClient | undefined;

  /** The client, with the CA read once (a CA file that cannot be read fails the batch, retried). */
  const clientOf = async (): Promise<HttpClient> => {
    if (client) return client;
    const ca = options.caFile ? await readSecret(options.caFile, 'ca_file') : undefined;
    client = createHttpClient({ url: options.url, ca, insecure: options.insecure, timeoutMs: options.timeoutMs ?? 30_000, maxSockets: parallel });
    return client;
  };

  // A timeout is no answer: Icinga may or may not have applied it, and a resend carries the same check time.
  const post = async (http: HttpClient, req: IcingaRequest, authorization: string): Promise<IcingaAnswer> => {
    try {
      const answer = await http.request('POST', { path: `/v1/actions/${req.action}`, body: JSON.stringify(req.body), contentType: 'application/json' }, { Accept: 'application/json', Authorization: authorization });
      return { status: answer.status, body: answer.body };
    } catch (err) {
      if (err instanceof HttpUnreachable) return { unreachable: err.message };
      throw err;
    }
  };

  const send = async (requests: readonly IcingaRequest[]): Promise<DeliveryOutcome[]> => {
    let http: HttpClient;
    let authorization: string;
    try {
      [http, authorization] = await Promise.all([clientOf(), basicAuthorization(options.user, options.password, options.passwordFile)]);
    } catch (err) {
      const reason = `Icinga target ${where}: cannot read its CA or password file: ${errorMessage(err)}`;
      return requests.map(() => retryLater(reason));
    }
    return inParallel(requests, parallel, async (req) => classifyAnswer(req, await post(http, req, authorization), where));
  };

  return {
    type: 'icinga2',
    deliver: (results: readonly PassiveResult[]) => send(results.map(checkResultRequest)),
    deliverCommands: (commands: readonly BridgeCommand[]) => send(commands.map(commandRequest)),
    close() {
      client?.close();
      client = undefined;
    },
  };
}
