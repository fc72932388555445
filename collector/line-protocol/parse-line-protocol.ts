/** InfluxDB line protocol parser: every escaping rule and field type, errors naming the 1-based line like InfluxDB. */
import { Slice } from '../../common/index.js';
import { nanosPerUnit } from './precision.js';
import type { FieldValue, LinePoint, Precision } from './types.js';

/** A line that is not valid line protocol; `line` is 1-based, `text` the offending line (shortened). */
export class LineProtocolError extends Error {
  constructor(
    readonly line: number,
    readonly reason: string,
    readonly text: string,
  ) {
    super(`error parsing line ${line} (1-based): unable to parse '${text}': ${reason}`);
    this.name = 'LineProtocolError';
  }
}

/** The body has more points than the caller allows; nothing was accepted. */
export class LineProtocolLimitError extends Error {
  constructor(readonly limit: number) {
    super(`the body has more than ${limit} lines; send at most ${limit} lines per request`);
    this.name = 'LineProtocolLimitError';
  }
}

export interface ParseOptions {
  /** Unit of the lines' timestamps (default `ns`). */
  precision?: Precision;
  /** The time of points without a timestamp, in nanoseconds (InfluxDB uses the server's clock). */
  nowNs: bigint;
  /** More points than this throws `LineProtocolLimitError` (default: no limit). */
  maxPoints?: number;
}

const NL = 10;
const SPACE = 32;
const COMMA = 44;
const EQUALS = 61;
const QUOTE = 34;
const BACKSLASH = 92;
const HASH = 35;
const TAB = 9;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;
/** InfluxDB's limit on a string field value. */
const MAX_STRING_BYTES = 65_535;
const BOOLEANS: Record<string, boolean> = {
  t: true, T: true, true: true, True: true, TRUE: true,
  f: false, F: false, false: false, False: false, FALSE: false,
};
const FLOAT = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const INTEGER = /^-?\d+i$/;
const UINTEGER = /^\d+u$/;
const TIMESTAMP = /^-?\d+$/;
const SHOWN_CHARS = 200;

/**
 * Parses a line-protocol body into points. Blank lines and `#` comments are skipped; a quoted string field may
 * span lines, as InfluxDB allows. The first bad line throws `LineProtocolError` naming it: a body is all or nothing.
 */
export function parseLineProtocol(body: string, options: ParseOptions): LinePoint[] {
  const text = body.includes('\r') ? body.replace(/\r\n/g, '\n') : body;
  const parser = new Parser(text, nanosPerUnit(options.precision ?? 'ns'), options.nowNs);
  const points: LinePoint[] = [];
  const max = options.maxPoints ?? Infinity;
  for (;;) {
    const point = parser.next();
    if (!point) return points;
    if (points.length >= max) throw new LineProtocolLimitError(max);
    points.push(point);
  }
}

/** Points parsed between two looks at the clock by `parseLineProtocolInSlices`. */
const POINTS_PER_SLICE = 64;

/**
 * `parseLineProtocol` for large bodies: the same points and errors, in time-boxed slices with a turn of the event
 * loop between them (common/loop-turns.ts), so a 50,000-line body does not hold the process (and /healthz) for seconds.
 */
export async function parseLineProtocolInSlices(body: string, options: ParseOptions): Promise<LinePoint[]> {
  const text = body.includes('\r') ? body.replace(/\r\n/g, '\n') : body;
  const parser = new Parser(text, nanosPerUnit(options.precision ?? 'ns'), options.nowNs);
  const points: LinePoint[] = [];
  const max = options.maxPoints ?? Infinity;
  const slice = new Slice();
  for (let sliced = 0; ; sliced++) {
    if (sliced === POINTS_PER_SLICE) {
      sliced = 0;
      await slice.yieldIfDue();
    }
    const point = parser.next();
    if (!point) return points;
    if (points.length >= max) throw new LineProtocolLimitError(max);
    points.push(point);
  }
}

class Parser {
  private pos = 0;
  private lineNo = 1;
  private start = 0;
  private startLine = 1;

  constructor(
    private readonly s: string,
    private readonly unit: bigint,
    private readonly nowNs: bigint,
  ) {}

  /** The next point, or undefined at the end of the body. */
  next(): LinePoint | undefined {
    const s = this.s;
    while (this.pos < s.length) {
      const c = s.charCodeAt(this.pos);
      if (c === SPACE || c === TAB) this.pos++;
      else if (c === NL) this.newline();
      else if (c === HASH) {
        const end = s.indexOf('\n', this.pos);
        this.pos = end < 0 ? s.length : end;
      } else return this.point();
    }
    return undefined;
  }

  private newline(): void {
    this.pos++;
    this.lineNo++;
  }

  private fail(reason: string): never {
    const end = this.s.indexOf('\n', this.start);
    const line = this.s.slice(this.start, end < 0 ? this.s.length : end);
    throw new LineProtocolError(this.startLine, reason, line.length > SHOWN_CHARS ? `${line.slice(0, SHOWN_CHARS)}...` : line);
  }

