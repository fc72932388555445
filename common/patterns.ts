/** Request patterns compiled by RE2 (re2js): matching is linear in the text, and backtracking-only syntax is a named 400. */
import { RE2JS, RE2JSException, RE2JSSyntaxException } from 're2js';
import { AppError } from './errors.js';

/** A compiled request pattern: `test` searches (unanchored unless the pattern anchors itself). */
export interface Pattern {
  test(text: string): boolean;
}

export interface CompilePatternOptions {
  /** What the pattern came from, for the 400's message (an input name, `targets[0].payload.vo`, ...). */
  input: string;
  /** Case-insensitive matching (Python's `re.I`, MySQL's non-binary strings). */
  caseInsensitive?: boolean;
  /**
   * Lets the compiled form use re2js's linear-time lookbehinds. Only for text the appliance wrote itself
   * (MySQL's word-boundary markers); a client's own lookbehind is refused before this is ever compiled.
   */
  internalLookbehinds?: boolean;
}

const SUFFIX = '(patterns use RE2 syntax)';

/** The backtracking-only construct at the start of `fragment` (RE2's error input), or undefined. */
function backtrackingFeature(fragment: string, description: string, pattern: string): string | undefined {
  // RE2 reports Python's `(?P=name)` as the bare `(?P`.
  if (fragment === '(?P' && pattern.includes('(?P=')) return 'backreference (?P=';
  if (/^\\[1-9]/.test(fragment)) return `backreference ${fragment.slice(0, 2)}`;
  if (/^\\[kg]/.test(fragment)) return `backreference ${fragment.slice(0, 2)}`;
  if (fragment.startsWith('(?=')) return 'lookahead (?=';
  if (fragment.startsWith('(?!')) return 'negative lookahead (?!';
  if (fragment.startsWith('(?<=')) return 'lookbehind (?<=';
  if (fragment.startsWith('(?<!')) return 'negative lookbehind (?<!';
  if (fragment.startsWith('(?>')) return 'atomic group (?>';
  if (/^\(\?(R|[0-9]|[+-][0-9]|&|P>)/.test(fragment)) return `recursion ${fragment.slice(0, 3)}`;
  if (fragment.startsWith('(?(')) return 'conditional group (?(';
  if (fragment.startsWith('(?|')) return 'branch reset (?|';
  if (fragment.startsWith('(?#')) return 'comment group (?#';
  if (description.includes('nested repetition') && /^[*+?}]\+$/.test(fragment)) return `possessive quantifier ${fragment}`;
  if (/^\\[ZGK]/.test(fragment)) return `escape ${fragment.slice(0, 2)}`;
  return undefined;
}

/** The 400 for a pattern RE2 refuses: the feature by name when it is a backtracking one, else RE2's reason. */
export function patternError(input: string, pattern: string, err: unknown): AppError {
  if (err instanceof RE2JSSyntaxException) {
    const fragment = err.input ?? '';
    const feature = backtrackingFeature(fragment, err.error, pattern);
    if (feature !== undefined) {
      return new AppError('bad_request', `input "${input}": ${feature} is not supported ${SUFFIX}`, { input, feature, pattern });
    }
    // re2js puts the flags in front as `(?i)`: quote only what the client wrote.
    const own = fragment.replace(/^\(\?i\)/, '');
    const where = own !== '' && own !== pattern && pattern.includes(own) ? ` at "${own}"` : '';
    return new AppError('bad_request', `input "${input}": ${JSON.stringify(pattern)} is not a valid regular expression: ${err.error}${where} ${SUFFIX}`, {
      input,
      pattern,
    });
  }
  if (err instanceof RE2JSException) {
    return new AppError('bad_request', `input "${input}": ${JSON.stringify(pattern)} is not a valid regular expression: ${err.message} ${SUFFIX}`, {
      input,
      pattern,
    });
  }
  throw err;
}

/**
 * The longest pattern compiled. RE2 matches in linear time, but compiling is linear in the pattern on the event loop:
 * an 800 KB `.*.*…` in a Grafana payload held it for 5 s. Real filters (lists of VOs, sites) are far shorter.
 */
export const MAX_PATTERN_CHARS = 4096;

/**
 * Compiles a pattern a client sent with RE2 semantics. Throws `AppError('bad_request')` naming the input and,
 * for backreferences, lookaround, possessive quantifiers, atomic groups and recursion, the feature; and for a
 * pattern longer than `MAX_PATTERN_CHARS`, its length.
 */
export function compilePattern(pattern: string, options: CompilePatternOptions): Pattern {
  // Text the appliance grew from a client's (word markers as lookbehinds) was checked at the client's own length.
  if (pattern.length > MAX_PATTERN_CHARS && !options.internalLookbehinds) {
    throw new AppError('bad_request', `input "${options.input}": the pattern is ${pattern.length} characters long; a pattern may have at most ${MAX_PATTERN_CHARS} ${SUFFIX}`, {
      input: options.input,
      limit: MAX_PATTERN_CHARS,
    });
  }
  return compileRe2(pattern, options);
}

function compileRe2(pattern: string, options: CompilePatternOptions): Pattern {
  let flags = options.caseInsensitive ? RE2JS.CASE_INSENSITIVE : 0;
  if (options.internalLookbehinds) flags |= RE2JS.LOOKBEHINDS;
  try {
    return RE2JS.compile(pattern, flags);
  } catch (err) {
    throw patternError(options.input, pattern, err);
  }
}

const fromStartCache = new Map<string, Pattern>();
const FROM_START_CACHE_LIMIT = 256;

/** Python's `re.match(pattern, text, re.I)` under RE2: anchored at the start only. Compiled once per pattern (results transforms call it per row). */
export function compileMatchFromStart(pattern: string, options: CompilePatternOptions): Pattern {
  const key = `${options.caseInsensitive ? 'i' : ''}${options.internalLookbehinds ? 'l' : ''}:${options.input}:${pattern}`;
  const cached = fromStartCache.get(key);
  if (cached) return cached;
  // Validate the client's text alone first, so a `)` in it cannot close our group and name the wrong feature.
  compilePattern(pattern, options);
  const re = compileRe2(`^(?:${pattern})`, options);
  if (fromStartCache.size >= FROM_START_CACHE_LIMIT) fromStartCache.clear();
  fromStartCache.set(key, re);
  return re;
}
