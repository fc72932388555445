/**
 * Gratia-web's field-of-science classifiers (`gratia.database.metrics`): VO pivots mapped to OIM's VOs by name
 * (`OIM_to_gratia_mapper`) and classified by OIM's fields of science (`RSVQueries.field_of_science`, here the
 * topology registry's feed), as HEP filters or as a field-of-science pivot.
 */
import { AppError } from '../../common/index.js';
import { varText } from './columns.js';
import { parseSimple } from './pivot-parsers.js';
import { pivotEntry, toPivotGroupData, type PivotTable } from './pivot-table.js';
import { keyId } from './python-values.js';
import { parsePivotGroupTable } from './results-parser.js';
import type { ResultsContext, ResultsFunction, Value } from './types.js';

type Fields = readonly (readonly [string, string])[];

/** metrics.py's `addl_fields_of_science`: VOs OIM did not classify, appended to its list. */
const ADDITIONAL_FIELDS: Fields = [
  ['lhcb', 'High Energy Physics'], ['lhcb', 'Physics'], ['FermilabHypercp', 'High Energy Physics'], ['FermilabHypercp', 'Physics'],
  ['geant4', 'High Energy Physics'], ['geant4', 'Physics'],
];
const HEP_FIELDS = ['High Energy Physics', 'HEP'];
/** metrics.py's `precedence`: a VO's field is the one of lowest rank; a field not listed always replaces (Python 2's None < n). */
const PRECEDENCE: Readonly<Record<string, number>> = { USLHC: 0, 'High Energy Physics': 1, Physics: 2, 'Community Grid': 3, Other: 4 };

function fieldsOfScience(ctx: ResultsContext, fn: string): Fields {
  const feed = ctx.oim?.fieldsOfScience;
  // GW raised when RSVQueries.field_of_science could not be read; so does the appliance without the feed.
  if (feed === undefined) throw new AppError('unavailable', `${fn} needs the OIM fieldsOfScience feed (the topology registry's VO fields of science), which is not configured`, { feed: 'fieldsOfScience' });
  return [...feed.map((e) => [e.vo, e.field] as const), ...ADDITIONAL_FIELDS];
}

/**
 * `OIM_to_gratia_mapper`: a Gratia VO maps to an OIM VO when either name holds the other (case ignored); the last
 * OIM VO that does wins, and OIM's `OSG` is `osg` when it would be `osgedu`. Returns Gratia name → OIM name.
 */
export function gratiaToOim(oimVos: readonly string[], gratiaVos: readonly string[]): Map<string, string> {
  const oimToGratia = new Map<string, string>();
  const toOim = new Map<string, string>();
  const gratiaLower = gratiaVos.map((g) => [g, g.toLowerCase()] as const);
  for (const oim of oimVos) {
    const o = oim.toLowerCase();
    for (const [g, gl] of gratiaLower) {
      if (gl.includes(o) || o.includes(gl)) {
        oimToGratia.set(oim, g);
        toOim.set(g, oim);
      }
    }
  }
  if (oimToGratia.get('OSG') === 'osgedu') toOim.set('osg', 'OSG');
  return toOim;
}

const textPivots = (pivots: readonly Value[]): string[] => pivots.filter((p): p is string => typeof p === 'string');

/** The Gratia VOs among `vos` whose OIM VO has a field that `isField` takes (`HEP_classifier`, `physics_classifier`). */
function classifiedVos(vos: readonly string[], fields: Fields, isField: (field: string) => boolean): Set<string> {
  const toOim = gratiaToOim(fields.map(([vo]) => vo), vos);
  return new Set(vos.filter((vo) => fields.some(([ov, science]) => ov === toOim.get(vo) && isField(science))));
}

const isHep = (field: string) => HEP_FIELDS.includes(field);
const isPhysics = (field: string) => isHep(field) || field.toLowerCase().includes('physics');

function dropPivots(table: PivotTable, drop: ReadonlySet<string>): PivotTable {
  for (const [id, entry] of table) if (typeof entry.pivot === 'string' && drop.has(entry.pivot)) table.delete(id);
  return table;
}

