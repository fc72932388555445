/** Distinct values of an ad hoc filter key, taken from a pivot query over the same thing (VO pie → VO names). */
import type { QueryEngine, QueryInfo } from '../../query-engine/index.js';
import { listedQueries, regexFilterKeys } from './metric-catalog.js';
import { resultPivots } from './query-frames.js';

/** Looks up the values of a key over the given parameters (`starttime`, `endtime`, ...). */
export type TagValues = (key: string, params: Readonly<Record<string, string>>) => Promise<string[]>;

/** `VO` ~ `vo`, `Resource Type` ~ `resource-type`, `Project` ~ `projectname`. */
function normalised(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '').replace(/name$/, '');
}

function isPivotGraph(info: QueryInfo): boolean {
  return /pie/i.test(info.graphType ?? '');
}

/**
 * Finds, once per key, a listed pie query with the key as a filter whose `pivot_name` is the key (running
 * the candidates until one matches, pie queries only so an unmatched key costs a bounded number of runs),
 * and answers its pivots. Keys with no such query have no values (`[]`). The choice is remembered until
 * the listed queries change (a configuration reload).
 */
export function createTagValues(engine: Pick<QueryEngine, 'runQuery' | 'queries'>): TagValues {
  let signature = '';
  const chosen = new Map<string, string | null>();

  async function sourceFor(key: string, infos: readonly QueryInfo[], params: Readonly<Record<string, string>>): Promise<{ name: string; pivots?: string[] } | null> {
    const known = chosen.get(key);
    if (known !== undefined) return known === null ? null : { name: known };
    for (const info of infos.filter((q) => isPivotGraph(q) && regexFilterKeys(q).includes(key))) {
      const result = await engine.runQuery(info.qualifiedName, params);
      const pivotName = result.metadata.pivot_name;
      if (result.error === undefined && typeof pivotName === 'string' && normalised(pivotName) === normalised(key)) {
        chosen.set(key, info.qualifiedName);
        return { name: info.qualifiedName, pivots: resultPivots(result.data) };
      }
    }
    chosen.set(key, null);
    return null;
  }

  return async (key, params) => {
    const infos = listedQueries(engine.queries());
    const now = infos.map((q) => q.qualifiedName).join('\n');
    if (now !== signature) {
      signature = now;
      chosen.clear();
    }
    const source = await sourceFor(key, infos, params);
    if (!source) return [];
    if (source.pivots) return source.pivots;
    const result = await engine.runQuery(source.name, params);
    return result.error === undefined ? resultPivots(result.data) : [];
  };
}
