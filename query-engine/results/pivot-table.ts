/** The `{pivot: {group: value}}` table the pivot-group parsers build and post-process, keyed Python-style. */
import { keyId } from './python-values.js';
import type { Key, PivotGroups, ResultData, Value } from './types.js';

/** One pivot's groups, by key id, in insertion order. */
export interface PivotEntry {
  pivot: Key;
  groups: Map<string, { group: Key; value: Value }>;
}

/** Pivots by key id, in insertion order (Python dicts were unordered; outputs sort as they need). */
export type PivotTable = Map<string, PivotEntry>;

/** The pivot's entry, created empty on first use. */
export function pivotEntry(table: PivotTable, pivot: Key): PivotEntry {
  const id = keyId(pivot);
  let entry = table.get(id);
  if (!entry) {
    entry = { pivot, groups: new Map() };
    table.set(id, entry);
  }
  return entry;
}

/** Sets `table[pivot][group] = value`. */
export function setValue(table: PivotTable, pivot: Key, group: Key, value: Value): void {
  pivotEntry(table, pivot).groups.set(keyId(group), { group, value });
}

/** Every value replaced by `f(value)` (GraphTool's final `data_transform` pass). */
export function mapValues(table: PivotTable, f: (value: Value) => Value): void {
  for (const entry of table.values()) {
    for (const cell of entry.groups.values()) cell.value = f(cell.value);
  }
}

/** The table as result data. */
export function toPivotGroupData(table: PivotTable): ResultData {
  const pivots: PivotGroups[] = [...table.values()].map((e) => ({
    pivot: e.pivot,
    groups: [...e.groups.values()].map((g) => ({ group: g.group, value: g.value })),
  }));
  return { kind: 'pivot-group', pivots };
}
