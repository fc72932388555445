/** The results stage: the variables a results function sees, and the call, with GraphTool's error handling. */
import { errorMessage } from '../../common/index.js';
import { formatPos } from '../../grammar/index.js';
import { plainValue, type ResolvedInputs } from '../inputs/index.js';
import type { QueryDefinition } from '../queries/index.js';
import { resolveTransform, unsupportedTransform, type ResultData, type ResultsContext, type ResultsOutput } from '../results/index.js';

const TRANSFORM_INPUT = /_transform$/;

/**
 * GraphTool's `vars`: the URL parameters, then the results inputs' defaults, then the query inputs' defaults, all
 * typed (so a results input beats a query input of the same name unless the URL gives it).
 */
export function resultsVars(given: Readonly<Record<string, string>>, inputs: ResolvedInputs, resultsInputs: ResolvedInputs): Record<string, unknown> {
  const vars: Record<string, unknown> = { ...given };
  for (const [name, v] of Object.entries(inputs.values)) vars[name] = plainValue(v);
  for (const [name, v] of Object.entries(resultsInputs.values)) vars[name] = plainValue(v);
  return vars;
}

/**
 * Why this request's results step cannot run (an unknown or unsupported function or transform, each a load warning),
 * or undefined. An unknown transform the URL itself names is left to the parser, which answers it as the client's 400.
 */
function unsupported(def: QueryDefinition, vars: Readonly<Record<string, unknown>>, given: Readonly<Record<string, string>>): string | undefined {
  const { module, fn, unsupported: reason, unknown, pos } = def.results;
  const dotted = `${module ? `${module}.` : ''}${fn}`;
  if (unknown) return `unknown results function "${dotted}" (configuration warning at ${formatPos(pos)})`;
  if (reason !== undefined || !def.results.run) return `results function "${dotted}" is not supported: ${reason ?? 'no implementation'}`;
  for (const [name, value] of Object.entries(vars)) {
    if (!TRANSFORM_INPUT.test(name) || typeof value !== 'string') continue;
    const why = unsupportedTransform(value);
    if (why !== undefined) return `input "${name}": transform "${value.trim()}" is not supported: ${why}`;
    if (!resolveTransform(value) && !Object.hasOwn(given, name)) {
      const declared = def.resultsInputChain.flat().find((d) => d.name === name) ?? def.inputChain.flat().find((d) => d.name === name);
      return `input "${name}": unknown transform "${value.trim()}"${declared ? ` (configuration warning at ${formatPos(declared.pos)})` : ''}`;
    }
  }
  return undefined;
}

/** Empty data of the kind the query's function gives (its output for no rows), for a query that failed. */
export function emptyData(def: QueryDefinition, vars: Readonly<Record<string, unknown>>, ctx: ResultsContext): ResultData {
  try {
    if (def.results.run) return def.results.run([], vars, ctx).data;
  } catch {
    // A function that cannot even handle no rows: fall through to GraphTool's usual kind.
  }
  return { kind: 'pivot-group', pivots: [] };
}

/**
 * Runs the results function. A failure it reports is returned as `error` (GraphTool put it in `metadata.error`),
 * except `isClientError` ones, which are thrown for the caller to answer 400.
 */
export function runResults(
  def: QueryDefinition,
  rows: readonly (readonly unknown[])[],
  vars: Readonly<Record<string, unknown>>,
  ctx: ResultsContext,
  isClientError: (err: unknown) => boolean,
  given: Readonly<Record<string, string>> = {},
): { output: ResultsOutput; error?: undefined } | { output?: undefined; error: string } {
  const why = unsupported(def, vars, given);
  if (why !== undefined) return { error: why };
  try {
    return { output: def.results.run!(rows, vars, ctx) };
  } catch (err) {
    if (isClientError(err)) throw err;
    return { error: errorMessage(err) };
  }
}
