/**
 * GW's opportunistic-usage parsers: `results_parser` with a pivot transform that classifies each
 * (VO, facility) pivot as owned or opportunistic from the VO → resource ownership list.
 */
import { AppError } from '../../common/index.js';
import { varText } from './columns.js';
import { badInput, dataError } from './errors.js';
import { makePerc, makePerc2, makePercSimple } from './percentages.js';
import { toPivotGroupData, type PivotTable } from './pivot-table.js';
import { parseSimple } from './pivot-parsers.js';
import { asciiLower, keyId, keyString } from './python-values.js';
import { parsePivotGroupTable } from './results-parser.js';
import type { ResultsContext, ResultsFunction, ResultsOutput, ResultsVars, Scalar, Transform, Value } from './types.js';

const OWNED = 'Owned';

/** A pivot column a classifier needs, or the failure Python gave (IndexError) when it is missing. */
function part(args: readonly Value[], i: number, parser: string): Value {
  const v = args[i];
  if (v === undefined) throw badInput('pivots', `${parser} needs the pivots VO, facility (got ${args.length} column${args.length === 1 ? '' : 's'})`);
  return v;
}

function text(v: Value, parser: string): string {
  if (typeof v !== 'string') throw dataError(`${parser}: expected text in the VO/facility pivot, got ${keyString(v)}`);
  return v;
}

/** `pivot in vo_listing`: the pivot tuple equals one (vo, resource) pair exactly. */
function inListing(args: readonly Value[], listing: readonly (readonly [string, string])[]): boolean {
  return args.length === 2 && listing.some(([vo, resource]) => args[0] === vo && args[1] === resource);
}

/** GW's `voownership()` listing with VOs lower-cased (`get_vo_listing`, `RegistrationQueries.ownership_query`). */
function lowerListing(ctx: ResultsContext): (readonly [string, string])[] {
  return ctx.ownership.map((o) => [asciiLower(o.vo), o.resource] as const);
}

/** `get_gratia_ownership`: the pairs as given (GW mapped OIM VO names to Gratia's before comparing). */
function exactListing(ctx: ResultsContext): (readonly [string, string])[] {
  return ctx.ownership.map((o) => [o.vo, o.resource] as const);
}

function pivotGroup(rows: readonly (readonly unknown[])[], vars: ResultsVars, ctx: ResultsContext, pivotTransform: Transform): PivotTable {
  return parsePivotGroupTable(rows, vars, ctx, { pivotTransform });
}

function output(table: PivotTable): ResultsOutput {
  return { data: toPivotGroupData(table), metadata: { kind: 'pivot-group' } };
}

/** Percentages of each group's total, then the `Owned` pivot removed (the `*_perc` parsers). */
function opportunisticShare(table: PivotTable): ResultsOutput {
  makePerc(table);
  table.delete(keyId(OWNED));
  return output(table);
}

/** `opportunistic_usage_parser(vo=)`: the facility pivot, minus the facilities `vo` owns. */
export const opportunisticUsageParser: ResultsFunction = (rows, vars, ctx) => {
  const vo = asciiLower(varText(vars, 'vo', 'Unknown'));
  const owned = new Set(ctx.ownership.filter((o) => asciiLower(o.vo) === vo).map((o) => o.resource));
  return output(
    pivotGroup(rows, vars, ctx, (args) => {
      if (args.length !== 1) throw badInput('pivots', `opportunistic_usage_parser takes the facility pivot alone (got ${args.length} columns)`);
      const facility = part(args, 0, 'opportunistic_usage_parser');
      return typeof facility === 'string' && owned.has(facility) ? null : facility;
    }),
  );
};

/** True when (VO, facility) is owned, both compared case-insensitively (parser2, by_vo_facility). */
function ownedIgnoringCase(args: readonly Value[], ctx: ResultsContext, parser: string): boolean {
  const vo = part(args, 0, parser);
  const facility = part(args, 1, parser);
  return ctx.ownership.some((o) => asciiLower(text(vo, parser)) === asciiLower(o.vo) && asciiLower(text(facility, parser)) === asciiLower(o.resource));
}

