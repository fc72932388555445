/** Form and query decoding as Nagios's getcgi.c does it: `+` to space first, split on `&` and `=`, then `%XX`; text must be UTF-8. */

/** One refused form: what was wrong, naming the parameter when there is one. */
export class FormError extends Error {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The value of one hex digit's character code, or -1. */
function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

/**
 * `%XX` → byte, the rest as it is; a `%` not followed by two hex digits is refused (getcgi.c would read garbage).
 * `raw` holds one byte per character (latin1). Runs without `%` are copied whole, so a large value costs a few copies.
 */
function unescape(raw: string, field: string | undefined): Uint8Array {
  const input = Buffer.from(raw, 'latin1');
  let pct = input.indexOf(0x25);
  if (pct < 0) return input;
  const out = Buffer.allocUnsafe(input.length);
  let n = 0;
  let from = 0;
  while (pct >= 0) {
    n += input.copy(out, n, from, pct);
    const hi = pct + 2 < input.length ? hexValue(input[pct + 1]!) : -1;
    const lo = hi < 0 ? -1 : hexValue(input[pct + 2]!);
    if (lo < 0) throw new FormError(`${field === undefined ? 'a parameter name' : `parameter ${field}`} has a "%" not followed by two hex digits`, field);
    out[n++] = hi * 16 + lo;
    from = pct + 3;
    pct = input.indexOf(0x25, from);
  }
  n += input.copy(out, n, from);
  return out.subarray(0, n);
}

function text(bytes: Uint8Array, field: string | undefined): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new FormError(`${field === undefined ? 'a parameter name' : `parameter ${field}`} is not valid UTF-8`, field);
  }
}

/**
 * Decodes a query string or an `application/x-www-form-urlencoded` body (given as bytes, so invalid UTF-8 is seen, not
 * replaced). Empty pairs are skipped as strtok does; a parameter given twice is refused, because cmd.cgi's "last one
 * wins" would let a second `host=` override what a proxy or log saw first. Throws {@link FormError}.
 */
export function decodeForm(input: Buffer | string): Map<string, string> {
  // Raw bytes ride in a latin1 string so that splitting cannot cut a multi-byte character apart before decoding.
  const raw = (typeof input === 'string' ? Buffer.from(input, 'utf8') : input).toString('latin1').replace(/\+/g, ' ');
  const form = new Map<string, string>();
  for (const pair of raw.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = text(unescape(eq < 0 ? pair : pair.slice(0, eq), undefined), undefined);
    const value = text(unescape(eq < 0 ? '' : pair.slice(eq + 1), name), name);
    if (form.has(name)) throw new FormError(`parameter ${name} is given more than once`, name);
    form.set(name, value);
  }
  return form;
}

/** The query string of a request URL (everything after the first `?`), undecoded. */
export function rawQuery(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? '' : url.slice(q + 1);
}
