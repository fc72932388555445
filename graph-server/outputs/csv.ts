/** GraphTool's CSV output (`CsvGenerator`), byte for byte: a header line, then one unquoted line per value. */
import { keyString, pyCompare, type Key, type Value } from '../../query-engine/index.js';
import { datumStrings, descendingGroups, groupDate, isTimeGrouping, localeDateTimeString, metaText } from './query-view.js';
import type { RenderableResult } from './types.js';

function line(pivot: Key, value: Value, group?: string): string {
  const cells = [keyString(pivot), ...(group === undefined ? [] : [group]), datumStrings(value).join(',')];
  return `${cells.join(',')}\n`;
}

// `convert_to_datetime(group).strftime('%x %X')`; Python 2's strftime refused years before 1900,
// and GraphTool failed on a group it could not read as a time, so such groups print as they are.
function csvGroup(group: Key, time: boolean): string {
  const date = time ? groupDate(group) : undefined;
  return date && date.getUTCFullYear() >= 1900 ? localeDateTimeString(date) : keyString(group);
}

/**
 * The CSV GraphTool's `CsvGenerator` served (`/gratia/csv/<query>`):
 * - pivot-group: `pivot_name,grouping_name,column_names`, then `pivot,group,value[,value]` with
 *   each pivot's groups largest first, time groups (`grouping_name` `Time`) as `%x %X`
 *   (`06/13/16 12:00:00`, UTC);
 * - pivot: `pivot_name,column_names`, then `pivot,value` with the pivots largest first;
 * - complex-pivot: the same header, then the pairs in list order.
 *
 * Nothing is quoted, so a tuple pivot `('Nebraska', 'cms')` or a comma in a name spills into the
 * next cell, as it did. A missing `pivot_name` prints `Unknown Pivot`, a missing `grouping_name`
 * `Unknown Grouping`, a missing pivot-kind `column_names` `Unknown Column` (GraphTool's defaults);
 * a missing `column_names` of the other kinds, on which GraphTool failed, prints nothing.
 */
export function renderCsv(result: RenderableResult): string {
  const { data, metadata } = result;
  const pivotName = metaText(metadata, 'pivot_name') ?? 'Unknown Pivot';
  const columnNames = metaText(metadata, 'column_names');
  if (data.kind === 'pivot-group') {
    const groupingName = metaText(metadata, 'grouping_name');
    const time = isTimeGrouping(groupingName);
    let out = `${pivotName},${groupingName ?? 'Unknown Grouping'},${columnNames ?? ''}\n`;
    for (const pivot of data.pivots) {
      for (const { group, value } of descendingGroups(pivot)) out += line(pivot.pivot, value, csvGroup(group, time));
    }
    return out;
  }
  if (data.kind === 'pivot') {
    const entries = [...data.entries].sort((a, b) => pyCompare(b.pivot, a.pivot));
    return `${pivotName},${columnNames ?? 'Unknown Column'}\n${entries.map((e) => line(e.pivot, e.value)).join('')}`;
  }
  return `${pivotName},${columnNames ?? ''}\n${data.entries.map((e) => line(e.pivot, e.value)).join('')}`;
}
