/** Captured output kept within a byte limit: the end is kept (where the error usually is), and a cut is said so. */
export interface BoundedOutput {
  add(chunk: Buffer): void;
  text(): string;
}

export function boundedOutput(limit: number): BoundedOutput {
  let chunks: Buffer[] = [];
  let held = 0;
  let dropped = 0;
  return {
    add(chunk) {
      chunks.push(chunk);
      held += chunk.length;
      if (held > 2 * limit) {
        const all = Buffer.concat(chunks);
        dropped += all.length - limit;
        chunks = [all.subarray(all.length - limit)];
        held = limit;
      }
    },
    text() {
      const all = Buffer.concat(chunks);
      const cut = Math.max(0, all.length - limit);
      const kept = all.subarray(cut).toString('utf8');
      return dropped + cut > 0 ? `[${dropped + cut} bytes of output dropped]\n${kept}` : kept;
    },
  };
}
