/** The inputs of one request: URL values over defaults along the query's base chain, typed level by level as GraphTool did. */
import { applyInputDef, defaultValueError, urlValueError, type InputDef } from './input-typing.js';
import { AppError } from '../../common/index.js';
import { formatTypedValue, type TypedValue } from './typed-value.js';

/** The typed inputs of a request. */
export interface ResolvedInputs {
  /** Every input declared anywhere in the chain, typed. */
  values: Record<string, TypedValue>;
  /** The `kind="sql"` inputs of the whole chain: the bind variables. */
  sqlVars: Record<string, TypedValue>;
  /** URL keys no level declares, passed through unchanged (results functions and graphs read them). */
  extra: Record<string, string>;
  /** The span `partial` rounding used, when one was known. */
  span?: number;
}

interface Slot {
  value: string | TypedValue;
  fromUrl: boolean;
}

/** Last definition wins within one `<inputs>`, as GraphTool's dict did. */
function byName(level: readonly InputDef[]): InputDef[] {
  return [...new Map(level.map((d) => [d.name, d])).values()];
}

/**
 * GraphTool's `Inputs.filter` chain: for each level, child first, inputs not yet set take this level's
 * default, then every input this level declares is typed with this level's type and `partial`.
 * So URL > child default > parent default, and a parent's type and `partial` also apply to the child's value.
 */
function runLevels(
  chain: readonly (readonly InputDef[])[],
  url: Readonly<Record<string, string>>,
  now: Date,
  span: number | undefined,
  only?: string,
): Map<string, Slot> {
  const slots = new Map<string, Slot>();
  for (const level of chain) {
    for (const def of byName(level)) {
      if (only !== undefined && def.name !== only) continue;
      if (!slots.has(def.name)) {
        const given = Object.hasOwn(url, def.name) ? url[def.name] : undefined;
        slots.set(def.name, given !== undefined ? { value: given, fromUrl: true } : { value: def.default.trim(), fromUrl: false });
      }
      const slot = slots.get(def.name)!;
      try {
        slot.value = applyInputDef(def, slot.value, { now, span });
      } catch (err) {
        const raw = typeof slot.value === 'string' ? slot.value : formatTypedValue(slot.value);
        throw slot.fromUrl ? urlValueError(def.name, raw, err) : defaultValueError(def.name, def.default, err);
      }
    }
  }
  return slots;
}

/** A span as a number: typed numbers as they are, numeric text read as a number, anything else unknown. */
function spanNumber(value: string | TypedValue | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') {
    return value.type === 'int' || value.type === 'float' ? value.value : spanNumber(value.type === 'string' ? value.value : undefined);
  }
  // GraphTool compared an untyped span string with ints (Python 2: any str >= any int), so partial always
  // rounded to midnight; reading the text as a number is what the config meant.
  const n = value.trim() === '' ? NaN : Number(value);
  return Number.isFinite(n) ? n : undefined;
}

/** Epoch milliseconds of a datetime, or of a `timestamp` input (typed as int epoch seconds); else undefined. */
function instantMs(v: TypedValue | undefined): number | undefined {
  if (v?.type === 'datetime') return v.value.getTime();
  if (v?.type === 'int') return v.value * 1000;
  return undefined;
}

/**
 * `endtime` before `starttime` is refused: GraphTool ran the query and drew an empty graph titled "-29 Days", and a CSV
 * export read it as no usage. A URL value makes it the client's mistake (400); defaults alone, the configuration's.
 */
function refuseReversedRange(values: Record<string, TypedValue>, slots: Map<string, Slot>): void {
  const start = instantMs(values.starttime);
  const end = instantMs(values.endtime);
  if (start === undefined || end === undefined || end >= start) return;
  const text = (name: string) => formatTypedValue(values[name]!);
  const message = `endtime ${text('endtime')} is before starttime ${text('starttime')}`;
  if (slots.get('starttime')?.fromUrl || slots.get('endtime')?.fromUrl) {
    throw new AppError('bad_request', `${message}; give a starttime before the endtime`, { input: 'endtime', value: text('endtime') });
  }
  throw new AppError('config', `the defaults give ${message}`, { input: 'endtime' });
}

/**
 * Resolves a request's inputs. `chain` lists each level's `<inputs>`, the query itself first, then its base,
 * the base's base, and so on. `span` is resolved first, through the whole chain, so `partial` can use it.
 * A URL value that does not fit its type throws `AppError('bad_request')`; a default that does not fit,
 * `AppError('config')`.
 */
export function resolveInputs(
  chain: readonly (readonly InputDef[])[],
  url: Readonly<Record<string, string>>,
  ctx: { now: Date },
): ResolvedInputs {
  const declared = new Set(chain.flatMap((level) => level.map((d) => d.name)));
  const sqlNames = new Set(chain.flatMap((level) => level.filter((d) => d.kind === 'sql').map((d) => d.name)));

  const spanValue = declared.has('span')
    ? runLevels(chain, url, ctx.now, undefined, 'span').get('span')?.value
    : Object.hasOwn(url, 'span')
      ? url.span
      : undefined;
  const span = spanNumber(spanValue);

  const slots = runLevels(chain, url, ctx.now, span);
  const values: Record<string, TypedValue> = Object.fromEntries(
    [...slots].map(([name, slot]) => [name, typeof slot.value === 'string' ? { type: 'string' as const, value: slot.value } : slot.value]),
  );
  refuseReversedRange(values, slots);
  const sqlVars = Object.fromEntries(Object.entries(values).filter(([name]) => sqlNames.has(name)));
  const extra = Object.fromEntries(Object.entries(url).filter(([name]) => !declared.has(name)));
  return span === undefined ? { values, sqlVars, extra } : { values, sqlVars, extra, span };
}
