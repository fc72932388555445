/** The results model: what GraphTool's results parsers return, and what they and the transforms take. */

/** One SQL cell after normalisation; what a pivot, a group or a value is made of. */
export type Scalar = string | number | null;

/**
 * A pivot or group key: one column's value, or a tuple when several columns make the key
 * (Python's `tuple`, printed `('Nebraska', 'cms')`).
 */
export type Key = Scalar | Scalar[];

/**
 * A data value: a number (Python float) for one results column, a tuple for several. A non-numeric
 * column keeps its string (duplicates concatenate with `\n`), and a SQL NULL stays `null` (Python
 * `None`), because GraphTool only converts what `float()` accepts.
 */
export type Value = Scalar | Scalar[];

export const RESULT_KINDS = ['pivot-group', 'pivot', 'complex-pivot'] as const;
export type ResultKind = (typeof RESULT_KINDS)[number];

/** One pivot's groups, in first-seen order (time-filling parsers: ascending time). */
export interface PivotGroups {
  pivot: Key;
  groups: { group: Key; value: Value }[];
}

/** The parsed data: GraphTool's `{pivot: {group: value}}`, `{pivot: value}` or `[(pivot, value)]`. */
export type ResultData =
  | { kind: 'pivot-group'; pivots: PivotGroups[] }
  | { kind: 'pivot'; entries: { pivot: Key; value: Value }[] }
  | { kind: 'complex-pivot'; entries: { pivot: Key; value: Value }[] };

/** A results function's return: the data and the metadata it sets (`kind`, `is_cumulative`, `span`, ...). */
export interface ResultsOutput {
  data: ResultData;
  metadata: Record<string, unknown>;
}

/**
 * The typed inputs a results function sees: URL values, results-input defaults (`pivots="0,1"`,
 * `grouping`, `results`, `pivot_transform`, `nbins`, ...) and query-input defaults. Values are
 * usually strings or numbers; anything else is read with Python's `str()`.
 */
export type ResultsVars = Readonly<Record<string, unknown>>;

/**
 * A VO owns a resource (OIM's ownership with Percent > 0). `resource` matches the facility pivot. Sub-VOs should
 * already carry their parents' entries.
 */
export interface Ownership {
  vo: string;
  resource: string;
}

/** One OIM resource group and its resources, in document order (the first resource stands for the group). */
export interface OimResourceGroup {
  name: string;
  resources: { name: string; wlcgAccountingName?: string }[];
}

/**
 * The OIM feeds GW's mapping transforms read (GW fetched them every 600 s; we take them from
 * configuration). Each transform reports `unavailable` when the feed it needs is absent.
 */
export interface OimData {
  /** `oim_resource_filter`: resource groups with their resources and WLCG accounting names. */
  resourceGroups?: readonly OimResourceGroup[];
  /** `oim_vo_filter`: the VO names OIM knows, spelled as OIM spells them. */
  voNames?: readonly string[];
  /** `oim_vo_project_fos_filter`: each VO's field of science (primary, else secondary). */
  voFieldsOfScience?: readonly { vo: string; field: string }[];
  /** `science_classifier` and the HEP filters: every (VO, field) pair, primary fields first (`RSVQueries.field_of_science`). */
  fieldsOfScience?: readonly { vo: string; field: string }[];
  /** `oim_vo_project_fos_filter`: each project's field of science. */
  projectFieldsOfScience?: readonly { project: string; field: string }[];
}

/** What results functions and transforms take from outside the rows. */
export interface ResultsContext {
  /** VO → resource ownership, for the opportunistic parsers. */
  ownership: readonly Ownership[];
  now: Date;
  /**
   * Resources that belong to a WLCG federation (GW's `RSVQueries.resource_to_federation()` keys),
   * for the `uslhc_*` / `nonuslhc_*` parsers.
   */
  wlcgResources?: readonly string[];
  /** OIM feeds for the `oim_*` transforms. */
  oim?: OimData;
}

/** A results function: SQL rows (arrays in select order) in, data and metadata out. */
export type ResultsFunction = (
  rows: readonly (readonly unknown[])[],
  vars: ResultsVars,
  ctx: ResultsContext,
) => ResultsOutput;

/**
 * A transform, called like Python's `transform(*cols, **kw)`: `args` holds the key's columns in
 * ascending index order (a data transform gets the one value). A pivot transform that returns
 * `null` drops the row.
 */
export type Transform = (args: readonly Value[], kw: ResultsVars, ctx: ResultsContext) => Value;
