/** The query page's form: one field per query input (date-time pickers, GW's span choices, text for filters), and how its submission becomes query parameters. */
import { formatTypedValue, type QueryInfo, type QueryInputInfo, type TypedValue } from '../../query-engine/index.js';
import { gwUiParameters } from '../../query-engine/index.js';

/** The spans Gratia-web's refine form offered (seconds); the Grafana datasource offers the same. */
export const GW_SPAN_CHOICES = [
  { value: 3600, label: 'Hourly' },
  { value: 86400, label: 'Daily' },
  { value: 604800, label: 'Weekly' },
  { value: 2592000, label: 'Monthly (30 days)' },
] as const;

/** GW's relative time ranges (`relativetime` seconds); empty means the dates in the form. */
export const GW_RELATIVE_CHOICES = [
  { value: '', label: 'the dates below' },
  { value: '86400', label: 'last 24 hours' },
  { value: '604800', label: 'last 7 days' },
  { value: '1209600', label: 'last 14 days' },
  { value: '2592000', label: 'last 30 days' },
  { value: '7776000', label: 'last 90 days' },
  { value: '31536000', label: 'last year' },
] as const;

export const FORM_CONTROLS = ['datetime', 'select', 'checkbox', 'text', 'number'] as const;
export type FormControl = (typeof FORM_CONTROLS)[number];

export interface FormField {
  name: string;
  label: string;
  control: FormControl;
  value: string;
  /** The input's declared default, shown as a hint (`time.time()-13*86400`). */
  defaultText: string;
  options?: { value: string; label: string; selected: boolean }[];
  hint?: string;
  /** A checkbox's state (GraphTool's `true`/`false` inputs). */
  checked?: boolean;
  /** The message of the bad request that named this field, shown beside it. */
  error?: string;
}

/** The form in two parts: what most people change (range, span, VO, facility) and the rest, behind "more filters". */
export interface QueryForm {
  common: FormField[];
  more: FormField[];
  /** Whether "more filters" opens by itself: one of its fields holds the error, or a value other than its default. */
  moreOpen: boolean;
  /** A bad request's message that names no field of the form (shown above it). */
  formError?: string;
}

/** The inputs shown first, in this order; every other input goes behind "more filters". */
const COMMON_INPUTS = ['relativetime', 'starttime', 'endtime', 'span', 'vo', 'facility'] as const;
const BOOLEAN_TEXT = /^(true|false)$/i;

/** Inputs a form does not offer: they tune how the query runs, not what it asks. */
const HIDDEN_INPUT = /^sql_|^conn$/;
/** Filter inputs GW's pages took as regular expressions. */
const REGEX_HINT = /^(exclude-)?(vo|facility|site|probe|user|dn|project|resource|host|hostname|ce|se)$/i;
const DATETIME_LOCAL = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(:\d{2})?(\.\d+)?$/;

/** A datetime as `<input type="datetime-local">` shows it: `YYYY-MM-DDTHH:MM:SS` (the page says the times are UTC). */
function datetimeLocal(v: TypedValue | undefined, fallback: string): string {
  if (v?.type === 'datetime') return v.value.toISOString().slice(0, 19);
  return fallback;
}

/**
 * The form for `query`: every input it declares, valued with what ran (`inputs`, typed) or, when the run failed
 * before typing (a bad parameter), with what was given, else the default.
 */
export function queryFormFields(query: QueryInfo, inputs: Readonly<Record<string, TypedValue>> | undefined, given: Readonly<Record<string, string>>): FormField[] {
  const fields: FormField[] = [];
  const declared = query.inputs.filter((i) => !HIDDEN_INPUT.test(i.name));
  const hasRange = declared.some((i) => i.name === 'starttime') && declared.some((i) => i.name === 'endtime');
  if (hasRange) {
    const rel = given.relativetime ?? '';
    const choices: { value: string; label: string }[] = [...GW_RELATIVE_CHOICES];
    if (!choices.some((c) => c.value === rel)) choices.push({ value: rel, label: `last ${rel} seconds` });
    fields.push({
      name: 'relativetime', label: 'Time range', control: 'select', value: rel, defaultText: '',
      options: choices.map((c) => ({ ...c, selected: c.value === rel })),
      hint: 'a relative range sets the start, end and span as Gratia-web did',
    });
  }
  for (const input of declared) fields.push(field(input, inputs?.[input.name], given[input.name]));
  return fields;
}

