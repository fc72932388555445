/** Reads one `<query>` element as GraphTool did, checking what can be checked without its bases. */
import { closeNames, descendants, didYouMean, type BuildContext, type ConfigNode } from '../../grammar/index.js';
import { checkInputDefault, PARTIAL_DIRECTIONS, type PartialDirection } from '../inputs/index.js';
import {
  RESULTS_FUNCTION_NAMES, TRANSFORM_NAMES, UNSUPPORTED_TRANSFORMS, resolveResultsFunction, resolveTransform, unsupportedResultsFunction,
  unsupportedTransform,
} from '../results/index.js';
import type { SqlTemplate } from '../sql/index.js';
import { checkDynamicSqlHook } from './dynamic-sql.js';
import type { FillerDecl, InputDecl, QueryDecl, ResultsFunctionRef } from './types.js';

/** Results inputs (and query inputs) whose value names a transform. */
const TRANSFORM_INPUT = /_transform$/;

/** `<input>` descendants of an `<inputs>` element (GraphTool's `getElementsByTagName('input')`), each checked. */
function readInputs(el: ConfigNode | undefined, where: string, ctx: BuildContext): { inputs: InputDecl[]; errors: boolean } {
  const inputs: InputDecl[] = [];
  let errors = false;
  const error = (pos: InputDecl['pos'], message: string) => {
    ctx.issue(pos, `${where}: ${message}`);
    errors = true;
  };
  for (const node of el ? descendants(el, 'input') : []) {
    const name = node.attrs.name ?? '';
    if (name === '') {
      ctx.issue(node.pos, `${where}: <input> without a name="..." is ignored`, 'warning');
      continue;
    }
    const partialText = (node.attrs.partial ?? '').toLowerCase();
    const partial = (PARTIAL_DIRECTIONS as readonly string[]).includes(partialText) ? (partialText as PartialDirection) : undefined;
    if (partialText !== '' && partial === undefined) {
      ctx.issue(node.pos, `${where}: input "${name}": partial="${node.attrs.partial}" is ignored; use "down" or "up"`, 'warning');
    }
    // GraphTool treated an empty type or kind as absent.
    const def: InputDecl = { name, default: node.text.trim(), pos: node.pos };
    if (node.attrs.type) def.type = node.attrs.type;
    if (node.attrs.kind) def.kind = node.attrs.kind;
    if (partial) def.partial = partial;
    const problem = checkInputDefault(def);
    if (problem) error(node.pos, problem);
    if (TRANSFORM_INPUT.test(name)) checkTransform(def, where, ctx);
    const hook = checkDynamicSqlHook(name, def.default);
    if (hook) error(node.pos, hook);
    inputs.push(def);
  }
  return { inputs, errors };
}

/**
 * A transform named by a results input: an unknown or unsupported one is a load warning at its position, and the
 * query fails when it runs (the results stage says why), so one site-local name never stops the rest from loading.
 */
function checkTransform(def: InputDecl, where: string, ctx: BuildContext): void {
  const name = def.default.trim();
  if (resolveTransform(name)) return;
  const reason = unsupportedTransform(name);
  if (reason !== undefined) {
    ctx.issue(def.pos, `${where}: input "${def.name}": transform "${name}" is not supported, so this query will report an error: ${reason}`, 'warning');
    return;
  }
  const hint = didYouMean(closeNames(name, [...TRANSFORM_NAMES, ...Object.keys(UNSUPPORTED_TRANSFORMS)]));
  ctx.issue(def.pos, `${where}: input "${def.name}": unknown transform "${name}", so this query will report an error${hint}`, 'warning');
}

