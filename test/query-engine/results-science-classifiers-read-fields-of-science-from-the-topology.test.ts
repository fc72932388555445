/**
 * Gratia-web's field-of-science classifiers (gratia.database.metrics: science_classifier, nonhep_science_classifier,
 * non_HEP_filter, non_hep_filter_simple, non_physics_filter) on the topology registry's OIM feed, against answers
 * worked out by hand from metrics.py: VO names matched by substring either way, the field of lowest precedence (a
 * field outside the table always replacing, as Python 2's None < n did), HEP as High Energy Physics, Physics shown as
 * non-HEP Physics, metrics.py's extra VOs (lhcb).
 */
import { describe, expect, it } from 'vitest';
import { AppError } from '../../common/index.js';
import { resolveResultsFunction, type ResultsContext, type ResultsOutput } from '../../query-engine/results/index.js';
import { emptyTopologyData, Topology, type TopologyVo } from '../../topology/index.js';

const vo = (name: string, primaryFields: string[], secondaryFields: string[] = []): TopologyVo => ({ id: 0, name, active: true, disable: false, primaryFields, secondaryFields });
const { topology } = Topology.from([{
  ...emptyTopologyData(),
  vos: [
    vo('CMS', ['High Energy Physics'], ['USLHC']),
    vo('HCC', ['Computer Science']),
    vo('nova', ['Physics']),
    vo('OSG', ['Multi-Science Community']),
    vo('des', ['Astrophysics']),
    // Community Grid (3) first, then Biology, which is not in the precedence table and so replaces it.
    vo('glow', ['Community Grid'], ['Biology']),
  ],
}]);
const ctx: ResultsContext = { ownership: [], now: new Date(0), oim: topology.oimFeeds() };

const T1 = 1_700_000_000;
const T2 = T1 + 86_400;
const rows = [
  ['cms', T1, 10], ['cms', T2, 5], ['hcc', T1, 3], ['nova', T1, 2], ['osg', T1, 1], ['osg', T2, 1], ['des', T1, 4], ['glow', T2, 6], ['lhcb', T1, 7], ['unknownvo', T1, 8],
];
const VARS = { pivots: '0', grouping: '1', results: '2' };

function run(name: string, input: unknown[][], vars: Record<string, unknown> = VARS, context: ResultsContext = ctx): ResultsOutput {
  const fn = resolveResultsFunction('gratia.database.metrics', name);
  expect(fn, name).toBeTypeOf('function');
  return fn!(input, vars, context);
}
const nested = (out: ResultsOutput) => {
  if (out.data.kind !== 'pivot-group') throw new Error(`expected pivot-group, got ${out.data.kind}`);
  return Object.fromEntries(out.data.pivots.map((p) => [String(p.pivot), Object.fromEntries(p.groups.map((g) => [String(g.group), g.value]))]));
};

describe('science_classifier and nonhep_science_classifier', () => {
  it('turn VO pivots into OIM fields of science, summing the VOs of one field', () => {
    const out = run('science_classifier', rows);
    expect(out.metadata).toEqual({ kind: 'pivot-group' });
    expect(nested(out)).toEqual({
      USLHC: { [T1]: 10, [T2]: 5 },
      'Computer Science': { [T1]: 3 },
      'non-HEP Physics': { [T1]: 2 },
      'Multi-Science Community': { [T1]: 1, [T2]: 1 },
      Astrophysics: { [T1]: 4 },
      Biology: { [T2]: 6 },
      'High Energy Physics': { [T1]: 7 },
      Other: { [T1]: 8 },
    });
    // Two VOs of one field add up per group.
    expect(nested(run('science_classifier', [['hcc', T1, 3], ['hccsub', T1, 4], ['hcc', T2, 1]]))).toEqual({ 'Computer Science': { [T1]: 7, [T2]: 1 } });
  });

  it('take the unclassified pivot from default; nonhep drops HEP and USLHC and keeps "Other" whatever default says', () => {
    expect(nested(run('science_classifier', rows, { ...VARS, default: 'Unclassified' })).Unclassified).toEqual({ [T1]: 8 });
    const nonhep = nested(run('nonhep_science_classifier', rows, { ...VARS, default: 'Unclassified' }));
    expect(Object.keys(nonhep).sort()).toEqual(['Astrophysics', 'Biology', 'Computer Science', 'Multi-Science Community', 'Other', 'non-HEP Physics']);
  });
});

describe('the HEP and physics filters', () => {
  it('non_HEP_filter drops the VOs with a HEP field (cms by OIM, lhcb by metrics.py\'s own list)', () => {
    expect(Object.keys(nested(run('non_HEP_filter', rows)))).toEqual(['hcc', 'nova', 'osg', 'des', 'glow', 'unknownvo']);
    expect(nested(run('non_HEP_filter', rows)).hcc).toEqual({ [T1]: 3 });
  });

  it('non_physics_filter also drops the VOs whose field says physics', () => {
    expect(Object.keys(nested(run('non_physics_filter', rows)))).toEqual(['hcc', 'osg', 'glow', 'unknownvo']);
  });

  it('non_hep_filter_simple sums each VO and drops the HEP ones', () => {
    const out = run('non_hep_filter_simple', [['cms', 10], ['hcc', 3], ['hcc', 4], ['lhcb', 1], ['nova', 2]], { pivots: '0', results: '1' });
    expect(out.data).toEqual({ kind: 'pivot', entries: [{ pivot: 'hcc', value: 7 }, { pivot: 'nova', value: 2 }] });
  });

  it('without the topology feed each says which feed it needs (503), as GW failed when OIM could not be read', () => {
    for (const name of ['science_classifier', 'nonhep_science_classifier', 'non_HEP_filter', 'non_hep_filter_simple', 'non_physics_filter']) {
      const err = (() => {
        try {
          run(name, [['cms', T1, 1]], name === 'non_hep_filter_simple' ? { pivots: '0', results: '1' } : VARS, { ownership: [], now: new Date(0) });
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(err, name).toBeInstanceOf(AppError);
      expect((err as AppError).code, name).toBe('unavailable');
      expect((err as AppError).message, name).toMatch(/fieldsOfScience feed/);
    }
  });
});
