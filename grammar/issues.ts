/** Formatting and collecting configuration issues. */
import type { ConfigIssue, LoadedConfig, SourcePos } from './types.js';

export function formatPos(pos: SourcePos): string {
  return `${pos.file}:${pos.line}:${pos.column}`;
}

/** `file:line:col: message` (warnings say so). */
export function formatIssue(issue: ConfigIssue): string {
  return `${formatPos(issue.pos)}: ${issue.severity === 'warning' ? 'warning: ' : ''}${issue.message}`;
}

export function configErrors(config: LoadedConfig): ConfigIssue[] {
  return config.issues.filter((i) => i.severity === 'error');
}