/** `opportunistic_usage_parser2`: pivot (VO, facility) → `Owned` or `Opportunistic`. */
export const opportunisticUsageParser2: ResultsFunction = (rows, vars, ctx) =>
  output(pivotGroup(rows, vars, ctx, (args) => (ownedIgnoringCase(args, ctx, 'opportunistic_usage_parser2') ? OWNED : 'Opportunistic')));

/** `opportunistic_usage_parser_by_vo_facility`: pivot → `vo-facility-Owned` or `vo-facility-Opportunistic`. */
export const opportunisticUsageParserByVoFacility: ResultsFunction = (rows, vars, ctx) => {
  const parser = 'opportunistic_usage_parser_by_vo_facility';
  return output(
    pivotGroup(rows, vars, ctx, (args) => {
      const owned = ownedIgnoringCase(args, ctx, parser);
      return `${text(part(args, 0, parser), parser)}-${text(part(args, 1, parser), parser)}-${owned ? OWNED : 'Opportunistic'}`;
    }),
  );
};

/** `opportunistic_usage_parser3`: pivot (VO, facility) → `Owned` or `Opportunistic`, exact match. */
export const opportunisticUsageParser3: ResultsFunction = (rows, vars, ctx) => {
  const listing = exactListing(ctx);
  return output(pivotGroup(rows, vars, ctx, (args) => (inListing(args, listing) ? OWNED : 'Opportunistic')));
};

/** `opportunistic_usage_parser4`: owned rows dropped, every other pivot → `Opportunistic`. */
export const opportunisticUsageParser4: ResultsFunction = (rows, vars, ctx) => {
  const listing = lowerListing(ctx);
  return output(pivotGroup(rows, vars, ctx, (args) => (inListing(args, listing) ? null : 'Opportunistic')));
};

/** `opportunistic_usage_parser5`: owned rows dropped, pivot → the VO lower-cased (opportunistic usage by VO). */
export const opportunisticUsageParser5: ResultsFunction = (rows, vars, ctx) => {
  const listing = lowerListing(ctx);
  const parser = 'opportunistic_usage_parser5';
  return output(pivotGroup(rows, vars, ctx, (args) => (inListing(args, listing) ? null : asciiLower(text(part(args, 0, parser), parser)))));
};

/** `opportunistic_usage_parser_sites`: owned rows dropped, pivot → the facility. */
export const opportunisticUsageParserSites: ResultsFunction = (rows, vars, ctx) => {
  const listing = lowerListing(ctx);
  return output(pivotGroup(rows, vars, ctx, (args) => (inListing(args, listing) ? null : part(args, 1, 'opportunistic_usage_parser_sites'))));
};

/** `opportunistic_usage_parser_sites_perc`: each facility's share of the group's total, owned usage counted but not shown. */
export const opportunisticUsageParserSitesPerc: ResultsFunction = (rows, vars, ctx) => {
  const listing = lowerListing(ctx);
  return opportunisticShare(pivotGroup(rows, vars, ctx, (args) => (inListing(args, listing) ? OWNED : part(args, 1, 'opportunistic_usage_parser_sites_perc'))));
};

/** `opportunistic_usage_parser_vos_perc`: each VO's opportunistic share of the group's total. */
export const opportunisticUsageParserVosPerc: ResultsFunction = (rows, vars, ctx) => {
  const listing = lowerListing(ctx);
  return opportunisticShare(pivotGroup(rows, vars, ctx, (args) => (inListing(args, listing) ? OWNED : part(args, 0, 'opportunistic_usage_parser_vos_perc'))));
};

/** `opportunistic_usage_parser_perc`: the opportunistic share of each group's total. */
export const opportunisticUsageParserPerc: ResultsFunction = (rows, vars, ctx) => {
  const listing = lowerListing(ctx);
  return opportunisticShare(pivotGroup(rows, vars, ctx, (args) => (inListing(args, listing) ? OWNED : 'Opportunistic')));
};

