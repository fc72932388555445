/** GraphTool's `new_data` / `add_data` / `has_nonzero`: how a row's results columns become and join a value. */
import { cellAt } from './columns.js';
import { dataError } from './errors.js';
import { keyString, pyFloat } from './python-values.js';
import type { Key, Scalar, Value } from './types.js';

function floatOrRaw(x: Scalar): Scalar {
  return pyFloat(x) ?? x;
}

/** A row's value: `float()` where it works, the raw text or None otherwise; a tuple for several columns. */
export function newValue(row: readonly unknown[], resultsCols: readonly number[]): Value {
  if (resultsCols.length > 1) return resultsCols.map((c) => floatOrRaw(cellAt(row, c)));
  return floatOrRaw(cellAt(row, resultsCols[0] ?? 0));
}

function cannotAdd(old: Scalar, added: Scalar, where: Key): Error {
  return dataError(`cannot add ${JSON.stringify(added)} to ${JSON.stringify(old)} for ${keyString(where)}: mixed text and numbers in a results column`, {
    key: where,
  });
}

// Text: add float(text) to a number; otherwise append "\n" + text to text (Python's except branch).
function addText(old: Scalar, text: string, where: Key): Scalar {
  const f = pyFloat(text);
  if (typeof old === 'number' && f !== undefined) return old + f;
  if (typeof old === 'string') return `${old}\n${text}`;
  throw cannotAdd(old, text, where);
}

/**
 * Joins a duplicate (pivot, group) row into `old`: numbers are summed, text is concatenated with
 * `\n`. With one column a None on either side makes None; with several, None fails as in GraphTool.
 */
export function addValue(old: Value, row: readonly unknown[], resultsCols: readonly number[], where: Key): Value {
  if (resultsCols.length > 1) {
    const olds = Array.isArray(old) ? old : [old];
    return resultsCols.map((c, i) => {
      const prev = olds[i] ?? null;
      const added = cellAt(row, c);
      if (typeof added === 'string') return addText(prev, added, where);
      if (typeof prev === 'number' && typeof added === 'number') return prev + added;
      throw cannotAdd(prev, added, where);
    });
  }
  const added = cellAt(row, resultsCols[0] ?? 0);
  const prev = Array.isArray(old) ? null : old;
  if (typeof added === 'string') return addText(prev, added, where);
  if (added === null || prev === null) return null;
  if (typeof prev === 'number') return prev + added;
  throw cannotAdd(prev, added, where);
}

/** `has_nonzero`: is any part of the value something other than 0 (text and None count as nonzero)? */
export function hasNonzero(value: Value): boolean {
  return Array.isArray(value) ? value.some((v) => v !== 0) : value !== 0;
}
