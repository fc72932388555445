/** GW's `make_perc`, `make_perc2` and `make_perc_simple`: values as percentages of a total. */
import { badInput, dataError } from './errors.js';
import { pivotEntry, type PivotTable } from './pivot-table.js';
import { keyId, keyString } from './python-values.js';
import type { Key, Value } from './types.js';

function num(value: Value, where: string): number {
  if (typeof value === 'number') return value;
  if (Array.isArray(value)) throw badInput('results', `percentages need one results column; got the tuple ${keyString(value)} at ${where}`);
  throw dataError(`cannot take a percentage of ${JSON.stringify(value)} at ${where}`);
}

function percent(value: number, total: number, where: string): number {
  if (total === 0) throw dataError(`percentage of a zero total at ${where} (float division by zero)`);
  return (100 * value) / total;
}

/** `make_perc`: each value as a percentage of its group's total over all pivots (in place). */
export function makePerc(table: PivotTable): void {
  const totals = new Map<string, number>();
  for (const entry of table.values()) {
    for (const [id, cell] of entry.groups) totals.set(id, (totals.get(id) ?? 0) + num(cell.value, keyString(cell.group)));
  }
  for (const entry of table.values()) {
    for (const [id, cell] of entry.groups) cell.value = percent(num(cell.value, keyString(cell.group)), totals.get(id) ?? 0, keyString(cell.group));
  }
}

/** `make_perc_simple`: each pivot's value as a percentage of the sum over pivots (in place). */
export function makePercSimple(entries: { pivot: Key; value: Value }[]): void {
  const total = entries.reduce((sum, e) => sum + num(e.value, keyString(e.pivot)), 0);
  for (const e of entries) e.value = percent(num(e.value, keyString(e.pivot)), total, keyString(e.pivot));
}

/**
 * `make_perc2`: pivots `<key>X` and `X` merge into `X`, whose value per group becomes the tuple
 * (owned, opportunistic) — each a percentage of the two's sum when `do_perc` contains a "t"
 * (case-insensitive), else the raw values.
 */
export function makePerc2(table: PivotTable, key: string, doPercText: string): PivotTable {
  const doPerc = doPercText.toLowerCase().includes('t');
  const base = (pivot: Key): { name: string; owned: boolean } => {
    if (typeof pivot !== 'string') throw dataError(`make_perc2 needs text pivots; got ${keyString(pivot)}`);
    return pivot.startsWith(key) ? { name: pivot.slice(key.length), owned: true } : { name: pivot, owned: false };
  };
  const totals = new Map<string, number>();
  for (const entry of table.values()) {
    const { name } = base(entry.pivot);
    for (const [id, cell] of entry.groups) {
      const totalId = `${keyId(name)}|${id}`;
      totals.set(totalId, (totals.get(totalId) ?? 0) + num(cell.value, keyString(cell.group)));
    }
  }
  const result: PivotTable = new Map();
  for (const entry of table.values()) {
    const { name, owned } = base(entry.pivot);
    const target = pivotEntry(result, name);
    for (const [id, cell] of entry.groups) {
      const where = keyString(cell.group);
      const raw = num(cell.value, where);
      const value = doPerc ? percent(raw, totals.get(`${keyId(name)}|${id}`) ?? 0, where) : raw;
      const prev = target.groups.get(id)?.value;
      const [ownedValue, opportunistic] = Array.isArray(prev) ? prev : [0, 0];
      target.groups.set(id, { group: cell.group, value: owned ? [value, opportunistic ?? 0] : [ownedValue ?? 0, value] });
    }
  }
  return result;
}
