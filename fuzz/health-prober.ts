/** A parallel /healthz prober for the fuzz run: answer times, and every probe slower than the bound (a stall). */
import { request } from 'node:http';

export interface HealthReport {
  probes: number;
  p50: number;
  p99: number;
  max: number;
  /** Probes over the bound or without an answer: when (ms after the start) and what. */
  stalls: { at: number; what: string }[];
  /** The prober's own worst timer lateness: when it is near the stalls, the machine was busy, not only the appliance. */
  ownLagMs: number;
}

/** Probes every 200 ms on a connection of its own (not behind the fuzz cases' sockets) until `stop()`. */
export function startHealthProber(base: string, boundMs: number): { stop(): Promise<HealthReport> } {
  const started = performance.now();
  const times: number[] = [];
  const stalls: HealthReport['stalls'] = [];
  let running = true;
  let ownLagMs = 0;
  const probe = () =>
    new Promise<void>((resolve) => {
      const at = performance.now();
      const req = request(new URL('/healthz', base), { agent: false, timeout: 5000 }, (res) => {
        res.resume();
        res.on('end', () => {
          const ms = performance.now() - at;
          times.push(ms);
          if (ms > boundMs) stalls.push({ at: at - started, what: `answered ${res.statusCode} after ${Math.round(ms)} ms` });
          else if (res.statusCode !== 200) stalls.push({ at: at - started, what: `answered ${res.statusCode}` });
          resolve();
        });
      });
      req.on('timeout', () => req.destroy(new Error('no answer within 5 s')));
      req.on('error', (err) => {
        stalls.push({ at: at - started, what: err.message });
        resolve();
      });
      req.end();
    });
  const loop = (async () => {
    while (running) {
      await probe();
      const slept = performance.now();
      await new Promise((r) => setTimeout(r, 200));
      ownLagMs = Math.max(ownLagMs, performance.now() - slept - 200);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      const sorted = [...times].sort((a, b) => a - b);
      const q = (p: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0);
      return { probes: times.length, p50: q(0.5), p99: q(0.99), max: Math.round(sorted[sorted.length - 1] ?? 0), stalls, ownLagMs: Math.round(ownLagMs) };
    },
  };
}
