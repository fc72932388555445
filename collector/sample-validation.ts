/** Checking samples before they are queued, so one bad sample is the client's 400, never a failed shared commit. */
import { AppError, mapInSlices } from '../common/index.js';
import type { SampleInput } from './types.js';

const MAX_NAME = 255;

/**
 * Returns the samples with times cut to the second (what the store keeps); throws a 400 naming the first bad one.
 * In time-boxed slices with a turn of the event loop between them: a batch may hold 100,000 samples.
 */
export function checkSamples(samples: readonly SampleInput[]): Promise<SampleInput[]> {
  return mapInSlices(samples, checkSample);
}

function checkSample(s: SampleInput, i: number): SampleInput {
  const problem = sampleProblem(s);
  if (problem) throw new AppError('bad_request', `sample ${i + 1}: ${problem}`, { sample: i + 1 });
  const ms = s.time.getTime();
  return { ...s, time: new Date(ms - (((ms % 1000) + 1000) % 1000)) };
}

/** The years a stored time may fall in: what both backends' DATETIME columns hold and read back unchanged. */
export const TIME_YEARS = { min: 1970, max: 9999 } as const;

/** Why a time cannot be stored (`"is outside 1970..9999"`), or undefined when it can: one rule for samples, records and queries. */
export function timeRangeProblem(time: Date): string | undefined {
  const year = time.getUTCFullYear();
  if (Number.isNaN(year) || year < TIME_YEARS.min || year > TIME_YEARS.max) return `is outside ${TIME_YEARS.min}..${TIME_YEARS.max}`;
  return undefined;
}

function sampleProblem(s: SampleInput): string | undefined {
  if (typeof s.node !== 'string' || !s.node.trim()) return 'node is missing';
  if (typeof s.metric !== 'string' || !s.metric.trim()) return 'metric is missing';
  if (s.node.length > MAX_NAME) return `node is longer than ${MAX_NAME} characters`;
  if (s.metric.length > MAX_NAME) return `metric is longer than ${MAX_NAME} characters`;
  if (!(s.time instanceof Date) || Number.isNaN(s.time.getTime())) return 'time is not a date';
  const range = timeRangeProblem(s.time);
  if (range) return `time ${s.time.toISOString()} ${range}`;
  if (typeof s.value !== 'number' || !Number.isFinite(s.value)) return `value ${String(s.value)} is not a finite number`;
  if (typeof s.source !== 'string' || !s.source || s.source.length > 64) return 'source must be 1..64 characters';
  if (s.summary !== undefined && typeof s.summary !== 'string') return 'summary is not text';
  if (s.details !== undefined && typeof s.details !== 'string') return 'details is not text';
  if (s.tags !== undefined) {
    if (!s.tags || typeof s.tags !== 'object' || Array.isArray(s.tags)) return 'tags is not an object';
    for (const [k, v] of Object.entries(s.tags)) if (typeof v !== 'string') return `tag ${k} is not a string`;
  }
  return undefined;
}
