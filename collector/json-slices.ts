/**
 * JSON bodies parsed in pieces: JSON.parse of an 8 MB body holds the event loop for tens of milliseconds, eight at
 * once for hundreds. A linear scan splits the outer array or object at its own commas, JSON.parse reads each run of
 * about 64 KB of elements, and the caller yields between runs. The result equals JSON.parse's; bad JSON is refused.
 */
import { AppError, Slice } from '../common/index.js';
import { checkJsonDepthSteps } from './json-depth.js';

/** Text one JSON.parse call reads at most (unless a single scalar is longer): well under a millisecond. */
const CHUNK_CHARS = 64 * 1024;
/** Characters scanned between two yields. */
const SCAN_STEP = 256 * 1024;

/** The JSON value of `text`, or a 400 whose message starts with `prefix` (depth, then syntax); yields between pieces. */
export function* parseJsonSteps(text: string, prefix = ''): Generator<undefined, unknown, undefined> {
  yield* checkJsonDepthSteps(text, prefix, SCAN_STEP);
  const bad = (message: string, at: number) => new AppError('bad_request', `${prefix}the body is not JSON: ${message} (at character ${at})`, { accepted: 0 });
  const [start, end] = trim(text, 0, text.length);
  if (start === end) throw bad('the body is empty', 0);
  return yield* value(text, start, end, bad);
}

/** `parseJsonSteps` driven in time-boxed slices with a turn of the event loop between them. */
export async function parseJsonInSlices(text: string, prefix = ''): Promise<unknown> {
  const steps = parseJsonSteps(text, prefix);
  const slice = new Slice();
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await slice.yieldIfDue();
  }
}

type Bad = (message: string, at: number) => AppError;

const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13;

function trim(text: string, start: number, end: number): [number, number] {
  while (start < end && isSpace(text.charCodeAt(start))) start++;
  while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
  return [start, end];
}

/** JSON.parse of `text` (a piece starting at `offset` of the body, `shift` characters added in front), positions mapped back. */
function parse(text: string, offset: number, shift: number, bad: Bad): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const message = (err as Error).message;
    const m = /at position (\d+)/.exec(message);
    const at = m ? offset + Number(m[1]) - shift : offset;
    throw bad(message.replace(/ in JSON at position \d+.*$/s, '').replace(/, ".*" is not valid JSON$/s, ''), Math.max(offset, at));
  }
}

/** The value in text[start, end) (trimmed): small or scalar in one JSON.parse, a large array or object piece by piece. */
function* value(text: string, start: number, end: number, bad: Bad): Generator<undefined, unknown, undefined> {
  const open = text.charCodeAt(start);
  if (end - start <= CHUNK_CHARS || (open !== 91 /* [ */ && open !== 123) /* { */) return parse(text.slice(start, end), start, 0, bad);
  const parts = yield* split(text, start, end, bad);
  const isArray = open === 91;
  const out: unknown[] | Record<string, unknown> = isArray ? [] : {};
  if (parts.length === 1 && parts[0]![0] === parts[0]![1]) return out;
  let group = 0;
  const flush = (to: number) => {
    if (group >= to) return;
    const from = parts[group]![0];
    const piece = parse(`${isArray ? '[' : '{'}${text.slice(from, parts[to - 1]![1])}${isArray ? ']' : '}'}`, from, 1, bad);
    if (isArray) for (const v of piece as unknown[]) (out as unknown[]).push(v);
    else for (const [k, v] of Object.entries(piece as Record<string, unknown>)) define(out as Record<string, unknown>, k, v);
    group = to;
  };
  for (let i = 0; i < parts.length; i++) {
    const [a, b] = parts[i]!;
    if (a === b) throw bad(`a value is missing`, a);
    if (b - a <= CHUNK_CHARS) {
      if (b - parts[group]![0] > CHUNK_CHARS) {
        flush(i);
        yield;
      }
      continue;
    }
    // One element too large for one piece: it is read piece by piece itself.
    flush(i);
    if (isArray) (out as unknown[]).push(yield* value(text, a, b, bad));
    else {
      const colon = memberColon(text, a, b, bad);
      const key = parse(text.slice(a, colon), a, 0, bad);
      if (typeof key !== 'string') throw bad('a property name must be a string', a);
      const [va, vb] = trim(text, colon + 1, b);
      if (va === vb) throw bad('a value is missing', colon + 1);
      define(out as Record<string, unknown>, key, yield* value(text, va, vb, bad));
    }
    group = i + 1;
    yield;
  }
  flush(parts.length);
  return out;
}

/** As JSON.parse makes it: an own property even for `__proto__`, the last of repeated names winning. */
function define(target: Record<string, unknown>, key: string, v: unknown): void {
  Object.defineProperty(target, key, { value: v, writable: true, enumerable: true, configurable: true });
}

/** The end of the string that starts at `i` (the index after its closing quote), or -1 when it never closes. */
function stringEnd(text: string, i: number, end: number): number {
  for (i++; i < end; i++) {
    const d = text.charCodeAt(i);
    if (d === 92 /* \ */) i++;
    else if (d === 34 /* " */) return i + 1;
  }
  return -1;
}

/** The colon after a member's name (the name is a string, so the first colon outside it). */
function memberColon(text: string, a: number, b: number, bad: Bad): number {
  if (text.charCodeAt(a) !== 34) throw bad('a property name must be a string', a);
  const after = stringEnd(text, a, b);
  if (after < 0) throw bad('unterminated string', a);
  const [c] = trim(text, after, b);
  if (text.charCodeAt(c) !== 58 /* : */) throw bad("expected ':' after a property name", c);
  return c;
}

/**
 * The trimmed spans of the elements (or members) of the container text[start, end), split at its own commas; checks
 * that brackets match, strings close and nothing follows the container's end.
 */
function* split(text: string, start: number, end: number, bad: Bad): Generator<undefined, [number, number][], undefined> {
  const stack: number[] = [];
  const parts: [number, number][] = [];
  let from = start + 1;
  let stepAt = start + SCAN_STEP;
  for (let i = start; i < end; i++) {
    if (i >= stepAt) {
      stepAt = i + SCAN_STEP;
      yield;
    }
    const c = text.charCodeAt(i);
    if (c === 34) {
      const after = stringEnd(text, i, end);
      if (after < 0) throw bad('unterminated string', i);
      i = after - 1;
    } else if (c === 91 || c === 123) stack.push(c === 91 ? 93 : 125);
    else if (c === 93 || c === 125) {
      if (stack.pop() !== c) throw bad(`unexpected '${String.fromCharCode(c)}'`, i);
      if (stack.length === 0) {
        if (i !== end - 1) throw bad('unexpected text after the JSON value', trim(text, i + 1, end)[0]);
        parts.push(trim(text, from, i));
        return parts;
      }
    } else if (c === 44 /* , */ && stack.length === 1) {
      parts.push(trim(text, from, i));
      from = i + 1;
    }
  }
  throw bad('the JSON value does not end', end);
}
