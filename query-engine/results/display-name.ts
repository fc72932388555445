/** GW's certificate-name transforms: `displayName` (DN → upper-case CN) and its `@ site` variants. */
import { dataError } from './errors.js';
import { asciiLower, asciiUpper } from './python-values.js';
import { firstArg, strOf } from './transforms.js';
import type { Transform, Value } from './types.js';

const PY_WHITESPACE = /[ \t\n\r\v\f]+/;

function words(s: string): string[] {
  return s.split(PY_WHITESPACE).filter((w) => w !== '');
}

/**
 * The readable name in a DN, as GW computed it: the last non-numeric CN (stepping back over CNs
 * while the chosen one mentions "uid"), a trailing number word removed, words single-spaced and
 * upper-cased. A DN mentioning both "Generic" and "user" is returned upper-cased whole.
 */
export function displayNameOf(dnIn: string): string {
  const dn = dnIn.replace(/\/CN=proxy(?=\n?$)/, '');
  if (dn.includes('Generic') && dn.includes('user')) return asciiUpper(dn);
  let display = dn;
  const cns: string[] = [];
  for (const part of dn.split('/')) {
    const eq = part.indexOf('=');
    if (part === '' || eq < 0) continue;
    const attr = part.slice(0, eq);
    const val = part.slice(eq + 1);
    if (attr === 'CN' && !/^\d+$/.test(val)) {
      display = val;
      cns.push(val);
    }
  }
  while (cns.length > 1 && asciiLower(display).includes('uid')) {
    cns.pop();
    display = cns[cns.length - 1] ?? display;
  }
  const last = words(display).at(-1);
  // Python slices off the last word plus the one character before it, whatever that character is.
  if (last !== undefined && /^[+-]?\d+$/.test(last)) display = display.slice(0, Math.max(0, display.length - last.length - 1));
  return asciiUpper(words(display).join(' '));
}

function dnArg(args: readonly Value[], transform: string): string {
  const dn = firstArg(args, transform);
  if (typeof dn !== 'string') throw dataError(`${transform}: the DN column is ${strOf(dn)}, not text`);
  return dn;
}

function siteArg(args: readonly Value[], transform: string): Value {
  const site = args[1];
  if (site === undefined) throw dataError(`${transform} needs the pivots DN, site (got ${args.length} column)`);
  return site;
}

/** `displayName(dn, ...)`. */
export const displayName: Transform = (args) => displayNameOf(dnArg(args, 'displayName'));

/** `displayNameSite(dn, site)`: `NAME @ site`; an empty name gives the pivot 0, as GW did. */
export const displayNameSite: Transform = (args) => {
  const site = siteArg(args, 'displayNameSite');
  const name = displayNameOf(dnArg(args, 'displayNameSite'));
  return name === '' ? 0 : `${name} @ ${strOf(site)}`;
};

/** `displayNameCommaSite(dn, site)`: `NAME , site`; an empty name drops the row. */
export const displayNameCommaSite: Transform = (args) => {
  const site = siteArg(args, 'displayNameCommaSite');
  const name = displayNameOf(dnArg(args, 'displayNameCommaSite'));
  return name === '' ? null : `${name} , ${strOf(site)}`;
};
