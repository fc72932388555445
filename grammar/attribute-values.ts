/** What every stage's class-type handler checks the same way: attributes it does not know, and yes/no values. */
import { closeNames, didYouMean } from './loader.js';
import type { BuildContext, ConfigClass, SourcePos } from './types.js';

/** The warning for an attribute `name` at `pos` that the class type does not know, naming the closest known one. */
export function warnUnknownAttribute(name: string, pos: SourcePos, known: readonly string[], label: string, ctx: BuildContext): void {
  ctx.issue(pos, `${label}: unknown attribute "${name}"${didYouMean(closeNames(name, known, 1))}`, 'warning');
}

/** {@link warnUnknownAttribute} at each attribute of `cls` that is not in `known`. */
export function warnUnknownAttributes(cls: ConfigClass, known: readonly string[], label: string, ctx: BuildContext): void {
  for (const [name, { pos }] of Object.entries(cls.attributes)) if (!known.includes(name)) warnUnknownAttribute(name, pos, known, label, ctx);
}

const TRUE = ['true', 'yes', 'on', '1'];
const FALSE = ['false', 'no', 'off', '0'];

/** `true`/`yes`/`on`/`1` or `false`/`no`/`off`/`0` in any case; anything else is an error at `pos` and undefined. */
export function parseBoolean(text: string, pos: SourcePos, what: string, ctx: BuildContext): boolean | undefined {
  const v = text.toLowerCase();
  if (TRUE.includes(v)) return true;
  if (FALSE.includes(v)) return false;
  ctx.issue(pos, `${what} "${text}" is not a boolean; use true or false`);
  return undefined;
}
