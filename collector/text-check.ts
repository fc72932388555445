/** Finds where a body stops being text (invalid UTF-8 or a NUL byte), so every write endpoint refuses binary data alike. */
import { isUtf8 } from 'node:buffer';

/** Where the binary data starts: its byte offset and 1-based line. */
export interface BinaryAt {
  offset: number;
  line: number;
  /** The text before it, for callers that count records. */
  before: string;
}

/** Undefined for UTF-8 text without NUL bytes; else the first bad byte. Linear in the body's size. */
export function findBinary(body: Buffer): BinaryAt | undefined {
  let offset = -1;
  if (!isUtf8(body)) {
    const decoded = body.toString('utf8');
    const at = decoded.indexOf('\uFFFD');
    offset = Buffer.byteLength(decoded.slice(0, Math.max(0, at)));
  }
  const nul = body.indexOf(0);
  if (nul >= 0 && (offset < 0 || nul < offset)) offset = nul;
  if (offset < 0) return undefined;
  const before = body.subarray(0, offset).toString('utf8');
  let line = 1;
  for (let i = before.indexOf('\n'); i >= 0; i = before.indexOf('\n', i + 1)) line++;
  return { offset, line, before };
}
