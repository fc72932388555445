/** Results functions by the dotted names configs use (`<results module="..." function="...">`). */
import { resultsParserFillin } from './fillin-parser.js';
import { histogramParser } from './histogram-parser.js';
import * as opp from './opportunistic-parsers.js';
import { complexPivotParser, simpleResultsParser } from './pivot-parsers.js';
import { resultsParser } from './results-parser.js';
import { rsvDailyParser, rsvParser, rsvTotalParser, specialResourceGroupParser1, specialResourceGroupParser2 } from './rsv-parsers.js';
import { nonHepFilter, nonHepFilterSimple, nonhepScienceClassifier, nonPhysicsFilter, scienceClassifier } from './science-classifiers.js';
import { siteSizeParser, siteSizeParser2 } from './site-size-parsers.js';
import { availabilityParser, availabilityTotalParser } from './availability-parser.js';
import { tableParser } from './table-parser.js';
import { cumulativePivotGroupParser, pivotGroupParserPlus } from './time-fill-parsers.js';
import type { ResultsFunction } from './types.js';

const GRAPHTOOL_MODULE = 'graphtool.database.query_handler';
const GRATIA_MODULE = 'gratia.database.query_handler';
const METRICS_MODULE = 'gratia.database.metrics';

const GRAPHTOOL_FUNCTIONS = {
  results_parser: resultsParser,
  simple_results_parser: simpleResultsParser,
  complex_pivot_parser: complexPivotParser,
  cumulative_pivot_group_parser: cumulativePivotGroupParser,
  pivot_group_parser_plus: pivotGroupParserPlus,
  histogram_parser: histogramParser,
} satisfies Record<string, ResultsFunction>;

// GW's modules also expose the GraphTool parsers they import, and configs name them that way.
const GRATIA_FUNCTIONS = {
  results_parser: resultsParser,
  simple_results_parser: simpleResultsParser,
  pivot_group_parser_plus: pivotGroupParserPlus,
  results_parser_fillin: resultsParserFillin,
  table_parser: tableParser,
  rsv_parser: rsvParser,
  rsv_daily_parser: rsvDailyParser,
  rsv_total_parser: rsvTotalParser,
  special_resource_group_parser1: specialResourceGroupParser1,
  special_resource_group_parser2: specialResourceGroupParser2,
  opportunistic_usage_parser: opp.opportunisticUsageParser,
  opportunistic_usage_parser2: opp.opportunisticUsageParser2,
  opportunistic_usage_parser3: opp.opportunisticUsageParser3,
  opportunistic_usage_parser4: opp.opportunisticUsageParser4,
  opportunistic_usage_parser5: opp.opportunisticUsageParser5,
  opportunistic_usage_parser_by_vo_facility: opp.opportunisticUsageParserByVoFacility,
  opportunistic_usage_parser_sites: opp.opportunisticUsageParserSites,
  opportunistic_usage_parser_sites_perc: opp.opportunisticUsageParserSitesPerc,
  opportunistic_usage_parser_vos_perc: opp.opportunisticUsageParserVosPerc,
  opportunistic_usage_parser_perc: opp.opportunisticUsageParserPerc,
  opportunistic_usage_perc_sites: opp.opportunisticUsagePercSites,
  opportunistic_usage_perc_vos: opp.opportunisticUsagePercVos,
  opp_usage_simple_perc: opp.oppUsageSimplePerc,
  uslhc_opportunistic_provided_perc: opp.uslhcOpportunisticProvidedPerc,
  uslhc_opportunistic_provided_sites: opp.uslhcOpportunisticProvidedSites,
  nonuslhc_opportunistic_provided_sites: opp.nonuslhcOpportunisticProvidedSites,
} satisfies Record<string, ResultsFunction>;

