/** Grafana's request bodies read tolerantly: every plugin version's variant is accepted, anything else is a 400 naming the field. */
import { AppError } from '../../common/index.js';

/** A dashboard time range (`range.from`/`range.to`). */
export interface TimeRange {
  from: Date;
  to: Date;
}

/** The ad hoc filter operators Grafana sends; `=|` and `!=|` (one of) carry `values`. */
export const ADHOC_OPERATORS = ['=', '!=', '=~', '!~', '=|', '!=|'] as const;
export type AdhocOperator = (typeof ADHOC_OPERATORS)[number];

export interface AdhocFilter {
  key: string;
  operator: AdhocOperator;
  /** One value, or several for `=|` / `!=|`. */
  values: string[];
  /** Where it came from, e.g. `filters[1]`, for error messages. */
  field: string;
}

/** One visible target of a `/query` request. */
export interface QueryTarget {
  refId: string;
  /** The metric: a query's name or `Class.query`. */
  target: string;
  /** `table` when the target asked for one (simple-json `type`, Grafana `format`). */
  table: boolean;
  /** The payload (simPod ≥0.3) or data (simPod 0.2) as URL parameters. */
  payload: Record<string, string>;
  /** `targets[i]`, for error messages. */
  field: string;
}

export interface QueryRequest {
  range: TimeRange | undefined;
  intervalMs: number | undefined;
  maxDataPoints: number | undefined;
  targets: QueryTarget[];
  filters: AdhocFilter[];
}

/** A 400 whose message starts with the field it is about. */
export function badField(field: string, message: string): AppError {
  return new AppError('bad_request', `${field}: ${message}`, { field });
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}

/** The body as an object; Grafana always sends one (an absent body reads as `{}`). */
export function bodyObject(body: unknown): Record<string, unknown> {
  if (body === undefined || body === null || body === '') return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw badField('request body', `expected a JSON object, got ${describe(body)}`);
  return body as Record<string, unknown>;
}

/** A text field: strings as they are, numbers as text, absent as `undefined`. */
export function optionalText(obj: Record<string, unknown>, key: string, field = key): string | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  throw badField(field, `expected text, got ${describe(v)}`);
}

function optionalNumber(obj: Record<string, unknown>, key: string): number | undefined {
  const v = obj[key];
  if (v === undefined || v === null || v === '') return undefined;
  const n = typeof v === 'string' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) throw badField(key, `expected a non-negative number, got ${describe(v)}`);
  return n;
}

function readTime(value: unknown, field: string): Date {
  // Grafana serialises its DateTime (a moment) as ISO-8601 text; epoch milliseconds are accepted too.
  const ms = typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) : NaN;
  if (!Number.isFinite(ms)) throw badField(field, `expected an ISO-8601 time such as "2016-10-31T06:33:44.866Z", got ${describe(value)}`);
  return new Date(ms);
}

/** `range` (`{from, to, raw}`), or `undefined` when the request has none. */
export function readRange(obj: Record<string, unknown>, key = 'range'): TimeRange | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw badField(key, `expected {from, to}, got ${describe(v)}`);
  const r = v as Record<string, unknown>;
  const from = readTime(r.from, `${key}.from`);
  const to = readTime(r.to, `${key}.to`);
  if (from.getTime() > to.getTime()) throw badField(key, `from (${from.toISOString()}) is after to (${to.toISOString()})`);
  return { from, to };
}

function payloadValue(v: unknown, field: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  // A multi-select payload, or a multi-value variable: alternatives of one regex filter.
  if (Array.isArray(v) && v.every((x) => typeof x === 'string' || typeof x === 'number')) return v.map(String).join('|');
  throw badField(field, `expected text, a number or a list of them, got ${describe(v)}`);
}

/**
 * A payload as URL parameters: an object (simPod ≥0.3 builder, simple-json-style dashboards), JSON text
 * (simPod code mode, simPod 0.2 `data`), or empty. Lists join with `|`, as alternatives of a regex filter.
 */