  private point(): LinePoint {
    this.start = this.pos;
    this.startLine = this.lineNo;
    const measurement = this.token(false);
    if (!measurement) this.fail('missing measurement');
    const tags: Record<string, string> = {};
    let c = this.s.charCodeAt(this.pos);
    while (c === COMMA) {
      this.pos++;
      const key = this.token(true);
      if (this.s.charCodeAt(this.pos) !== EQUALS) this.fail(key ? `missing tag value for tag "${key}"` : 'missing tag key');
      if (!key) this.fail('missing tag key');
      this.pos++;
      const value = this.token(true);
      if (!value) this.fail(`missing tag value for tag "${key}"`);
      if (key === 'time') this.fail('invalid tag key "time"');
      if (Object.hasOwn(tags, key)) this.fail(`duplicate tag "${key}"`);
      tags[key] = value;
      c = this.s.charCodeAt(this.pos);
      if (c === EQUALS) this.fail(`invalid tag format: unescaped "=" in the value of tag "${key}" (write it as \\=)`);
    }
    if (c !== SPACE) this.fail('missing fields');
    this.skipSpaces();
    const fields = this.fields();
    return { measurement, tags, fields, timestampNs: this.timestamp(), line: this.startLine };
  }

  private skipSpaces(): void {
    while (this.s.charCodeAt(this.pos) === SPACE) this.pos++;
  }

  /**
   * Reads a measurement (`tagLike` false: `\,` and `\ ` escape) or a tag key, tag value or field key (`tagLike`:
   * `\=` too) up to the first unescaped separator. Other backslashes stay literal, as InfluxDB keeps them.
   */
  private token(tagLike: boolean): string {
    const s = this.s;
    const from = this.pos;
    let escaped = false;
    let i = from;
    for (; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c === BACKSLASH) {
        const n = s.charCodeAt(i + 1);
        if (n === COMMA || n === SPACE || (tagLike && n === EQUALS)) {
          escaped = true;
          i++;
        }
        continue;
      }
      if (c === COMMA || c === SPACE || c === NL || (tagLike && c === EQUALS)) break;
    }
    this.pos = i;
    const raw = s.slice(from, i);
    return escaped ? raw.replace(tagLike ? /\\([, =])/g : /\\([, ])/g, '$1') : raw;
  }

  private fields(): Record<string, FieldValue> {
    const fields: Record<string, FieldValue> = {};
    for (;;) {
      const c0 = this.s.charCodeAt(this.pos);
      if (this.pos >= this.s.length || c0 === NL) this.fail('missing fields');
      const key = this.token(true);
      if (this.s.charCodeAt(this.pos) !== EQUALS) this.fail(key ? `missing field value for field "${key}"` : 'missing field key');
      if (!key) this.fail('missing field key');
      if (key === 'time') this.fail('invalid field name "time"');
      this.pos++;
      fields[key] = this.s.charCodeAt(this.pos) === QUOTE ? this.stringValue(key) : this.scalarValue(key);
      const c = this.s.charCodeAt(this.pos);
      if (c === COMMA) {
        this.pos++;
        continue;
      }
      if (c === SPACE || c === NL || this.pos >= this.s.length) return fields;
      this.fail(`invalid field format after field "${key}"`);
    }
  }

  private stringValue(key: string): FieldValue {
    const s = this.s;
    let i = this.pos + 1;
    let out = '';
    let from = i;
    for (;;) {
      if (i >= s.length) this.fail(`unterminated string in field "${key}"`);
      const c = s.charCodeAt(i);
      if (c === BACKSLASH) {
        const n = s.charCodeAt(i + 1);
        if (n === QUOTE || n === BACKSLASH) {
          out += s.slice(from, i);
          from = i + 1;
          i += 2;
          continue;
        }
      } else if (c === QUOTE) break;
      else if (c === NL) this.lineNo++;
      i++;
    }
    out += s.slice(from, i);
    this.pos = i + 1;
    if (Buffer.byteLength(out) > MAX_STRING_BYTES) this.fail(`string field "${key}" is longer than ${MAX_STRING_BYTES} bytes`);
    return { type: 'string', value: out };
  }

  private scalarValue(key: string): FieldValue {
    const s = this.s;
    const from = this.pos;
    let i = from;
    for (; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c === COMMA || c === SPACE || c === NL) break;
    }
    this.pos = i;
    const raw = s.slice(from, i);
    if (!raw) this.fail(`missing field value for field "${key}"`);
    const bool = BOOLEANS[raw];
    if (bool !== undefined) return { type: 'boolean', value: bool };
    const last = raw.charCodeAt(raw.length - 1);
    if (last === 105 /* i */ && INTEGER.test(raw)) {
      const value = BigInt(raw.slice(0, -1));
      if (value < INT64_MIN || value > INT64_MAX) this.fail(`integer field "${key}" is out of the int64 range: ${raw}`);
      return { type: 'integer', value };
    }
    if (last === 117 /* u */ && UINTEGER.test(raw)) {
      const value = BigInt(raw.slice(0, -1));
      if (value > UINT64_MAX) this.fail(`unsigned field "${key}" is out of the uint64 range: ${raw}`);
      return { type: 'uinteger', value };
    }
    if (FLOAT.test(raw)) {
      const value = Number(raw);
      if (!Number.isFinite(value)) this.fail(`float field "${key}" is out of range: ${raw}`);
      return { type: 'float', value };
    }
    return this.fail(`invalid field value for field "${key}": ${raw} (floats as 1.5, integers 1i, unsigned 1u, strings "quoted", booleans t/f)`);
  }

  private timestamp(): bigint {
    const s = this.s;
    this.skipSpaces();
    let end = s.indexOf('\n', this.pos);
    if (end < 0) end = s.length;
    const raw = s.slice(this.pos, end).trimEnd();
    this.pos = end;
    if (!raw) return this.nowNs;
    if (!TIMESTAMP.test(raw)) this.fail(`bad timestamp "${raw}"`);
    const ns = BigInt(raw) * this.unit;
    if (ns < INT64_MIN || ns > INT64_MAX) this.fail(`timestamp ${raw} is out of range`);
    return ns;
  }
}
