/** A linear pre-scan of JSON nesting depth: JSON.parse of a deeply nested body holds the event loop for seconds. */
import { AppError } from '../common/index.js';

/** Deepest nesting of arrays and objects a write body may have; samples and records need 3. */
export const MAX_JSON_DEPTH = 32;

/**
 * Throws a 400 naming the limit when `text` nests arrays/objects deeper than `MAX_JSON_DEPTH`. Brackets inside strings
 * do not count. It does not validate the JSON (the parser does that next); one pass without allocating, yielding
 * after every `step` characters so its caller can give the event loop a turn.
 */
export function* checkJsonDepthSteps(text: string, prefix = '', step = Infinity, max = MAX_JSON_DEPTH): Generator<undefined, void, undefined> {
  let depth = 0;
  let stepAt = step;
  for (let i = 0; i < text.length; i++) {
    if (i >= stepAt) {
      stepAt = i + step;
      yield;
    }
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 92 /* \ */) i++;
        else if (d === 34) break;
      }
    } else if (c === 91 /* [ */ || c === 123 /* { */) {
      if (++depth > max) {
        throw new AppError('bad_request', `${prefix}the JSON body nests deeper than ${max} levels (at character ${i}); the limit on nesting depth is ${max}`, {
          limit: max,
          accepted: 0,
        });
      }
    } else if (c === 93 /* ] */ || c === 125 /* } */) depth--;
  }
}