/**
 * {@link queryFormFields} split into the common part and "more filters", with a bad request's message at the field
 * its `input` names (`AppError` context), or for the whole form when it names none of them.
 */
export function queryForm(fields: FormField[], bad?: { message: string; input?: string }): QueryForm {
  const at = bad?.input !== undefined ? fields.find((f) => f.name === bad.input) : undefined;
  if (at && bad) at.error = bad.message;
  const rank = (f: FormField) => (COMMON_INPUTS as readonly string[]).indexOf(f.name);
  const common = fields.filter((f) => rank(f) >= 0).sort((a, b) => rank(a) - rank(b));
  const more = fields.filter((f) => rank(f) < 0);
  const changed = (f: FormField) => f.control !== 'datetime' && f.defaultText !== '' && f.value !== f.defaultText;
  return {
    common, more,
    moreOpen: more.some((f) => f.error !== undefined || changed(f)),
    ...(bad && !at ? { formError: bad.message } : {}),
  };
}

function field(input: QueryInputInfo, typed: TypedValue | undefined, given: string | undefined): FormField {
  const shown = typed ? formatTypedValue(typed) : (given ?? input.default);
  const base = { name: input.name, label: input.name, defaultText: input.default };
  if (input.type === 'datetime') {
    return { ...base, control: 'datetime', value: datetimeLocal(typed, shown), hint: 'UTC' };
  }
  if (input.name === 'span') {
    const choices: { value: string; label: string }[] = GW_SPAN_CHOICES.map((c) => ({ value: String(c.value), label: c.label }));
    if (!choices.some((c) => c.value === shown)) choices.push({ value: shown, label: `${shown} s` });
    return { ...base, label: 'span', control: 'select', value: shown, options: choices.map((c) => ({ ...c, selected: c.value === shown })), hint: 'seconds per bar' };
  }
  if (input.type === 'int' || input.type === 'float' || input.type === 'timestamp') return { ...base, control: 'number', value: shown };
  if (input.type === 'bool' || input.type === 'boolean' || (input.type === undefined && BOOLEAN_TEXT.test(input.default.trim()))) {
    // GraphTool's booleans are `true`/`false`. A checkbox sends nothing when off, which would bring back the default:
    // the partial puts a hidden `false` before it, and a checked box's later `true` wins (requestParams keeps the last).
    const value = shown.trim().toLowerCase();
    return { ...base, control: 'checkbox', value, checked: value === 'true' };
  }
  return { ...base, control: 'text', value: shown, ...(REGEX_HINT.test(input.name) ? { hint: 'regular expression; a plain name matches exactly' } : {}) };
}

/**
 * The query parameters of a form submission, as GW's refine form made them: empty fields dropped (the query's
 * default applies), a `datetime-local` value (`2024-03-01T12:00`) as `2024-03-01 12:00:00`, then GW's
 * `relativetime` and exact-name anchoring ({@link gwUiParameters}).
 */
export function formQueryParams(query: QueryInfo, given: Readonly<Record<string, string>>): Record<string, string> {
  const datetimes = new Set(query.inputs.filter((i) => i.type === 'datetime').map((i) => i.name));
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(given)) {
    if (value.trim() === '') continue;
    const local = datetimes.has(key) ? DATETIME_LOCAL.exec(value.trim()) : null;
    out[key] = local ? `${local[1]} ${local[2]}${local[3] ?? ':00'}` : value;
  }
  // With a relative range the dates in the form are stale: GW's refine replaced them.
  const gw = gwUiParameters(out, { startRoundsDown: query.inputs.find((i) => i.name === 'starttime')?.partial === 'down' });
  delete out.relativetime;
  return { ...out, ...gw };
}
