/** The two ways a results function fails: a bad input (the URL or config's fault) or data it cannot handle. */
import { AppError } from '../../common/index.js';

/** A results input that cannot work (bad column list, unknown transform, ...); names the input. */
export function badInput(input: string, message: string, context: Record<string, unknown> = {}): AppError {
  return new AppError('bad_request', `results input "${input}": ${message}`, { input, ...context });
}

/**
 * Rows GraphTool itself would have failed on (adding text to a number, float() of a tuple, ...).
 * GraphTool put the exception in `metadata.error`; the caller does the same with this.
 */
export function dataError(message: string, context: Record<string, unknown> = {}): AppError {
  return new AppError('internal', message, context);
}
