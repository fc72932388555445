/** A dispatch request checked field by field: each problem a bad_request naming the field; nothing is stored before this passes. */
import { AppError } from '../common/index.js';
import type { ActuatorSettings } from './settings.js';
import type { DispatchOptions } from './types.js';

export const MAX_TIMEOUT_MS = 30 * 86_400_000;
const MAX_KEYS = 1_000;
const MAX_PARAMS = 64;
const MAX_PARAM_VALUE = 4_096;
const PARAM_NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

const bad = (field: string, problem: string) => new AppError('bad_request', `${field}: ${problem}`, { field });

export interface ValidDispatch {
  timeoutMs: number;
  urgent: boolean;
  /** The node first, then the concurrency key's other names. */
  locks: string[];
  params: Record<string, string>;
}

export function validateDispatch(settings: ActuatorSettings, actuator: unknown, node: unknown, timeoutMs: unknown, opts: DispatchOptions): ValidDispatch {
  if (typeof actuator !== 'string' || !actuator) throw bad('actuator', 'is required: the name of a registered actuator');
  if (!settings.actuators.has(actuator)) throw bad('actuator', `"${actuator}" is not a registered actuator (registered: ${[...settings.actuators.keys()].sort().join(', ') || 'none'})`);
  if (typeof node !== 'string' || !node) throw bad('node', 'is required: the name of a configured node');
  if (!settings.nodes.has(node)) throw bad('node', `"${node}" is not a configured node (an <node> of the Actuators class)`);
  const timeout = timeoutMs ?? settings.defaultTimeoutMs;
  if (typeof timeout !== 'number' || !Number.isInteger(timeout) || timeout < 1 || timeout > MAX_TIMEOUT_MS) throw bad('timeout', `must be a whole number of milliseconds from 1 to ${MAX_TIMEOUT_MS}`);
  if (opts.urgent !== undefined && typeof opts.urgent !== 'boolean') throw bad('urgent', 'must be true or false');
  const locks = [node];
  if (opts.concurrencyKey !== undefined) {
    if (!Array.isArray(opts.concurrencyKey) || opts.concurrencyKey.length > MAX_KEYS) throw bad('concurrencyKey', `must be an array of at most ${MAX_KEYS} names`);
    opts.concurrencyKey.forEach((k: unknown, i) => {
      if (typeof k !== 'string' || !k || k.length > 190) throw bad(`concurrencyKey[${i}]`, 'must be a name of 1 to 190 characters');
      if (!locks.includes(k)) locks.push(k);
    });
  }
  const params: Record<string, string> = {};
  if (opts.params !== undefined) {
    if (typeof opts.params !== 'object' || opts.params === null || Array.isArray(opts.params)) throw bad('params', 'must be an object of names to strings');
    const entries = Object.entries(opts.params as Record<string, unknown>);
    if (entries.length > MAX_PARAMS) throw bad('params', `at most ${MAX_PARAMS} parameters`);
    for (const [k, v] of entries) {
      if (!PARAM_NAME.test(k)) throw bad(`params.${k}`, 'a parameter name is a letter then up to 63 letters, digits or _');
      if (typeof v !== 'string' || v.length > MAX_PARAM_VALUE) throw bad(`params.${k}`, `must be a string of at most ${MAX_PARAM_VALUE} characters`);
      params[k] = v;
    }
  }
  return { timeoutMs: timeout, urgent: opts.urgent === true, locks, params };
}
