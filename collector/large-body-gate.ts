/**
 * At most `LARGE_BODIES_AT_ONCE` large write bodies are parsed and stored at a time; the others wait their turn
 * (queued, never refused). Eight 8 MB bodies parsed at once held 100,000s of objects alive together: over 1 GB of
 * RSS and long garbage-collection pauses, while the single writer could store only one of them at a time anyway.
 */

/** Bodies of at least this many bytes take a slot. */
export const LARGE_BODY_BYTES = 1024 * 1024;
/** Large bodies parsed and stored at once. */
export const LARGE_BODIES_AT_ONCE = 2;

let running = 0;
const waiting: (() => void)[] = [];

/** Runs `work` at once for a small body; for a large one, when one of the slots is free (first come, first served). */
export async function withLargeBodySlot<T>(bytes: number, work: () => Promise<T>): Promise<T> {
  if (bytes < LARGE_BODY_BYTES) return work();
  if (running >= LARGE_BODIES_AT_ONCE) await new Promise<void>((resolve) => waiting.push(resolve));
  else running++;
  try {
    return await work();
  } finally {
    // The slot passes straight to the next waiter, so `running` stays counted for it.
    const next = waiting.shift();
    if (next) next();
    else running--;
  }
}

/** The body size a request declares (`Content-Length`), or 0 when it declares none (chunked) or nonsense. */
export function declaredBodyBytes(headers: { 'content-length'?: string }): number {
  const n = Number(headers['content-length']);
  return Number.isSafeInteger(n) && n > 0 ? n : 0;
}

/**
 * Reads a body and works on it inside a slot. When `Content-Length` already says the body is large, the slot is taken
 * before reading, so the bodies waiting their turn stay in their clients' sockets (TCP pushes back) instead of all
 * sitting in memory at once; a large body that declared no size takes its slot once read, as before. A slow client
 * holds its slot while it sends (the server's request timeout bounds that); small bodies never wait.
 */
export async function withBodyInSlot<B extends { length: number } | undefined, T>(declaredBytes: number, read: () => Promise<B>, work: (body: B) => Promise<T>): Promise<T> {
  if (declaredBytes >= LARGE_BODY_BYTES) return withLargeBodySlot(declaredBytes, async () => work(await read()));
  const body = await read();
  return withLargeBodySlot(body?.length ?? 0, () => work(body));
}
