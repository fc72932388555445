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
const HEX = /^[0-9A-Fa-f]{2}$/;

/** `%XX` → byte, the rest as it is; a `%` not followed by two hex digits is refused (getcgi.c would read garbage). */
function unescape(raw: string, field: string | undefined): Uint8Array {
  const bytes: number[] = [];
  const input = Buffer.from(raw, 'latin1');
  for (let i = 0; i < input.length; i++) {
    const b = input[i]!;
    if (b !== 0x25) {
      bytes.push(b);
      continue;
    }
    const hex = raw.slice(i + 1, i + 3);
    if (!HEX.test(hex)) throw new FormError(`${field === undefined ? 'a parameter name' : `parameter ${field}`} has a "%" not followed by two hex digits`, field);
    bytes.push(parseInt(hex, 16));
    i += 2;
  }
  return Uint8Array.from(bytes);
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
