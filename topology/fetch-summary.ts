/** Fetches one summary URL with a bound on its time and size. */

export type FetchFn = (url: string, init: { signal: AbortSignal; headers: Record<string, string> }) => Promise<Response>;

/** The body of `url` as text; throws with a message naming the URL when it is slow, large, or not a 200. */
export async function fetchBounded(fetchFn: FetchFn, url: string, timeoutMs: number, maxBytes: number): Promise<string> {
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const res = await fetchFn(url, { signal, headers: { accept: 'application/xml, text/xml' } });
    if (res.status !== 200) {
      await res.body?.cancel().catch(() => undefined);
      throw new Error(`${url}: HTTP ${res.status} ${res.statusText}`.trim());
    }
    const declared = Number(res.headers.get('content-length') ?? NaN);
    if (declared > maxBytes) {
      await res.body?.cancel().catch(() => undefined);
      throw new Error(`${url}: the summary is ${declared} bytes, over the limit of ${maxBytes} (max_bytes)`);
    }
    const reader = res.body?.getReader();
    if (!reader) return '';
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw new Error(`${url}: the summary is over the limit of ${maxBytes} bytes (max_bytes)`);
      }
      chunks.push(value);
    }
    return Buffer.concat(chunks).toString('utf8');
  } catch (err) {
    if (signal.aborted) throw new Error(`${url}: no complete answer within ${Math.round(timeoutMs / 1000)} s (fetch_timeout_seconds)`, { cause: err });
    throw err;
  }
}
