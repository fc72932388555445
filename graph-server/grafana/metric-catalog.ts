/** The queries as Grafana metrics: which are listed, their names and labels, their inputs as payloads and ad hoc filter keys. */
import type { QueryInfo } from '../../query-engine/index.js';
import { GW_SPAN_CHOICES } from '../web/index.js';

/** A payload option: what `/metric-payload-options` answers and `/metrics` embeds for select payloads. */
export interface PayloadOption {
  label: string;
  value: string;
}

/** simPod's `MetricPayloadConfig`: how its query builder shows one input. */
export interface PayloadConfig {
  name: string;
  label: string;
  type: 'input' | 'select';
  placeholder: string;
  options?: PayloadOption[];
}

/** simPod's `MetricConfig` (`/metrics`). */
export interface MetricConfig {
  value: string;
  label: string;
  payloads: PayloadConfig[];
}

/**
 * The queries Grafana lists: those of a section (a SqlQueries class with a `display_name`), as on the home
 * page. Undisplayed classes hold base queries that only their children complete; they still run by name.
 */
export function listedQueries(infos: readonly QueryInfo[]): QueryInfo[] {
  return infos.filter((q) => q.displayName !== undefined);
}

/** The metric name of a query: its bare name when no other query shares it, else `Class.query`. */
export function metricName(info: QueryInfo, infos: readonly QueryInfo[]): string {
  return infos.some((q) => q !== info && q.name === info.name) ? info.qualifiedName : info.name;
}

/** The query a metric names (bare name or `Class.query`), or `undefined`. */
export function findQuery(infos: readonly QueryInfo[], name: string): QueryInfo | undefined {
  return infos.find((q) => q.qualifiedName === name) ?? infos.find((q) => q.name === name);
}

/** What a person picks from: `Bar Graphs: Hours Spent on Jobs By VO`. */
export function metricLabel(info: QueryInfo): string {
  const title = info.title ?? info.name;
  return info.displayName ? `${info.displayName}: ${title}` : title;
}

/** The inputs a request may set: the `kind="sql"` ones (the others are configuration plumbing). */
export function requestInputs(info: QueryInfo): QueryInfo['inputs'] {
  return info.inputs.filter((i) => i.kind === 'sql');
}

function isBoolean(text: string): boolean {
  return text === 'true' || text === 'false';
}

/**
 * The regular-expression filters of a query: untyped SQL inputs matching anything by default (`.*`) or
 * paired with an `exclude-<name>` input (vo, facility, probe, user, role, ...). These are the ad hoc filter keys.
 */
export function regexFilterKeys(info: QueryInfo): string[] {
  const names = new Set(info.inputs.map((i) => i.name));
  return requestInputs(info)
    .filter((i) => !i.type && !i.name.startsWith('exclude-') && (i.default === '.*' || names.has(`exclude-${i.name}`)))
    .map((i) => i.name);
}

/** Every ad hoc filter key of the listed queries, in first-seen order. */
export function tagKeys(infos: readonly QueryInfo[]): string[] {
  return [...new Set(listedQueries(infos).flatMap(regexFilterKeys))];
}

/** The fixed choices of an input, when it has some: spans, booleans. `undefined` for free text. */
export function fixedChoices(info: QueryInfo, name: string): PayloadOption[] | undefined {
  const input = info.inputs.find((i) => i.name === name);
  if (!input) return undefined;
  if (name === 'span') {
    const options: PayloadOption[] = GW_SPAN_CHOICES.map((c) => ({ label: `${c.label} (${c.value})`, value: String(c.value) }));
    // A query whose default is no choice (monthly_vo_hours' 28*86400) keeps its default selectable.
    if (!options.some((o) => o.value === input.default)) options.unshift({ label: `Default (${input.default})`, value: input.default });
    return options;
  }
  if (isBoolean(input.default)) return [{ label: 'true', value: 'true' }, { label: 'false', value: 'false' }];
  return undefined;
}

function placeholder(info: QueryInfo, input: QueryInfo['inputs'][number]): string {
  if (input.type === 'datetime') return 'from the dashboard time range';
  if (input.name === 'span') return 'from the panel interval';
  return regexFilterKeys(info).includes(input.name) || input.name.startsWith('exclude-') ? `regex, default ${input.default}` : `default ${input.default}`;
}

/** The payloads of a query: one per request input, a select where the choices are fixed. */
export function payloadConfigs(info: QueryInfo): PayloadConfig[] {
  return requestInputs(info).map((input) => {
    const options = fixedChoices(info, input.name);
    const config: PayloadConfig = { name: input.name, label: input.name, type: options ? 'select' : 'input', placeholder: placeholder(info, input) };
    if (options) config.options = options;
    return config;
  });
}

/** `/metrics`' entry for a query. */
export function metricConfig(info: QueryInfo, infos: readonly QueryInfo[]): MetricConfig {
  return { value: metricName(info, infos), label: metricLabel(info), payloads: payloadConfigs(info) };
}

/** Whether a metric matches a `/search` text: a case-insensitive part of its name, `Class.query` or label. */
export function matchesSearch(info: QueryInfo, text: string): boolean {
  const needle = text.trim().toLowerCase();
  if (needle === '' || needle === '*') return true;
  return [info.name, info.qualifiedName, metricLabel(info)].some((s) => s.toLowerCase().includes(needle));
}
