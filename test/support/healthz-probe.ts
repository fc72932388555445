/** Polls `/healthz` while something else runs and keeps every answer's latency: the stall test's and benchmark's meter. */

export interface HealthzProbe {
  /** Stops polling; resolves with the latencies in milliseconds (sorted) and the non-200 answers. */
  stop(): Promise<{ latencies: number[]; failures: string[] }>;
}

/** One request at a time, `gapMs` apart; a request that has not answered keeps counting until it does. */
export function probeHealthz(baseUrl: string, gapMs = 20): HealthzProbe {
  const latencies: number[] = [];
  const failures: string[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      try {
        const res = await fetch(new URL('healthz', baseUrl), { signal: AbortSignal.timeout(30_000) });
        await res.arrayBuffer();
        if (res.status !== 200) failures.push(`HTTP ${res.status}`);
      } catch (err) {
        failures.push((err as Error).message);
      }
      latencies.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, gapMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return { latencies: latencies.sort((a, b) => a - b), failures };
    },
  };
}
