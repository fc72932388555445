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