function voFilter(fn: string, isField: (field: string) => boolean): ResultsFunction {
  return (rows, vars, ctx) => {
    const fields = fieldsOfScience(ctx, fn);
    const table = parsePivotGroupTable(rows, vars, ctx);
    const vos = textPivots([...table.values()].map((e) => e.pivot));
    return { data: toPivotGroupData(dropPivots(table, classifiedVos(vos, fields, isField))), metadata: { kind: 'pivot-group' } };
  };
}

/** `non_HEP_filter`: `results_parser`, then the pivots of HEP VOs removed. */
export const nonHepFilter = voFilter('non_HEP_filter', isHep);
/** `non_physics_filter`: `results_parser`, then the pivots of HEP and physics VOs removed. */
export const nonPhysicsFilter = voFilter('non_physics_filter', isPhysics);

/** `non_hep_filter_simple`: `simple_results_parser`, then the HEP VOs' pivots removed. */
export const nonHepFilterSimple: ResultsFunction = (rows, vars, ctx) => {
  const fields = fieldsOfScience(ctx, 'non_hep_filter_simple');
  const entries = parseSimple(rows, vars, ctx);
  const hep = classifiedVos(textPivots(entries.map((e) => e.pivot)), fields, isHep);
  return { data: { kind: 'pivot', entries: entries.filter((e) => !(typeof e.pivot === 'string' && hep.has(e.pivot))) }, metadata: { kind: 'pivot' } };
};

/** Each OIM VO's field by {@link PRECEDENCE}, in the feed's order. */
function voScience(fields: Fields): Map<string, string> {
  const out = new Map<string, string>();
  for (const [vo, field] of fields) {
    const current = PRECEDENCE[out.get(vo) ?? ''] ?? 99;
    const rank = PRECEDENCE[field];
    if (rank === undefined || rank < current) out.set(vo, field);
  }
  return out;
}

function classify(rows: readonly (readonly unknown[])[], vars: Parameters<ResultsFunction>[1], ctx: ResultsContext, fallback: string, fn: string): PivotTable {
  const fields = fieldsOfScience(ctx, fn);
  const table = parsePivotGroupTable(rows, vars, ctx);
  const vos = textPivots([...table.values()].map((e) => e.pivot));
  const toOim = gratiaToOim(fields.map(([vo]) => vo), vos);
  const science = voScience(fields);
  const out: PivotTable = new Map();
  for (const entry of table.values()) {
    const oim = typeof entry.pivot === 'string' ? toOim.get(entry.pivot) : undefined;
    let pivot = (oim !== undefined ? science.get(oim) : undefined) ?? fallback;
    if (pivot === 'HEP') pivot = 'High Energy Physics';
    const target = pivotEntry(out, pivot);
    for (const [id, cell] of entry.groups) {
      const had = target.groups.get(id);
      target.groups.set(id, { group: cell.group, value: had === undefined ? cell.value : sum(had.value, cell.value, fn) });
    }
  }
  const physics = out.get(keyId('Physics'));
  if (physics) {
    out.delete(keyId('Physics'));
    out.set(keyId('non-HEP Physics'), { pivot: 'non-HEP Physics', groups: physics.groups });
  }
  return out;
}

function sum(a: Value, b: Value, fn: string): Value {
  if (typeof a === 'number' && typeof b === 'number') return a + b;
  throw new AppError('bad_request', `${fn}: values to add up are not numbers (${String(a)}, ${String(b)})`, { field: 'results' });
}

/** `science_classifier(default="Other")`: VO pivots become their OIM field of science (`Physics` shown as `non-HEP Physics`), the groups summed. */
export const scienceClassifier: ResultsFunction = (rows, vars, ctx) => ({
  data: toPivotGroupData(classify(rows, vars, ctx, varText(vars, 'default', 'Other'), 'science_classifier')),
  metadata: { kind: 'pivot-group' },
});

/** `nonhep_science_classifier`: `science_classifier` (its own `default` is not passed on, so "Other"), HEP and USLHC removed. */
export const nonhepScienceClassifier: ResultsFunction = (rows, vars, ctx) => {
  const table = classify(rows, vars, ctx, 'Other', 'nonhep_science_classifier');
  return { data: toPivotGroupData(dropPivots(table, new Set(['HEP', 'USLHC', 'High Energy Physics']))), metadata: { kind: 'pivot-group' } };
};
