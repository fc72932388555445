/**
 * Reads an NRDP answer (`status` 0 or -1 with a message, as JSON or XML) into what happened to a post. NRDP says
 * HTTP 200 either way (the appliance's entry says 4xx/5xx too), so the body decides.
 */
import type { HttpAnswer } from './http-form-post.js';

/**
 * `ok`: every result of the post taken. `retryable` / `final`: the whole post, with the reason. `blame`: the server
 * named result `index` as unreadable (final for it; the others may be sent again without it). `split`: the refusal is
 * about some result, unnamed (send the results one per post to find out which).
 */
export type NrdpVerdict =
  | { kind: 'ok' }
  | { kind: 'retryable' | 'final'; reason: string; auth?: boolean }
  | { kind: 'blame'; index: number; reason: string }
  | { kind: 'split'; reason: string };

/** An NRDP reply's fields, from JSON (`{"result":{...}}`) or XML (`<result><status>...`). */
export function readNrdpReply(body: string): { status: number; message: string; output?: string } | undefined {
  const text = body.trim();
  if (text.startsWith('{')) {
    try {
      const r = (JSON.parse(text) as { result?: { status?: unknown; message?: unknown; meta?: { output?: unknown } } }).result;
      if (r && (typeof r.status === 'number' || typeof r.status === 'string') && Number.isInteger(Number(r.status))) {
        const output = r.meta?.output;
        return { status: Number(r.status), message: typeof r.message === 'string' ? r.message : '', ...(typeof output === 'string' ? { output } : {}) };
      }
    } catch {
      return undefined;
    }
    return undefined;
  }
  // XML as NRDP writes it; read with patterns, never a parser that could expand entities.
  const tag = (name: string) => new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(text)?.[1];
  const status = tag('status');
  if (status === undefined || !/^\s*-?\d+\s*$/.test(status)) return undefined;
  const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
  const output = tag('output');
  return { status: Number(status), message: unescape(tag('message') ?? '').trim(), ...(output === undefined ? {} : { output: unescape(output).trim() }) };
}

const TOKEN = new Set(['NO TOKEN', 'BAD TOKEN', 'NOT AUTHENTICATED', 'BAD_USER', 'HTTPS REQUIRED', 'NO TOKENS']);
const SERVER = new Set(['NO CHECK RESULTS DIR', 'BAD CHECK RESULTS DIR', 'QUEUE FAILED', 'NO REQUEST HANDLER']);
// The appliance's entry: about one result of the post, not named (a per-token limit, no route, a time too far ahead, too many).
const SOME_RESULT = new Set(['NOT AUTHORIZED', 'NO TARGET', 'BAD TIME', 'TOO MANY RESULTS']);

/** Classes the answer of NRDP at `url` to a post of `count` results. */
export function classifyNrdpAnswer(answer: HttpAnswer, url: string, count: number): NrdpVerdict {
  const reply = readNrdpReply(answer.body);
  if (!reply) {
    if (answer.status === 401 || answer.status === 403) return { kind: 'retryable', auth: true, reason: `${url} refused the request (HTTP ${answer.status})` };
    if (answer.status === 404) return { kind: 'retryable', reason: `${url} does not exist (HTTP 404): check the target's url` };
    return { kind: 'retryable', reason: `${url} answered HTTP ${answer.status} without an NRDP result; is the url NRDP's?` };
  }
  if (reply.status === 0) return { kind: 'ok' };
  const detail = reply.output ? `: ${reply.output.slice(0, 300)}` : '';
  const said = `NRDP at ${url} answered status ${reply.status} "${reply.message}"${detail}`;
  if (TOKEN.has(reply.message)) return { kind: 'retryable', auth: true, reason: `${said} (check the target's token)` };
  if (SERVER.has(reply.message)) return { kind: 'retryable', reason: said };
  // The appliance's entry refusing a command line it cannot read (or a field of it): sending it again cannot help.
  if (reply.message === 'BAD COMMAND' || reply.message === 'NO COMMAND') return { kind: 'final', reason: said };
  if (reply.message === 'BAD JSON' || reply.message === 'BAD XML') {
    // The appliance's entry names the result: `checkresults[3]: ...`.
    const m = /checkresults\[(\d+)\]/.exec(reply.output ?? '');
    const index = m ? Number(m[1]) : -1;
    if (index >= 0 && index < count) return { kind: 'blame', index, reason: said };
    return { kind: 'final', reason: `${said} (the server cannot read what the bridge sends; resending the same would not help)` };
  }
  if (SOME_RESULT.has(reply.message)) return count > 1 ? { kind: 'split', reason: said } : { kind: 'retryable', reason: said };
  return { kind: 'retryable', reason: said };
}