/** The function a `<results>` names, or undefined when it names none (a derived query adding results inputs). */
function readResultsFunction(el: ConfigNode, where: string, ctx: BuildContext): { ref?: ResultsFunctionRef; error: boolean } {
  const module = (el.attrs.module ?? '').trim();
  const fn = (el.attrs.function ?? '').trim();
  if (module === '' && fn === '') return { error: false };
  const dotted = module ? `${module}.${fn}` : fn;
  if (fn === '') {
    ctx.issue(el.pos, `${where}: <results module="${module}"> names no function="..."`);
    return { error: true };
  }
  const run = resolveResultsFunction(module, fn);
  if (run) return { ref: { module, fn, pos: el.pos, run }, error: false };
  const unsupported = unsupportedResultsFunction(module, fn);
  if (unsupported !== undefined) {
    ctx.issue(el.pos, `${where}: results function "${dotted}" is not supported, so this query will report an error: ${unsupported}`, 'warning');
    return { ref: { module, fn, pos: el.pos, unsupported }, error: false };
  }
  // Unknown here (a site's own parser, say): only this query (and those deriving from it) fails, when it runs.
  const hint = didYouMean(closeNames(dotted, RESULTS_FUNCTION_NAMES));
  ctx.issue(el.pos, `${where}: unknown results function "${dotted}", so this query will report an error${hint}`, 'warning');
  return { ref: { module, fn, pos: el.pos, unknown: true }, error: false };
}

/** A `<sql>` element: its direct text and `<slot>`s in order, and every `<filler>` under it. */
function readSql(el: ConfigNode, where: string, ctx: BuildContext): { pieces: SqlTemplate; fillers: FillerDecl[] } {
  const pieces: SqlTemplate = [];
  for (const part of el.content) {
    if (typeof part === 'string') pieces.push(part);
    else if (part.tag === 'slot') {
      if (part.attrs.name) pieces.push({ slot: part.attrs.name });
      else ctx.issue(part.pos, `${where}: <slot> without a name="..." is ignored`, 'warning');
    }
  }
  const fillers: FillerDecl[] = [];
  for (const f of descendants(el, 'filler')) {
    if (!f.attrs.name) {
      ctx.issue(f.pos, `${where}: <filler> without a name="..." is ignored`, 'warning');
      continue;
    }
    // GraphTool used the filler's text as written, unstripped.
    fillers.push({ name: f.attrs.name, value: f.text, pos: f.pos });
  }
  return { pieces, fillers };
}

/** Reads a `<query>` of class `className`; problems are reported through `ctx`. Returns undefined when it has no name. */
export function readQuery(el: ConfigNode, className: string, ctx: BuildContext): QueryDecl | undefined {
  const name = el.attrs.name ?? '';
  if (name === '') {
    ctx.issue(el.pos, `class "${className}": <query> needs a name="..."`);
    return undefined;
  }
  const where = `query "${name}"`;
  const queryClass = el.attrs.class || undefined;
  if (queryClass !== undefined && queryClass !== 'SqlQuery') {
    ctx.issue(el.pos, `${where}: unknown query class "${queryClass}"; the only query class is "SqlQuery"`);
  }
  const ownInputs = el.children.find((c) => c.tag === 'inputs');
  const read = readInputs(ownInputs, where, ctx);
  const decl: QueryDecl = { name, className, pos: el.pos, inputs: read.inputs, attributes: {}, hasErrors: read.errors };
  if (el.attrs.base !== undefined && el.attrs.base.trim() !== '') decl.base = el.attrs.base.trim();

  const sqlEl = descendants(el, 'sql')[0];
  if (sqlEl) decl.sql = { ...readSql(sqlEl, where, ctx), pos: sqlEl.pos };

  const resultsEl = descendants(el, 'results')[0];
  if (resultsEl) {
    const fn = readResultsFunction(resultsEl, where, ctx);
    const resultsInputs = readInputs(descendants(resultsEl, 'inputs')[0], where, ctx);
    decl.results = { inputs: resultsInputs.inputs, pos: resultsEl.pos };
    if (fn.ref) decl.results.fn = fn.ref;
    if (resultsInputs.errors || fn.error) decl.hasErrors = true;
  }
  for (const a of el.children) {
    if (a.tag !== 'attribute') continue;
    if (a.attrs.name) decl.attributes[a.attrs.name] = a.text.trim();
    else ctx.issue(a.pos, `${where}: <attribute> needs a name="..."`);
  }
  return decl;
}
