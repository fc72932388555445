/** A stored sample as one line-protocol point: measurement and field from the metric, `host` from the node. */
import { Point } from '@influxdata/influxdb-client';
import type { StoredSample } from '../types.js';

/** The field of a metric without a dot (`load` → measurement `load`, field `value`). */
export const DEFAULT_FIELD = 'value';

/**
 * `cpu.usage_idle` on node `n1` with tags `{cpu: 'cpu0'}` → `cpu,cpu=cpu0,host=n1 usage_idle=97.5 <ms>`: the inverse
 * of line-protocol ingest, so Telegraf's points reach InfluxDB as Telegraf wrote them (values as floats). The metric
 * is split at its first dot. Returns undefined for a value InfluxDB cannot store (NaN, ±Infinity).
 */
export function sampleToLine(sample: StoredSample): string | undefined {
  if (!Number.isFinite(sample.value)) return undefined;
  const dot = sample.metric.indexOf('.');
  const measurement = dot > 0 ? sample.metric.slice(0, dot) : sample.metric;
  const field = dot > 0 && dot < sample.metric.length - 1 ? sample.metric.slice(dot + 1) : DEFAULT_FIELD;
  const point = new Point(measurement).floatField(field, sample.value).timestamp(sample.time.getTime());
  for (const [k, v] of Object.entries(sample.tags ?? {})) point.tag(k, v);
  // The node is the series' host whatever the tags say: two nodes' samples must never merge into one series.
  point.tag('host', sample.node);
  // Precision is ms (a Date's); the timestamp is given as a number in that precision.
  return point.toLineProtocol({ convertTime: (t) => (t === undefined ? undefined : String(t)) });
}
