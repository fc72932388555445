/** Sorts a tree's query runs into ran, failed (with the reason in a few words) and the groups counted apart. */
import type { QueryResult } from '../../query-engine/index.js';

/** Why a failure is counted apart from the target, or undefined when it counts against it. */
export type Apart = 'template' | 'oim-feed';

export interface Outcome {
  name: string;
  error?: string;
  apart?: Apart;
}

/** An error that needs OSG's OIM/MyOSG feeds or tables (the topology registry's part): its resource groups, VOs, RSV process tables. */
const OIM_FEED = /\bOIM\b|\boim\.|\brsvprocess\.|Unknown database 'oim'|Unknown database 'rsvprocess'|no such table: (oim|rsvprocess)\./i;

/**
 * Classifies one run. A query other queries name as their base is a template (its unfilled slots leave `SELECT , ...`,
 * as in GraphTool) and is counted apart when it fails; so are failures for want of the OIM feeds.
 */
export function classify(result: QueryResult, isBase: boolean): Outcome {
  const error = result.error;
  if (error === undefined) return { name: result.name };
  if (isBase) return { name: result.name, error, apart: 'template' };
  if (OIM_FEED.test(error)) return { name: result.name, error, apart: 'oim-feed' };
  return { name: result.name, error };
}

/** The error in one line, at most `max` characters. */
export function shortReason(error: string, max = 220): string {
  const line = error.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