const METRICS_FUNCTIONS = {
  results_parser: resultsParser,
  simple_results_parser: simpleResultsParser,
  complex_pivot_parser: complexPivotParser,
  site_size_parser: siteSizeParser,
  site_size_parser2: siteSizeParser2,
  // Fields of science from the topology registry's OIM feed (RSVQueries.field_of_science).
  non_HEP_filter: nonHepFilter,
  non_hep_filter_simple: nonHepFilterSimple,
  non_physics_filter: nonPhysicsFilter,
  science_classifier: scienceClassifier,
  nonhep_science_classifier: nonhepScienceClassifier,
} satisfies Record<string, ResultsFunction>;

// The appliance's own: WLCG availability and reliability from probe results (config/rsv_availability_queries.xml).
const APPLIANCE_RSV_MODULE = 'appliance.rsv';
const APPLIANCE_RSV_FUNCTIONS = {
  availability_parser: availabilityParser,
  availability_total_parser: availabilityTotalParser,
} satisfies Record<string, ResultsFunction>;

const MODULES: Readonly<Record<string, Readonly<Record<string, ResultsFunction>>>> = {
  [GRAPHTOOL_MODULE]: GRAPHTOOL_FUNCTIONS,
  [APPLIANCE_RSV_MODULE]: APPLIANCE_RSV_FUNCTIONS,
  [GRATIA_MODULE]: GRATIA_FUNCTIONS,
  [METRICS_MODULE]: METRICS_FUNCTIONS,
};

/** Every implemented results function as `module.function`. */
export const RESULTS_FUNCTION_NAMES: readonly string[] = Object.entries(MODULES).flatMap(([module, fns]) =>
  Object.keys(fns).map((fn) => `${module}.${fn}`),
);

const OTHER_QUERIES = 'it runs other GraphTool queries on data the appliance does not collect';

/** Results functions real configs name that the appliance knows but cannot run, as `module.function` → why. */
export const UNSUPPORTED_RESULTS_FUNCTIONS: Readonly<Record<string, string>> = {
  [`${METRICS_MODULE}.size_classifier`]: `${OTHER_QUERIES}: OIM ownership percentages, WLCG federations and resources (RSVQueries)`,
  [`${METRICS_MODULE}.site_resource_classifier`]: `${OTHER_QUERIES}: OIM ownership percentages, WLCG federations and resources (RSVQueries)`,
  [`${METRICS_MODULE}.osg_size`]: `${OTHER_QUERIES}: GIP batch-system sizes and KSI2K scores (GIPQueries) and osg_avail_size`,
  [`${METRICS_MODULE}.osg_site_size`]: `${OTHER_QUERIES}: GIP batch-system sizes and KSI2K scores (GIPQueries) and osg_avail_size`,
  [`${METRICS_MODULE}.usage_statistics`]: 'its source is not in the published Gratia-web tree, so its behaviour is unknown',
  [`${GRATIA_MODULE}.fake_parser`]: "it hands back the SQL rows unparsed, for Python callers (RSV's failed-test list, OIM ownership); no GraphTool output reads that shape",
};

/**
 * The results function `module.fn`, or `undefined`. An empty module looks the bare name up in
 * every module, as GraphTool did in its shared namespace.
 */
export function resolveResultsFunction(module: string, fn: string): ResultsFunction | undefined {
  const name = fn.trim();
  const mod = module.trim();
  const candidates = mod === '' ? Object.values(MODULES) : [MODULES[mod]];
  for (const fns of candidates) {
    if (fns && Object.hasOwn(fns, name)) return fns[name];
  }
  return undefined;
}

/** Why `module.fn` is known but not run by the appliance, or `undefined` (implemented or unknown). */
export function unsupportedResultsFunction(module: string, fn: string): string | undefined {
  const name = fn.trim();
  const mod = module.trim();
  const key = mod === '' ? Object.keys(UNSUPPORTED_RESULTS_FUNCTIONS).find((k) => k.endsWith(`.${name}`)) : `${mod}.${name}`;
  return key === undefined ? undefined : UNSUPPORTED_RESULTS_FUNCTIONS[key];
}
