/** GW's `results_parser_fillin`: a pivot-group result where every pivot has every group. */
import { pivotEntry, toPivotGroupData, type PivotTable } from './pivot-table.js';
import { keyId, pyCompare } from './python-values.js';
import { parsePivotGroupTable } from './results-parser.js';
import type { Key, ResultsFunction, Value } from './types.js';

/**
 * The value GW puts in a pivot's missing group `idx` of the sorted groups. Its scan, kept as
 * written: backwards it looks at idx-2, idx-3, idx-4 (the slice `[:idx-1]` skips idx-1); only
 * when that found something does it look forwards at idx+1, idx+2, whose value then wins;
 * otherwise the value is 0.
 */
function fillValue(groups: ReadonlyMap<string, Value>, allGroups: readonly Key[], idx: number): Value {
  let val: Value | undefined;
  if (idx !== 0) {
    for (let i = idx - 2, tries = 0; i >= 0 && tries < 3; i--, tries++) {
      const found = groups.get(keyId(allGroups[i] ?? null));
      if (found !== undefined) {
        val = found;
        break;
      }
    }
  }
  // A None found backwards counts as nothing found (Python's `val != None`).
  if (val !== undefined && val !== null) {
    for (let i = idx, tries = 0; i < allGroups.length && tries < 3; i++, tries++) {
      const found = groups.get(keyId(allGroups[i] ?? null));
      if (found !== undefined) {
        val = found;
        break;
      }
    }
  }
  return val ?? 0;
}

/** `results_parser`, then every pivot gets every group (sorted as Python sorts), missing ones filled by `fillValue`. */
export const resultsParserFillin: ResultsFunction = (rows, vars, ctx) => {
  const table = parsePivotGroupTable(rows, vars, ctx);
  const all = new Map<string, Key>();
  for (const entry of table.values()) for (const cell of entry.groups.values()) all.set(keyId(cell.group), cell.group);
  const allGroups = [...all.values()].sort(pyCompare);
  const filled: PivotTable = new Map();
  for (const entry of table.values()) {
    const values = new Map([...entry.groups].map(([id, cell]) => [id, cell.value] as const));
    const target = pivotEntry(filled, entry.pivot);
    allGroups.forEach((group, idx) => {
      const id = keyId(group);
      const value = values.has(id) ? (values.get(id) ?? null) : fillValue(values, allGroups, idx);
      target.groups.set(id, { group, value });
    });
  }
  return { data: toPivotGroupData(filled), metadata: { kind: 'pivot-group' } };
};