export function readPayload(v: unknown, field: string): Record<string, string> {
  let value = v;
  if (value === undefined || value === null) return {};
  if (typeof value === 'string') {
    if (value.trim() === '') return {};
    try {
      value = JSON.parse(value) as unknown;
    } catch (err) {
      throw badField(field, `not JSON: ${(err as Error).message}`);
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw badField(field, `expected a JSON object, got ${describe(value)}`);
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(value as Record<string, unknown>)) {
    const text = payloadValue(x, `${field}.${k}`);
    if (text !== undefined) out[k] = text;
  }
  return out;
}

function readFilter(v: unknown, field: string): AdhocFilter {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw badField(field, `expected {key, operator, value}, got ${describe(v)}`);
  const f = v as Record<string, unknown>;
  const key = optionalText(f, 'key', `${field}.key`);
  if (!key) throw badField(`${field}.key`, 'missing');
  const operator = optionalText(f, 'operator', `${field}.operator`) ?? '=';
  if (!(ADHOC_OPERATORS as readonly string[]).includes(operator)) {
    throw badField(`${field}.operator`, `"${operator}" is not one of ${ADHOC_OPERATORS.join(' ')} (the filters are regular expressions)`);
  }
  let values: string[];
  if (Array.isArray(f.values) && (operator === '=|' || operator === '!=|')) {
    values = f.values.map((x, i) => {
      if (typeof x !== 'string' && typeof x !== 'number') throw badField(`${field}.values[${i}]`, `expected text, got ${describe(x)}`);
      return String(x);
    });
  } else {
    const value = optionalText(f, 'value', `${field}.value`);
    if (value === undefined) throw badField(`${field}.value`, 'missing');
    values = [value];
  }
  return { key, operator: operator as AdhocOperator, values, field };
}

/** Ad hoc filters: `adhocFilters` (simple-json, simPod ≤0.6.3) and `filters` (simPod ≥0.6.4), both when both are sent. */
export function readFilters(obj: Record<string, unknown>): AdhocFilter[] {
  const out: AdhocFilter[] = [];
  for (const key of ['adhocFilters', 'filters']) {
    const v = obj[key];
    if (v === undefined || v === null) continue;
    if (!Array.isArray(v)) throw badField(key, `expected a list, got ${describe(v)}`);
    v.forEach((f, i) => out.push(readFilter(f, `${key}[${i}]`)));
  }
  return out;
}

function readTarget(v: unknown, i: number): QueryTarget | undefined {
  const field = `targets[${i}]`;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw badField(field, `expected an object, got ${describe(v)}`);
  const t = v as Record<string, unknown>;
  // Both plugins drop hidden targets and placeholders with no metric yet; older dashboards still send them.
  if (t.hide === true) return undefined;
  const target = optionalText(t, 'target', `${field}.target`)?.trim();
  if (!target) return undefined;
  const refId = optionalText(t, 'refId', `${field}.refId`) ?? String.fromCharCode(65 + (i % 26));
  const type = typeof t.type === 'string' ? t.type : undefined;
  const format = typeof t.format === 'string' ? t.format : undefined;
  const payloadKey = t.payload !== undefined && t.payload !== null && t.payload !== '' ? 'payload' : 'data';
  return {
    refId,
    target,
    table: type === 'table' || format === 'table',
    payload: readPayload(t[payloadKey], `${field}.${payloadKey}`),
    field,
  };
}

/** A `/query` body of any plugin version. */
export function readQueryRequest(body: unknown): QueryRequest {
  const obj = bodyObject(body);
  if (!Array.isArray(obj.targets)) throw badField('targets', `expected a list of targets, got ${describe(obj.targets)}`);
  const targets = obj.targets.map(readTarget).filter((t): t is QueryTarget => t !== undefined);
  return {
    range: readRange(obj),
    intervalMs: optionalNumber(obj, 'intervalMs'),
    maxDataPoints: optionalNumber(obj, 'maxDataPoints'),
    targets,
    filters: readFilters(obj),
  };
}
