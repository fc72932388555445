/** The Icinga 2 transport: each result or command as one API request, a bounded number in flight, each answer read. */
import { readFile } from 'node:fs/promises';
import { Agent, request } from 'node:https';
import { errorMessage } from '../../common/index.js';
import type { BridgeCommand, PassiveResult } from '../types.js';
import { checkResultRequest, classifyAnswer, commandRequest, type IcingaAnswer, type IcingaRequest } from './icinga-request.js';
import { retryLater, type DeliveryOutcome, type Transport } from './transport.js';

export interface IcingaTransportOptions {
  /** The API's base, `https://host:5665`. */
  url: string;
  user: string;
  password?: string;
  /** Read for every batch, so a changed password needs no reload. */
  passwordFile?: string;
  /** Icinga's CA certificate (PEM) to trust. */
  caFile?: string;
  insecure?: boolean;
  /** Requests in flight at once (default 8). */
  parallel?: number;
  /** Per request (default 30 s). */
  timeoutMs?: number;
}

/** Most bytes of an answer read (Icinga's answers to actions are a few hundred). */
const MAX_ANSWER_BYTES = 256 * 1024;

/** Runs `fn` on every item with at most `limit` at once; results in the items' order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/**
 * A transport posting to Icinga's `/v1/actions/...`. Icinga has no bulk endpoint, so a batch becomes parallel single
 * requests; the outbox hands over at most one item per (host, service) per batch, so parallel requests never reorder
 * one object's results.
 */
export function createIcingaTransport(options: IcingaTransportOptions): Transport & { close(): void } {
  const base = new URL(options.url);
  const where = base.host;
  const parallel = options.parallel ?? 8;
  const timeoutMs = options.timeoutMs ?? 30_000;
  let agent: Agent | undefined;

  /** The agent, with the CA read once (a CA file that cannot be read fails the batch, retried). */
  const agentFor = async (): Promise<Agent> => {
    if (agent) return agent;
    const ca = options.caFile ? await readFile(options.caFile, 'utf8') : undefined;
    agent = new Agent({ keepAlive: true, maxSockets: parallel, rejectUnauthorized: !options.insecure, ...(ca ? { ca } : {}) });
    return agent;
  };
  const credentials = async (): Promise<string> => {
    const password = options.passwordFile ? (await readFile(options.passwordFile, 'utf8')).replace(/\r?\n$/, '') : (options.password ?? '');
    return `Basic ${Buffer.from(`${options.user}:${password}`).toString('base64')}`;
  };

  const post = (req: IcingaRequest, a: Agent, auth: string): Promise<IcingaAnswer> =>
    new Promise((resolve) => {
      const body = Buffer.from(JSON.stringify(req.body), 'utf8');
      const r = request(
        new URL(`/v1/actions/${req.action}`, base),
        {
          method: 'POST',
          agent: a,
          timeout: timeoutMs,
          headers: { Accept: 'application/json', 'Content-Type': 'application/json', 'Content-Length': String(body.length), Authorization: auth },
        },
        (res) => {
          const parts: Buffer[] = [];
          let size = 0;
          res.on('data', (c: Buffer) => {
            if (size < MAX_ANSWER_BYTES) parts.push(c);
            size += c.length;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts).toString('utf8') }));
          res.on('error', (err) => resolve({ unreachable: `the answer broke off: ${errorMessage(err)}` }));
        },
      );
      // A timeout is no answer: Icinga may or may not have applied it, and a resend carries the same check time.
      r.on('timeout', () => r.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      r.on('error', (err) => resolve({ unreachable: errorMessage(err) }));
      r.end(body);
    });

  const send = async (requests: readonly IcingaRequest[]): Promise<DeliveryOutcome[]> => {
    let a: Agent;
    let auth: string;
    try {
      [a, auth] = await Promise.all([agentFor(), credentials()]);
    } catch (err) {
      const reason = `Icinga target ${where}: cannot read its CA or password file: ${errorMessage(err)}`;
      return requests.map(() => retryLater(reason));
    }
    return mapLimit(requests, parallel, async (req) => classifyAnswer(req, await post(req, a, auth), where));
  };

  return {
    type: 'icinga2',
    deliver: (results: readonly PassiveResult[]) => send(results.map(checkResultRequest)),
    deliverCommands: (commands: readonly BridgeCommand[]) => send(commands.map(commandRequest)),
    close() {
      agent?.destroy();
      agent = undefined;
    },
  };
}
