/** Samples as JSON: reading API input into SampleInput, and writing StoredSample out. */
import { AppError, mapInSlices } from '../common/index.js';
import { parseTime } from './http-params.js';
import { unstorableChar } from './text-check.js';
import type { SampleInput, StoredSample } from './types.js';

/** A stored sample as the API returns it (time as ISO-8601 UTC). */
export function sampleJson(s: StoredSample): Record<string, unknown> {
  return {
    id: s.id, node: s.node, metric: s.metric, time: s.time.toISOString(), value: s.value, source: s.source,
    ...(s.summary !== undefined ? { summary: s.summary } : {}),
    ...(s.details !== undefined ? { details: s.details } : {}),
    ...(s.tags ? { tags: s.tags } : {}),
  };
}

/**
 * `[{node, metric, time, value, ...}]` or `{samples: [...]}`; `time` ISO-8601 or epoch seconds (default now). In
 * time-boxed slices: 10,000 samples of 8 MB held the event loop 40-70 ms in one go.
 */
export async function samplesFromJson(body: unknown, now: Date, maxSamples: number): Promise<SampleInput[]> {
  const list: unknown = Array.isArray(body) ? body : body && typeof body === 'object' ? (body as { samples?: unknown }).samples : undefined;
  if (!Array.isArray(list)) throw new AppError('bad_request', 'the body must be a JSON array of samples, or {"samples": [...]}');
  if (list.length > maxSamples) {
    throw new AppError('payload_too_large', `the body holds ${list.length} samples, more than the limit of ${maxSamples} (setting max_samples_per_request); send smaller batches`, {
      limit: maxSamples,
      setting: 'max_samples_per_request',
      inserted: 0,
    });
  }
  return mapInSlices(list as unknown[], (item: unknown, i) => {
    const where = `sample ${i + 1}`;
    if (!item || typeof item !== 'object' || Array.isArray(item)) throw new AppError('bad_request', `${where} is not an object`, { sample: i + 1 });
    const o = item as Record<string, unknown>;
    const text = (k: string): string | undefined => {
      const v = o[k];
      if (v === undefined || v === null) return undefined;
      if (typeof v !== 'string') throw new AppError('bad_request', `${where}: ${k} must be a string`, { sample: i + 1 });
      refuseUnstorable(v, `${where}: ${k}`, i);
      return v;
    };
    let time: Date;
    if (o.time === undefined) time = now;
    else if (typeof o.time === 'number') time = new Date(o.time * 1000);
    else if (typeof o.time === 'string') time = parseTime(o.time, `${where}: time`);
    else throw new AppError('bad_request', `${where}: time must be ISO-8601 text or epoch seconds`, { sample: i + 1 });
    const value = typeof o.value === 'boolean' ? Number(o.value) : o.value;
    if (typeof value !== 'number') throw new AppError('bad_request', `${where}: value must be a number`, { sample: i + 1 });
    const s: SampleInput = { node: text('node') ?? '', metric: text('metric') ?? '', time, value, source: text('source') ?? 'api' };
    const summary = text('summary');
    const details = text('details');
    if (summary !== undefined) s.summary = summary;
    if (details !== undefined) s.details = details;
    if (o.tags !== undefined) s.tags = o.tags as Record<string, string>;
    if (o.tags && typeof o.tags === 'object') {
      for (const [k, v] of Object.entries(o.tags)) {
        refuseUnstorable(k, `${where}: a tag name`, i);
        if (typeof v === 'string') refuseUnstorable(v, `${where}: tag ${k}`, i);
      }
    }
    return s;
  });
}

/** A 400 naming the sample and field when an escape in the JSON spelt a NUL or a lone surrogate. */
function refuseUnstorable(text: string, where: string, index: number): void {
  const bad = unstorableChar(text);
  if (bad) throw new AppError('bad_request', `${where} holds ${bad}, which is not text; nothing was stored`, { sample: index + 1, inserted: 0 });
}