function ownedPrefixed(i: 0 | 1, parser: string, ctx: ResultsContext): Transform {
  const listing = lowerListing(ctx);
  return (args) => {
    const name = part(args, i, parser);
    if (!inListing(args, listing)) return name;
    return `${OWNED}${text(name, parser)}`;
  };
}

/** `opportunistic_usage_perc_sites`: per facility, the tuple (owned, opportunistic) — percentages unless `do_perc` lacks a "t". */
export const opportunisticUsagePercSites: ResultsFunction = (rows, vars, ctx) =>
  output(makePerc2(pivotGroup(rows, vars, ctx, ownedPrefixed(1, 'opportunistic_usage_perc_sites', ctx)), OWNED, varText(vars, 'do_perc', 'True')));

/** `opportunistic_usage_perc_vos`: per VO, the tuple (owned, opportunistic). */
export const opportunisticUsagePercVos: ResultsFunction = (rows, vars, ctx) =>
  output(makePerc2(pivotGroup(rows, vars, ctx, ownedPrefixed(0, 'opportunistic_usage_perc_vos', ctx)), OWNED, varText(vars, 'do_perc', 'True')));

/** `opp_usage_simple_perc`: a pivot result of `Owned` / `Opportunistic`, as percentages of the total. */
export const oppUsageSimplePerc: ResultsFunction = (rows, vars, ctx) => {
  const listing = lowerListing(ctx);
  const entries = parseSimple(rows, vars, ctx, (args) => (inListing(args, listing) ? OWNED : 'Opportunistic'));
  makePercSimple(entries);
  return { data: { kind: 'pivot', entries }, metadata: { kind: 'pivot' } };
};

const USLHC = 'Opportunistic usage of USLHC resources';
const OTHER_OPPORTUNISTIC = 'All other opportunistic usage';

function wlcgResources(ctx: ResultsContext, parser: string): Set<Scalar> {
  if (!ctx.wlcgResources) {
    throw new AppError('unavailable', `${parser} needs the WLCG resource list (GW's resource_to_federation), which is not configured`, { parser });
  }
  return new Set(ctx.wlcgResources);
}

/** `uslhc_opportunistic_provided_perc`: opportunistic usage split into USLHC resources vs the rest, as percentages. */
export const uslhcOpportunisticProvidedPerc: ResultsFunction = (rows, vars, ctx) => {
  const listing = exactListing(ctx);
  const wlcg = wlcgResources(ctx, 'uslhc_opportunistic_provided_perc');
  const table = pivotGroup(rows, vars, ctx, (args) => {
    if (inListing(args, listing)) return null;
    const facility = part(args, 1, 'uslhc_opportunistic_provided_perc');
    return !Array.isArray(facility) && wlcg.has(facility) ? USLHC : OTHER_OPPORTUNISTIC;
  });
  makePerc(table);
  if (varText(vars, 'show_only_uslhc', 'False') === 'True') table.delete(keyId(OTHER_OPPORTUNISTIC));
  return output(table);
};

function opportunisticAtWlcg(atWlcg: boolean, parser: string): ResultsFunction {
  return (rows, vars, ctx) => {
    const listing = exactListing(ctx);
    const wlcg = wlcgResources(ctx, parser);
    return output(
      pivotGroup(rows, vars, ctx, (args) => {
        if (inListing(args, listing)) return null;
        const facility = part(args, 1, parser);
        const isWlcg = !Array.isArray(facility) && wlcg.has(facility);
        return isWlcg === atWlcg ? args.map((a) => (Array.isArray(a) ? keyString(a) : a)) : null;
      }),
    );
  };
}

/** `uslhc_opportunistic_provided_sites`: opportunistic (VO, facility) pivots at WLCG resources. */
export const uslhcOpportunisticProvidedSites = opportunisticAtWlcg(true, 'uslhc_opportunistic_provided_sites');

/** `nonuslhc_opportunistic_provided_sites`: opportunistic (VO, facility) pivots elsewhere. */
export const nonuslhcOpportunisticProvidedSites = opportunisticAtWlcg(false, 'nonuslhc_opportunistic_provided_sites');
