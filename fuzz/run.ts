/**
 * `npm run fuzz [-- --seconds N] [--seed S] [--concurrency C] [--demo-days D] [--case N]`: throws generated bad
 * input at a real appliance process for a set time and fails (exit 1) on any 5xx, a stack trace in a body, a
 * request with no answer, a /healthz stall over 1 s, or a dead process. `--case N` replays one case of the seed.
 */
import { Agent, request } from 'node:http';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { makeCase, ENDPOINTS, type FuzzCase, type FuzzTarget } from './cases.js';
import { startApplianceProcess, type ApplianceProcess } from './appliance-process.js';
import { caseRandom } from './random.js';
import { startHealthProber } from './health-prober.js';

interface Answer {
  status?: number;
  body: string;
  error?: string;
  ms: number;
}

interface Failure {
  n: number;
  c: FuzzCase;
  why: string;
  answer: Answer;
}

const REQUEST_TIMEOUT_MS = 30_000;
const STACK = /\n\s+at [^\n]+[(/][^\n]+:\d+:\d+|node_modules\/|\.ts:\d+:\d+/;

function send(base: string, agent: Agent, c: FuzzCase): Promise<Answer> {
  const started = performance.now();
  return new Promise((resolve) => {
    const url = new URL(c.path, base);
    const headers: Record<string, string> = { ...c.headers };
    if (c.body) headers['content-length'] = String(c.body.length);
    const req = request(url, { method: c.method, headers, agent, timeout: REQUEST_TIMEOUT_MS }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (d: Buffer) => {
        // Keep the start for the report; event streams and images need not be held whole.
        if (size < 64 * 1024) chunks.push(d);
        size += d.length;
      });
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - started }));
      res.on('error', (err) => resolve({ status: res.statusCode, body: '', error: err.message, ms: performance.now() - started }));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS / 1000} s`)));
    req.on('error', (err) => resolve({ body: '', error: err.message, ms: performance.now() - started }));
    req.end(c.body);
  });
}

function verdict(a: Answer): string | undefined {
  if (a.status === undefined) return `no HTTP answer (${a.error ?? 'connection closed'})`;
  if (a.status >= 500) return `HTTP ${a.status}`;
  if (STACK.test(a.body)) return `HTTP ${a.status} with a stack trace in the body`;
  return undefined;
}

async function queryNames(app: ApplianceProcess): Promise<string[]> {
  const res = await fetch(`${app.url}/gratia/json/`, { headers: { authorization: app.adminAuth } });
  const index = (await res.json()) as { sections?: { queries?: { name: string }[] }[] };
  return (index.sections ?? []).flatMap((s) => (s.queries ?? []).map((q) => q.name));
}

function describeCase(seed: number, f: Failure): string {
  const body = f.c.body ? `${f.c.body.length} bytes: ${JSON.stringify(f.c.body.subarray(0, 300).toString('latin1'))}` : 'none';
  return [
    `#${f.n} ${f.c.endpoint}: ${f.why}`,
    `  replay: npm run fuzz -- --seed ${seed} --case ${f.n}`,
    `  ${f.c.method} ${f.c.path.slice(0, 300)}`,
    `  headers: ${JSON.stringify(f.c.headers)}`,
    `  body: ${body}`,
    `  answer: ${f.answer.status ?? '-'} in ${Math.round(f.answer.ms)} ms: ${JSON.stringify(f.answer.body.slice(0, 300))}`,
  ].join('\n');
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { seconds: { type: 'string' }, seed: { type: 'string' }, concurrency: { type: 'string' }, 'demo-days': { type: 'string' }, case: { type: 'string' } },
  });
  const seconds = Number(values.seconds ?? 60);
  const seed = Number(values.seed ?? Math.floor(Math.random() * 2 ** 31));
  const concurrency = Number(values.concurrency ?? 4);
  const demoDays = Number(values['demo-days'] ?? 2);
  for (const [name, v] of Object.entries({ seconds, seed, concurrency, demoDays })) {
    if (!Number.isInteger(v) || v < 0) throw new Error(`--${name} must be a whole number, not ${String(v)}`);
  }
  const out = (line: string) => process.stdout.write(`${line}\n`);
  out(`fuzz: seed ${seed}, ${values.case !== undefined ? `case ${values.case}` : `${seconds} s`}, concurrency ${concurrency}, demo data ${demoDays} days`);
  const app = await startApplianceProcess(demoDays);
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  try {
    const target: FuzzTarget = { queries: await queryNames(app), adminAuth: app.adminAuth };
    if (values.case !== undefined) {
      const n = Number(values.case);
      const c = makeCase(n, caseRandom(seed, n), target);
      const answer = await send(app.url, agent, c);
      const why = verdict(answer);
      out(describeCase(seed, { n, c, why: why ?? 'passes', answer }));
      return why ? 1 : 0;
    }
    const prober = startHealthProber(app.url, 1000);
    const stats = new Map(ENDPOINTS.map((e) => [e, { cases: 0, byClass: new Map<string, number>(), failures: 0 }]));
    const failures: Failure[] = [];
    // The slowest answers, to tell which cases were running when /healthz was slow.
    const slowest: Failure[] = [];
    const deadline = performance.now() + seconds * 1000;
    let next = 0;
    const worker = async () => {
      while (performance.now() < deadline && app.exited() === undefined) {
        const n = next++;
        const c = makeCase(n, caseRandom(seed, n), target);
        const answer = await send(app.url, agent, c);
        if (slowest.length < 5 || answer.ms > slowest[slowest.length - 1]!.answer.ms) {
          slowest.push({ n, c, why: `slowest: ${Math.round(answer.ms)} ms`, answer });
          slowest.sort((a, b) => b.answer.ms - a.answer.ms).splice(5);
        }
        const s = stats.get(c.endpoint)!;
        s.cases++;
        const cls = answer.status === undefined ? 'none' : `${String(answer.status)[0]}xx`;
        s.byClass.set(cls, (s.byClass.get(cls) ?? 0) + 1);
        const why = app.exited() ? `the appliance ${app.exited()}` : verdict(answer);
        if (why) {
          s.failures++;
          failures.push({ n, c, why, answer });
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    const health = await prober.stop();

    out('\nendpoint                          cases  2xx  3xx  4xx  5xx  none  failures');
    let total = 0;
    for (const [e, s] of stats) {
      total += s.cases;
      const col = (k: string) => String(s.byClass.get(k) ?? 0).padStart(5);
      out(`${e.padEnd(32)} ${String(s.cases).padStart(6)}${col('2xx')}${col('3xx')}${col('4xx')}${col('5xx')}${String(s.byClass.get('none') ?? 0).padStart(6)}${String(s.failures).padStart(10)}`);
    }
    out(`total ${total} cases in ${seconds} s; ${failures.length} failing`);
    // A loaded machine slows every probe: the load average says whether a slow /healthz is the appliance's doing.
    out(`machine load average (1 min): ${loadavg()[0]!.toFixed(1)}; the prober's own worst timer lag: ${health.ownLagMs} ms`);
    out(`/healthz: ${health.probes} probes, p50 ${health.p50} ms, p99 ${health.p99} ms, max ${health.max} ms, ${health.stalls.length} over 1 s`);
    for (const s of health.stalls.slice(0, 10)) out(`  stall at +${(s.at / 1000).toFixed(1)} s: ${s.what}`);
    out(`slowest cases: ${slowest.map((f) => `#${f.n} ${f.c.method} ${f.c.path.slice(0, 60)} ${Math.round(f.answer.ms)} ms`).join('; ')}`);
    const exited = app.exited();
    if (exited) out(`the appliance ${exited}; its last lines:\n${app.logTail().slice(-20).join('\n')}`);
    if (failures.length) {
      out(`\nfirst failing cases (of ${failures.length}):`);
      for (const f of failures.sort((a, b) => a.n - b.n).slice(0, 15)) out(describeCase(seed, f));
    }
    return failures.length || health.stalls.length || exited ? 1 : 0;
  } finally {
    agent.destroy();
    await app.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(2);
  },
);
