/** Catches the AppError a call throws, so a test can look at its code and message. */
import { AppError } from '../../common/index.js';

export function caughtAppError(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected an AppError');
}
