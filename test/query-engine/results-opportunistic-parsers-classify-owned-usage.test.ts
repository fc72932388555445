/** GW's opportunistic parsers: (VO, facility) pivots classified against a small ownership table. */
import { describe, expect, it } from 'vitest';
import { AppError } from '../../common/index.js';
import { keyString, resolveResultsFunction, type ResultData, type ResultsContext, type Value } from '../../query-engine/results/index.js';

const ctx: ResultsContext = {
  ownership: [
    { vo: 'CMS', resource: 'Nebraska' },
    { vo: 'cms', resource: 'MIT' },
    { vo: 'atlas', resource: 'BNL' },
  ],
  now: new Date(0),
  wlcgResources: ['BNL'],
};

// VO, facility, time, hours.
const rows = [
  ['cms', 'Nebraska', 100, 10],
  ['cms', 'BNL', 100, 5],
  ['atlas', 'BNL', 100, 20],
  ['atlas', 'Nebraska', 100, 15],
  ['CMS', 'MIT', 100, 4],
  ['cms', 'mit', 200, 1],
];

function parser(name: string): (r: unknown[][], vars?: Record<string, unknown>, c?: ResultsContext) => Record<string, Record<string, Value>> {
  const fn = resolveResultsFunction('gratia.database.query_handler', name);
  if (!fn) throw new Error(`${name} does not resolve`);
  return (r, vars = {}, c = ctx) => nested(fn(r, vars, c).data);
}

function nested(data: ResultData): Record<string, Record<string, Value>> {
  if (data.kind === 'pivot') return { '': Object.fromEntries(data.entries.map((e) => [keyString(e.pivot), e.value])) };
  if (data.kind !== 'pivot-group') throw new Error(data.kind);
  return Object.fromEntries(data.pivots.map((p) => [keyString(p.pivot), Object.fromEntries(p.groups.map((g) => [keyString(g.group), g.value]))]));
}

