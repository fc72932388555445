/** The transforms: make_*, echo, adjust_time, comma_separeted_pivot_arr, displayName and the OIM mappings. */
import { describe, expect, it } from 'vitest';
import { AppError } from '../../common/index.js';
import { resolveTransform, type ResultsContext, type ResultsVars, type Value } from '../../query-engine/results/index.js';

const ctx: ResultsContext = {
  ownership: [],
  now: new Date(0),
  oim: {
    resourceGroups: [
      { name: 'Nebraska', resources: [{ name: 'Nebraska-Red', wlcgAccountingName: 'T2_US_Nebraska' }, { name: 'Nebraska-Tusker' }] },
      { name: 'MIT', resources: [{ name: 'MIT_CMS' }] },
    ],
    voNames: ['CMS', 'ATLAS'],
    voFieldsOfScience: [{ vo: 'cms', field: 'High Energy Physics' }],
    projectFieldsOfScience: [{ project: ' osg-staff ', field: ' Computer Science ' }],
  },
};

function call(name: string, args: Value[], kw: ResultsVars = {}, c: ResultsContext = ctx): Value {
  const t = resolveTransform(name);
  if (!t) throw new Error(`${name} does not resolve`);
  return t(args, kw, c);
}

describe('generic transforms', () => {
  it('make_int truncates numbers and DECIMAL text; make_float and make_string convert like Python', () => {
    expect(call('make_int', ['1467158400.000000'])).toBe(1467158400);
    expect(call('make_int', [12.9])).toBe(12);
    expect(call('make_int', [-3.7])).toBe(-3);
    expect(() => call('make_int', ['abc'])).toThrow(AppError);
    expect(() => call('make_int', [null])).toThrow(AppError);
    expect(call('make_float', [' 1e3 '])).toBe(1000);
    expect(() => call('make_float', ['x'])).toThrow(AppError);
    expect(call('make_string', [2.5])).toBe('2.5');
    expect(call('make_string', [null])).toBe('None');
    expect(call('make_string', [['a', 1]])).toBe("('a', 1)");
  });

  it('echo returns one argument as is and several as a tuple', () => {
    expect(call('echo', ['cms'])).toBe('cms');
    expect(call('echo', ['cms', 3])).toEqual(['cms', 3]);
    expect(call(' echo ', [[1, 2]])).toEqual([1, 2]);
  });

  it('adjust_time shifts a time by adjust_hours', () => {
    expect(call('adjust_time', ['2016-06-28 00:00:00'], { adjust_hours: '-5' })).toBe(1467072000 - 5 * 3600);
    expect(call('adjust_time', [1467072000])).toBe(1467072000);
    expect(() => call('adjust_time', ['never'])).toThrow(AppError);
  });

  it('comma_separeted_pivot_arr joins pivots, dropping rows with None, blank or unknown parts unless told not to', () => {
    expect(call('comma_separeted_pivot_arr', ['Nebraska', 'cms'])).toBe('Nebraska, cms');
    expect(call('comma_separeted_pivot_arr', ['Nebraska', null])).toBeNull();
    expect(call('comma_separeted_pivot_arr', ['UNKNOWN', 'cms'])).toBeNull();
    expect(call('comma_separeted_pivot_arr', [' ', 'cms'])).toBeNull();
    const keep = { 'exclude-empty-nulls-unkowns': 'NO' };
    expect(call('comma_separeted_pivot_arr', ['Nebraska', null], keep)).toBe('Nebraska, Unknown');
    expect(call('comma_separeted_pivot_arr', ['', 'unknown'], keep)).toBe('Unknown, unknown');
  });
});

describe('displayName', () => {
  it('takes the last non-numeric CN, upper-cased, without a trailing number', () => {
    expect(call('displayName', ['/DC=org/DC=doegrids/OU=People/CN=Brian Bockelman 504307'])).toBe('BRIAN BOCKELMAN');
    expect(call('displayName', ['/DC=ch/DC=cern/OU=Users/CN=bbockelm/CN=659869/CN=Brian Paul Bockelman'])).toBe('BRIAN PAUL BOCKELMAN');
    expect(call('displayName', ['/DC=org/CN=Jane  Doe/CN=proxy'])).toBe('JANE DOE');
  });

  it('steps back over a CN naming a uid, and keeps a Generic user DN whole', () => {
    expect(call('displayName', ['/DC=org/CN=John Smith/CN=UID:jsmith'])).toBe('JOHN SMITH');
    expect(call('displayName', ['/DC=org/CN=Generic glow user'])).toBe('/DC=ORG/CN=GENERIC GLOW USER');
  });

  it('the site variants append the site, an empty name giving 0 or dropping the row', () => {
    expect(call('displayNameSite', ['/CN=Jane Doe', 'Nebraska'])).toBe('JANE DOE @ Nebraska');
    expect(call('displayNameSite', ['', 'Nebraska'])).toBe(0);
    expect(call('displayNameCommaSite', ['/CN=Jane Doe', 'Nebraska'])).toBe('JANE DOE , Nebraska');
    expect(call('displayNameCommaSite', ['', 'Nebraska'])).toBeNull();
    expect(() => call('displayNameSite', ['/CN=Jane Doe'])).toThrow(AppError);
  });
});

describe('OIM transforms', () => {
  it('oim_resource_filter maps a resource group to its first resource, and to groups or WLCG names on request', () => {
    expect(call('oim_resource_filter', ['Nebraska'])).toBe('Nebraska-Red');
    expect(call('oim_resource_filter', ['Nebraska-Tusker'])).toBe('Nebraska-Tusker');
    expect(call('oim_resource_filter', ['Elsewhere'])).toBe('Elsewhere');
    expect(call('oim_resource_filter', ['Nebraska-Tusker'], { group: 'resource_group' })).toBe('Nebraska');
    expect(call('oim_resource_filter', ['Nebraska'], { group: 'wlcg' })).toBe('T2_US_Nebraska');
    expect(call('oim_resource_filter', ['MIT'], { group: 'wlcg' })).toBeNull();
  });

  it('oim_vo_filter returns OIM’s spelling or drops the row', () => {
    expect(call('oim_vo_filter', ['cms'])).toBe('CMS');
    expect(call('oim_vo_filter', ['ligo'])).toBeNull();
  });

  it('oim_vo_project_fos_filter prefers the project’s field, then the VO’s, and applies fos / exclude-fos', () => {
    expect(call('oim_vo_project_fos_filter', ['CMS', 'OSG-STAFF'])).toBe('Computer Science');
    expect(call('oim_vo_project_fos_filter', ['CMS', 'UNKNOWN'])).toBe('High Energy Physics');
    expect(call('oim_vo_project_fos_filter', ['LIGO', null])).toBe('Multi-Science Community');
    expect(call('oim_vo_project_fos_filter', ['CMS', 'UNKNOWN'], { 'exclude-fos': 'high.*' })).toBeNull();
    expect(call('oim_vo_project_fos_filter', ['CMS', 'OSG-STAFF'], { fos: 'comp' })).toBe('Computer Science');
    expect(call('oim_vo_project_fos_filter', ['CMS', 'UNKNOWN'], { fos: 'comp' })).toBeNull();
    expect(call('displayVOProjectFosCommaSite', ['CMS', 'OSG-STAFF', 'Nebraska'])).toBe('Computer Science, Nebraska');
  });

  it('reports the missing OIM feed as unavailable', () => {
    let err: unknown;
    try {
      call('oim_resource_filter', ['Nebraska'], {}, { ownership: [], now: new Date(0) });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('unavailable');
  });
});
