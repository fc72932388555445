/** The shared kernel every stage may use: errors, logging, time, package paths. */
export { backoff } from './backoff.js';
export type { BackoffOptions } from './backoff.js';
export { AppError, ERROR_CODES, errorMessage, withContext } from './errors.js';
export type { ErrorCode } from './errors.js';
export { createLifecycle } from './lifecycle.js';
export type { Component, Lifecycle, ReloadResult, Undo } from './lifecycle.js';
export { createConsoleLogger, LOG_FORMATS, silentLogger } from './log.js';
export type { LogFormat, Logger, LogLevel } from './log.js';
export { forEachInSlices, mapInSlices, nextTurn, Slice, SLICE_MS } from './loop-turns.js';
export { packageRoot } from './paths.js';
export { fromAnotherOrigin } from './browser-origin.js';
export type { BrowserRequest } from './browser-origin.js';
export { compileMatchFromStart, compilePattern, patternError } from './patterns.js';
export type { CompilePatternOptions, Pattern } from './patterns.js';
export { parseSqlDateTime, systemClock, systemScheduler, toSqlDateTime } from './time.js';
export type { Clock, Scheduler } from './time.js';
