/**
 * Request patterns are compiled by RE2: globs keep their shell meaning, the SQLite REGEXP emulation (inline and in
 * its query workers) keeps MySQL's case rules and word markers, and backtracking-only syntax is a 400 naming it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError, compileMatchFromStart, compilePattern } from '../../common/index.js';
import { globMatcher } from '../../collector/globs.js';
import { checkMySqlRegexp, gratiaMigrations, type Store } from '../../store/index.js';
import { testBackends } from '../support/stores.js';

function refusal(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('a refused pattern is a 400 naming the input and the feature', () => {
  const cases: [string, string][] = [
    ['(a)\\1', 'backreference \\1'],
    ['(?P<v>a)(?P=v)', 'backreference (?P='],
    ['(?<v>a)\\k<v>', 'backreference \\k'],
    ['a(?=b)', 'lookahead (?='],
    ['a(?!b)', 'negative lookahead (?!'],
    ['(?<=a)b', 'lookbehind (?<='],
    ['(?<!a)b', 'negative lookbehind (?<!'],
    ['a*+', 'possessive quantifier *+'],
    ['(?>a+)b', 'atomic group (?>'],
    ['(a|(?R))', 'recursion (?R'],
  ];
  for (const [pattern, feature] of cases) {
    it(`${pattern} → ${feature}`, () => {
      const err = refusal(() => compilePattern(pattern, { input: 'vo' }));
      expect(err.code).toBe('bad_request');
      expect(err.message).toBe(`input "vo": ${feature} is not supported (patterns use RE2 syntax)`);
      expect(err.context).toMatchObject({ input: 'vo', feature });
    });
  }

  it('an invalid pattern says why, and where', () => {
    expect(refusal(() => compilePattern('(unclosed', { input: 'user' })).message).toBe(
      'input "user": "(unclosed" is not a valid regular expression: missing closing ) (patterns use RE2 syntax)',
    );
    expect(refusal(() => compileMatchFromStart('a)|(b', { input: 'resource-type' })).message).toMatch(/^input "resource-type": "a\)\|\(b" is not a valid/);
  });

  it('the MySQL check is the same RE2 check, with MySQL word markers allowed', () => {
    expect(() => checkMySqlRegexp('[[:<:]]cms[[:>:]]|^[[:alpha:]]+$', 'vo')).not.toThrow();
    expect(refusal(() => checkMySqlRegexp('(?<=x)cms', 'vo')).message).toBe('input "vo": lookbehind (?<= is not supported (patterns use RE2 syntax)');
  });

  it('matches in linear time what a backtracking engine takes minutes over', () => {
    const started = performance.now();
    expect(compileMatchFromStart('(.*){30}Z', { input: 'resource-type', caseInsensitive: true }).test('BatchPilot')).toBe(false);
    expect(compilePattern('(.*){40}Z', { input: 'user' }).test(`/DC=org/CN=${'x'.repeat(10_000)}`)).toBe(false);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});

describe('globs keep their meaning under RE2', () => {
  it('* is any run of characters (dots too), ? is one, the rest is literal, the whole name must match', () => {
    const m = globMatcher(['cpu.*', 'node-??', 'a+b(c)[d]$']);
    expect(['cpu.load', 'cpu.', 'cpu.x.y', 'node-01', 'a+b(c)[d]$'].map(m)).toEqual([true, true, true, true, true]);
    expect(['cpux', 'xcpu.load', 'node-1', 'node-001', 'a+bb(c)[d]$'].map(m)).toEqual([false, false, false, false, false]);
  });

  it('an empty list matches everything and a plain name only itself', () => {
    expect(globMatcher([])('anything')).toBe(true);
    expect(globMatcher(['wn1'])('wn1')).toBe(true);
    expect(globMatcher(['wn1'])('wn10')).toBe(false);
  });

  it('a run of stars is one star, and a hostile glob answers at once', () => {
    const m = globMatcher([`${'*'.repeat(20)}Z`]);
    const started = performance.now();
    expect(m(`wn-${'a'.repeat(200)}`)).toBe(false);
    expect(m(`wn-${'a'.repeat(200)}Z`)).toBe(true);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});

describe.each(testBackends())('REGEXP on $name with RE2-checked patterns', (backend) => {
  let store: Store;
  let dispose: () => Promise<void>;
  // Within CommonName's 255 characters; far past what a backtracking engine gets through for (.*){40}Z.
  const longName = `/DC=org/CN=${'x'.repeat(200)}`;

  beforeAll(async () => {
    const db = await backend.create();
    dispose = db.dispose;
    store = db.open();
    await store.migrate(gratiaMigrations);
    await store.insertMany('MasterSummaryData', ['EndTime', 'VOcorrid', 'ProbeName', 'ResourceType', 'CommonName'], [
      ['2026-11-20 00:00:00', 1, 'condor:ce', 'Batch', 'a cms user'],
      ['2026-11-20 00:00:00', 1, 'condor:ce', 'Batch', 'uscms'],
      ['2026-11-20 00:00:00', 1, 'condor:ce', 'Batch', longName],
    ]);
  });
  afterAll(async () => {
    await store?.close();
    await dispose?.();
  });

  const users = async (pattern: string, timeoutMs?: number) =>
    (
      await store.query<{ CommonName: string }>(
        'SELECT CommonName FROM MasterSummaryData R WHERE R.CommonName REGEXP ? ORDER BY CommonName',
        [pattern],
        timeoutMs === undefined ? {} : { timeoutMs },
      )
    ).map((r) => r.CommonName);

  it('reads MySQL word markers and POSIX classes, case-insensitively on an ordinary column', async () => {
    expect(await users('[[:<:]]CMS[[:>:]]')).toEqual(['a cms user']);
    expect(await users('^[[:alpha:]]+$')).toEqual(['uscms']);
  });

  it('answers a hostile pattern at once, inline and on a query worker', async () => {
    const started = Date.now();
    expect(await users('(.*){40}Z')).toEqual([]);
    expect(await users('(.*){40}Z', 30_000)).toEqual([]);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it.runIf(backend.name === 'sqlite')('refuses a backreference inline and on a query worker with the same 400', async () => {
    for (const timeoutMs of [undefined, 30_000]) {
      await expect(users('(cms)\\1', timeoutMs)).rejects.toMatchObject({
        code: 'bad_request',
        message: 'input "regexp": backreference \\1 is not supported (patterns use RE2 syntax)',
      });
    }
  });
});