describe('opportunistic parsers', () => {
  it('opportunistic_usage_parser drops the facilities the vo input owns (VO compared case-insensitively)', () => {
    const facilityRows = [
      ['Nebraska', 100, 3],
      ['BNL', 100, 2],
      ['MIT', 100, 1],
      ['mit', 100, 7],
    ];
    const run = parser('opportunistic_usage_parser');
    expect(run(facilityRows, { pivots: '0', grouping: '1', results: '2', vo: 'cms', pivot_transform: 'oim_resource_filter' })).toEqual({
      BNL: { '100': 2 },
      mit: { '100': 7 },
    });
    expect(() => run(rows, { vo: 'cms' })).toThrow(AppError);
  });

  it('opportunistic_usage_parser2 and _by_vo_facility compare VO and facility ignoring case', () => {
    expect(parser('opportunistic_usage_parser2')(rows)).toEqual({ Owned: { '100': 34, '200': 1 }, Opportunistic: { '100': 20 } });
    expect(parser('opportunistic_usage_parser_by_vo_facility')(rows)).toEqual({
      'cms-Nebraska-Owned': { '100': 10 },
      'cms-BNL-Opportunistic': { '100': 5 },
      'atlas-BNL-Owned': { '100': 20 },
      'atlas-Nebraska-Opportunistic': { '100': 15 },
      'CMS-MIT-Owned': { '100': 4 },
      'cms-mit-Owned': { '200': 1 },
    });
  });

  it('opportunistic_usage_parser3 matches (VO, facility) exactly as configured', () => {
    expect(parser('opportunistic_usage_parser3')(rows)).toEqual({ Opportunistic: { '100': 34, '200': 1 }, Owned: { '100': 20 } });
  });

  it('parser4, parser5 and _sites drop owned rows (lower-cased ownership VO, exact pivot) and re-pivot the rest', () => {
    expect(parser('opportunistic_usage_parser4')(rows)).toEqual({ Opportunistic: { '100': 24, '200': 1 } });
    expect(parser('opportunistic_usage_parser5')(rows)).toEqual({ cms: { '100': 9, '200': 1 }, atlas: { '100': 15 } });
    expect(parser('opportunistic_usage_parser_sites')(rows)).toEqual({
      BNL: { '100': 5 },
      Nebraska: { '100': 15 },
      MIT: { '100': 4 },
      mit: { '200': 1 },
    });
  });

  it('the _perc parsers give each pivot’s percentage of the group total, owned usage counted then removed', () => {
    expect(parser('opportunistic_usage_parser_perc')(rows)).toEqual({ Opportunistic: { '100': (100 * 24) / 54, '200': 100 } });
    expect(parser('opportunistic_usage_parser_sites_perc')(rows)).toEqual({
      BNL: { '100': (100 * 5) / 54 },
      Nebraska: { '100': (100 * 15) / 54 },
      MIT: { '100': (100 * 4) / 54 },
      mit: { '200': 100 },
    });
    expect(parser('opportunistic_usage_parser_vos_perc')(rows)).toEqual({
      cms: { '100': (100 * 5) / 54, '200': 100 },
      atlas: { '100': (100 * 15) / 54 },
      CMS: { '100': (100 * 4) / 54 },
    });
  });

  it('opportunistic_usage_perc_sites gives (owned, opportunistic) per facility, as percentages unless do_perc says otherwise', () => {
    const run = parser('opportunistic_usage_perc_sites');
    expect(run(rows)).toEqual({
      Nebraska: { '100': [40, 60] },
      BNL: { '100': [80, 20] },
      MIT: { '100': [0, 100] },
      mit: { '200': [0, 100] },
    });
    expect(run(rows, { do_perc: 'False' })).toEqual({
      Nebraska: { '100': [10, 15] },
      BNL: { '100': [20, 5] },
      MIT: { '100': [0, 4] },
      mit: { '200': [0, 1] },
    });
    expect(parser('opportunistic_usage_perc_vos')(rows)).toEqual({
      cms: { '100': [(100 * 10) / 15, (100 * 5) / 15], '200': [0, 100] },
      atlas: { '100': [(100 * 20) / 35, (100 * 15) / 35] },
      CMS: { '100': [0, 100] },
    });
  });

  it('opp_usage_simple_perc splits a pivot result into Owned and Opportunistic percentages', () => {
    const simpleRows = [
      ['cms', 'Nebraska', 3],
      ['cms', 'BNL', 1],
    ];
    expect(parser('opp_usage_simple_perc')(simpleRows, { pivots: '0,1', results: '2' })).toEqual({ '': { Owned: 75, Opportunistic: 25 } });
  });

  it('the uslhc parsers split opportunistic usage by WLCG resources', () => {
    const perc = parser('uslhc_opportunistic_provided_perc');
    expect(perc(rows)).toEqual({
      'Opportunistic usage of USLHC resources': { '100': (100 * 5) / 34 },
      'All other opportunistic usage': { '100': (100 * 29) / 34, '200': 100 },
    });
    expect(perc(rows, { show_only_uslhc: 'True' })).toEqual({ 'Opportunistic usage of USLHC resources': { '100': (100 * 5) / 34 } });
    expect(parser('uslhc_opportunistic_provided_sites')(rows)).toEqual({ "('cms', 'BNL')": { '100': 5 } });
    expect(parser('nonuslhc_opportunistic_provided_sites')(rows)).toEqual({
      "('cms', 'Nebraska')": { '100': 10 },
      "('atlas', 'Nebraska')": { '100': 15 },
      "('CMS', 'MIT')": { '100': 4 },
      "('cms', 'mit')": { '200': 1 },
    });
    const withoutList: ResultsContext = { ownership: ctx.ownership, now: ctx.now };
    expect(() => perc(rows, {}, withoutList)).toThrow(/WLCG resource list/);
  });

  it('refuses a single pivot column where the classifier needs VO and facility', () => {
    let err: unknown;
    try {
      parser('opportunistic_usage_parser_sites')([['cms', 100, 1]], { pivots: '0', grouping: '1', results: '2' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).context.input).toBe('pivots');
  });
});
