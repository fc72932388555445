/** GW's :opportunistic-filter: BOTH → TRUE, OWNED → owned VO/resource terms, OPPORTUNISTIC → NOT of them; names and ids are bound. */
import { describe, expect, it } from 'vitest';
import type { Ownership } from '../../query-engine/results/index.js';
import { buildOpportunisticFilter, renderSql, type OwnershipLookup } from '../../query-engine/sql/index.js';
import { caughtAppError } from '../support/app-error.js';

const ownership: Ownership[] = [
  { vo: 'CMS', resource: 'Nebraska' },
  { vo: 'cms', resource: 'UCSDT2' },
  { vo: 'ATLAS', resource: 'MWT2' },
  { vo: 'osg', resource: 'Nebraska' },
  { vo: 'ghost', resource: 'Nowhere' },
  { vo: 'ligo', resource: 'NoProbes' },
];

const calls: [string, string][] = [];
const lookup: OwnershipLookup = (vo, resource) => {
  calls.push([vo, resource]);
  const corrids: Record<string, number[]> = { cms: [1, 2], atlas: [3], osg: [9], ligo: [5] };
  const probes: Record<string, string[]> = {
    nebraska: ['condor:red.unl.edu', 'pbs:ff.unl.edu'],
    ucsdt2: ['condor:osg.ucsd.edu'],
    mwt2: ['condor:uct2.mwt2.org'],
  };
  return { vocorrids: corrids[vo] ?? [], probes: probes[resource] ?? [], hostDescriptions: [resource] };
};

const build = (value: string | undefined, resourceType: string | undefined = '^Batch$') =>
  buildOpportunisticFilter({ value, resourceType, ownership, lookup });

describe('buildOpportunisticFilter', () => {
  it('BOTH is TRUE and needs no ownership data', () => {
    expect(buildOpportunisticFilter({ value: 'BOTH' })).toEqual({ sql: 'TRUE', params: [] });
  });

  it('OWNED on Batch: one term per owning VO with its corrids and the probes of its sites; osg, unknown VOs and probe-less sites add none', () => {
    calls.length = 0;
    expect(build('OWNED')).toEqual({
      sql: '(FALSE OR (R.VOcorrid IN (?, ?) AND R.ProbeName IN (?, ?, ?)) OR (R.VOcorrid IN (?) AND R.ProbeName IN (?)))',
      params: [1, 2, 'condor:red.unl.edu', 'pbs:ff.unl.edu', 'condor:osg.ucsd.edu', 3, 'condor:uct2.mwt2.org'],
    });
    // Lookups get lowercase names, as GW keyed them; osg is never looked up.
    expect(calls).toEqual([['cms', 'nebraska'], ['cms', 'ucsdt2'], ['atlas', 'mwt2'], ['ghost', 'nowhere'], ['ligo', 'noprobes']]);
  });

  it('OWNED on BatchPilot matches lower(HostDescription) against the resource names', () => {
    expect(build('OWNED', 'BatchPilot')).toEqual({
      sql:
        '(FALSE OR (R.VOcorrid IN (?, ?) AND lower(R.HostDescription) IN (?, ?)) OR (R.VOcorrid IN (?) AND lower(R.HostDescription) IN (?))' +
        ' OR (R.VOcorrid IN (?) AND lower(R.HostDescription) IN (?)))',
      params: [1, 2, 'nebraska', 'ucsdt2', 3, 'mwt2', 5, 'noprobes'],
    });
  });

  it('OPPORTUNISTIC is NOT of the owned terms; no owners means everything is opportunistic', () => {
    const owned = build('OWNED');
    expect(build('OPPORTUNISTIC')).toEqual({ sql: `NOT ${owned.sql}`, params: owned.params });
    expect(buildOpportunisticFilter({ value: 'OPPORTUNISTIC', resourceType: 'Batch', ownership: [], lookup })).toEqual({ sql: 'NOT (FALSE)', params: [] });
  });

  it('resource-type is matched like re.match: from the start, any case; Batch wins when both match', () => {
    expect(build('OWNED', '.*').sql).toContain('R.ProbeName IN');
    expect(build('OWNED', 'batch').sql).toContain('R.ProbeName IN');
    expect(build('OWNED', 'batchpilot').sql).toContain('lower(R.HostDescription) IN');
  });

  it('refuses other values, naming the input', () => {
    for (const value of ['both', 'ALL', "' OR '1'='1", '']) {
      const err = caughtAppError(() => build(value));
      expect(err.code).toBe('bad_request');
      expect(err.message).toBe(`input "opportunistic-filter": "${value}" must be one of BOTH, OWNED, OPPORTUNISTIC`);
    }
    expect(caughtAppError(() => build(undefined)).message).toBe('input "opportunistic-filter" is missing; it must be one of BOTH, OWNED, OPPORTUNISTIC');
  });

  it('refuses a resource-type that selects neither Batch nor BatchPilot, or is missing or invalid', () => {
    expect(caughtAppError(() => build('OWNED', 'OneVM')).message).toBe('input "resource-type": "OneVM" must select Batch or BatchPilot for opportunistic-filter=OWNED');
    expect(caughtAppError(() => buildOpportunisticFilter({ value: 'OWNED', ownership, lookup })).code).toBe('bad_request');
    expect(caughtAppError(() => build('OWNED', '(')).message).toBe(
      'input "resource-type": "(" is not a valid regular expression: missing closing ) (patterns use RE2 syntax)',
    );
  });

  it('without ownership data OWNED is unavailable, not wrong', () => {
    expect(caughtAppError(() => buildOpportunisticFilter({ value: 'OWNED', resourceType: 'Batch' })).code).toBe('unavailable');
  });

  it('names from OIM are bound, never spliced', () => {
    const evil: OwnershipLookup = () => ({ vocorrids: [7], probes: ["x') OR 1=1 -- "], hostDescriptions: [] });
    const f = buildOpportunisticFilter({ value: 'OWNED', resourceType: 'Batch', ownership: [{ vo: "'; DROP TABLE VO; --", resource: 'r' }], lookup: evil });
    expect(f.sql).not.toContain('DROP');
    expect(f.sql).not.toContain('OR 1=1');
    const r = renderSql('SELECT 1 FROM MasterSummaryData R WHERE :opportunistic-filter', { 'opportunistic-filter': { type: 'string', value: 'OWNED' } }, 'mysql', {
      fragments: { 'opportunistic-filter': f },
    });
    expect(r).toEqual({ sql: 'SELECT 1 FROM MasterSummaryData R WHERE (FALSE OR (R.VOcorrid IN (?) AND R.ProbeName IN (?)))', params: [7, "x') OR 1=1 -- "] });
  });
});
