/** Finds where a body stops being text (invalid UTF-8 or a NUL byte), so every write endpoint refuses binary data alike. */
import { isUtf8 } from 'node:buffer';
import { nextTurn } from '../common/index.js';

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

// A NUL, or a UTF-16 surrogate without its pair (what JSON's \ud800 escape makes): neither is text in UTF-8.
const UNSTORABLE = /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** ES2024's `String.prototype.isWellFormed` (in Node 20; not in the ES2022 library the project compiles against). */
const isWellFormed = (text: string): boolean => (text as unknown as { isWellFormed(): boolean }).isWellFormed();

/**
 * What keeps a decoded string from being text, or undefined. A JSON body that passed `findBinary` can still spell
 * a NUL (`\u0000`) or a lone surrogate (`\ud800`) in an escape; stored, the one cuts names short in C clients and the
 * other comes back as U+FFFD, so they are refused as the raw bytes are.
 */
export function unstorableChar(text: string): string | undefined {
  // The common case in native code: well-formed UTF-16 (no lone surrogate) and no NUL. The regex only finds where.
  if (isWellFormed(text) && !text.includes('\0')) return undefined;
  const m = UNSTORABLE.exec(text);
  if (!m) return undefined;
  return m[0] === '\0' ? `a NUL character (\\u0000) at character ${m.index + 1}` : `a lone surrogate (\\u${m[0].charCodeAt(0).toString(16)}) at character ${m.index + 1}`;
}

/** Bytes decoded per slice: about a millisecond of `toString` on this machine. */
const DECODE_SLICE_BYTES = 1 << 20;

/**
 * `body.toString('utf8')` in pieces of about 1 MB with a turn of the event loop between them (decoding 8 MB in one
 * go held it 30 ms under load). Each piece ends before a UTF-8 continuation byte, so no character is split; the
 * result is the same string.
 */
export async function decodeUtf8InSlices(body: Buffer): Promise<string> {
  if (body.length <= DECODE_SLICE_BYTES) return body.toString('utf8');
  let text = '';
  for (let start = 0; start < body.length; ) {
    let end = Math.min(body.length, start + DECODE_SLICE_BYTES);
    // Back off to the first byte of a character (continuation bytes are 10xxxxxx); at most 3 steps in valid UTF-8.
    for (let back = 0; end < body.length && back < 4 && (body[end]! & 0xc0) === 0x80; back++) end--;
    text += body.toString('utf8', start, end);
    start = end;
    if (start < body.length) await nextTurn();
  }
  return text;
}
