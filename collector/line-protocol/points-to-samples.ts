/** Line-protocol points become monitoring samples: one per field, metric `measurement.field`, node from `host`. */
import { Slice } from '../../common/index.js';
import type { SampleInput } from '../types.js';
import { nanosToDate } from './precision.js';
import type { FieldValue, LinePoint } from './types.js';

/** The `source` of samples that came in as line protocol. */
export const LINE_PROTOCOL_SOURCE = 'line-protocol';

/** The value a string field's sample gets; the text itself is the sample's summary. */
export const STRING_FIELD_VALUE = 0;

/**
 * The sample value of a field: floats as they are; integers and unsigned integers as numbers (exact up to 2^53);
 * booleans 1 or 0; strings `STRING_FIELD_VALUE` with the text as the summary.
 */
export function fieldNumber(field: FieldValue): number {
  switch (field.type) {
    case 'float':
      return field.value;
    case 'integer':
    case 'uinteger':
      return Number(field.value);
    case 'boolean':
      return field.value ? 1 : 0;
    case 'string':
      return STRING_FIELD_VALUE;
  }
}

/**
 * One sample per field. The node is the point's `host` tag, else `fallbackNode` (the router passes the
 * sender's address); the other tags are kept on the sample.
 */
export function pointsToSamples(points: readonly LinePoint[], fallbackNode: string): SampleInput[] {
  const samples: SampleInput[] = [];
  for (const point of points) {
    const { host, ...tags } = point.tags;
    const node = host ?? fallbackNode;
    const time = nanosToDate(point.timestampNs);
    const hasTags = Object.keys(tags).length > 0;
    for (const [field, value] of Object.entries(point.fields)) {
      const sample: SampleInput = { node, metric: `${point.measurement}.${field}`, time, value: fieldNumber(value), source: LINE_PROTOCOL_SOURCE };
      if (value.type === 'string') sample.summary = value.value;
      if (hasTags) sample.tags = { ...tags };
      samples.push(sample);
    }
  }
  return samples;
}

/** `pointsToSamples` in time-boxed slices with a turn of the event loop between them (common/loop-turns.ts), for large bodies. */
export async function pointsToSamplesInSlices(points: readonly LinePoint[], fallbackNode: string): Promise<SampleInput[]> {
  const samples: SampleInput[] = [];
  const slice = new Slice();
  for (let from = 0; from < points.length; from += POINTS_PER_SLICE) {
    if (from > 0) await slice.yieldIfDue();
    for (const s of pointsToSamples(points.slice(from, from + POINTS_PER_SLICE), fallbackNode)) samples.push(s);
  }
  return samples;
}

/** Points converted between two looks at the clock by `pointsToSamplesInSlices`. */
const POINTS_PER_SLICE = 64;
