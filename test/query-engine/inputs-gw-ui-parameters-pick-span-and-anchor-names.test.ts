/** Gratia-web's refine form: span from the range, relativetime to starttime/endtime, plain facility/vo names anchored. */
import { describe, expect, it } from 'vitest';
import { AppError } from '../../common/index.js';
import { anchorPlainName, gwSpanForRange, gwTimeParameters, gwUiParameters, resolveInputs } from '../../query-engine/inputs/index.js';

const DAY = 86400;

describe('gwSpanForRange', () => {
  it.each([
    [0, 3600],
    [4 * DAY - 1, 3600],
    [4 * DAY, DAY],
    [30 * DAY, DAY],
    [30 * DAY + 1, 7 * DAY],
    [365 * DAY - 1, 7 * DAY],
    [365 * DAY, 30 * DAY],
    [10 * 365 * DAY, 30 * DAY],
  ])('%d s → %d', (range, span) => {
    expect(gwSpanForRange(range)).toBe(span);
  });
});

describe('gwTimeParameters', () => {
  it('without relativetime sets nothing', () => {
    expect(gwTimeParameters({})).toEqual({ relTime: 'absolute', query: {} });
    expect(gwTimeParameters({ relativetime: '' })).toEqual({ relTime: 'absolute', query: {} });
  });

  it('a relative time is seconds before now, with the span from its length', () => {
    expect(gwTimeParameters({ relativetime: '604800', span: '3600' })).toEqual({
      relTime: 604800,
      query: { starttime: 'time.time()-604800', endtime: 'time.time()', span: '86400' },
    });
    expect(gwTimeParameters({ relativetime: '172800' }).query.span).toBe('3600');
    expect(gwTimeParameters({ relativetime: '31536000' }).query.span).toBe('2592000');
  });

  it('an absolute range keeps the times, and the given span or one from its length', () => {
    const given = { relativetime: 'absolute', starttime: '2016-06-01 00:00:00', endtime: '2016-06-03 00:00:00' };
    expect(gwTimeParameters(given)).toEqual({ relTime: 'absolute', query: { starttime: given.starttime, endtime: given.endtime, span: '3600' } });
    expect(gwTimeParameters({ ...given, endtime: '2016-06-20 00:00:00' }).query.span).toBe('86400');
    expect(gwTimeParameters({ ...given, span: '604800' }).query.span).toBe('604800');
    expect(gwTimeParameters({ ...given, span: 'weekly' }).query.span).toBe('3600');
  });

  it('an absolute range that does not parse falls back to the last 14 days', () => {
    const fallback = { relTime: 14 * DAY, query: { starttime: 'time.time()-1209600', endtime: 'time.time()', span: '86400' } };
    expect(gwTimeParameters({ relativetime: 'absolute', starttime: '06/01/16', endtime: '2016-06-03 00:00:00' })).toEqual(fallback);
    expect(gwTimeParameters({ relativetime: 'absolute', starttime: '2016-06-01 00:00:00' })).toEqual(fallback);
  });

  it('anything else is a 400', () => {
    const err = (() => {
      try {
        gwTimeParameters({ relativetime: '1 week' });
      } catch (e) {
        return e as AppError;
      }
      throw new Error('expected an error');
    })();
    expect(err.code).toBe('bad_request');
    expect(err.message).toBe('input "relativetime": "1 week" must be a number of seconds or "absolute"');
  });

  it('with a starttime that rounds down to its bin, N seconds back is N/span bins ending with the current one', () => {
    expect(gwTimeParameters({ relativetime: '604800' }, { startRoundsDown: true }).query).toEqual({ starttime: 'time.time()-518400', endtime: 'time.time()', span: '86400' });
    expect(gwTimeParameters({ relativetime: '86400' }, { startRoundsDown: true }).query.starttime).toBe('time.time()-82800');
    const now = new Date(Date.UTC(2016, 5, 13, 15, 27, 33));
    const r = resolveInputs(
      [[
        { name: 'span', type: 'int', kind: 'sql', default: '86400' },
        { name: 'starttime', type: 'datetime', partial: 'down', kind: 'sql', default: 'time.time()-13*86400' },
        { name: 'endtime', type: 'datetime', partial: 'up', kind: 'sql', default: 'time.time()' },
      ]],
      gwTimeParameters({ relativetime: '604800' }, { startRoundsDown: true }).query,
      { now },
    );
    // 2016-06-07 00:00:00 to 2016-06-13 23:59:59: seven days.
    expect(r.values.starttime).toEqual({ type: 'datetime', value: new Date(Date.UTC(2016, 5, 7)) });
    expect(r.values.endtime).toEqual({ type: 'datetime', value: new Date(Date.UTC(2016, 5, 13, 23, 59, 59)) });
  });

  it('the relative expressions type as datetimes at request time', () => {
    const now = new Date(Date.UTC(2016, 5, 13, 15, 27, 33));
    const q = gwTimeParameters({ relativetime: '86400' }).query;
    const r = resolveInputs(
      [[
        { name: 'span', type: 'int', kind: 'sql', default: '86400' },
        { name: 'starttime', type: 'datetime', partial: 'down', kind: 'sql', default: 'time.time()-13*86400' },
        { name: 'endtime', type: 'datetime', partial: 'up', kind: 'sql', default: 'time.time()' },
      ]],
      q,
      { now },
    );
    expect(r.values.starttime).toEqual({ type: 'datetime', value: new Date(Date.UTC(2016, 5, 12, 15)) });
    expect(r.values.endtime).toEqual({ type: 'datetime', value: new Date(Date.UTC(2016, 5, 13, 15, 59, 59)) });
  });
});

describe('plain facility and vo names', () => {
  it.each([
    ['cms', '^cms$'],
    ['Nebraska', '^Nebraska$'],
    ['UCSD-T2_x', '^UCSD-T2_x$'],
    ['cms|atlas', 'cms|atlas'],
    ['^cms$', '^cms$'],
    ['osg.*', 'osg.*'],
    ['a+b', 'a+b'],
    ['', ''],
  ])('%s → %s', (value, expected) => {
    expect(anchorPlainName(value)).toBe(expected);
  });

  it('gwUiParameters anchors facility and vo only, and copies non-empty filters', () => {
    expect(gwUiParameters({ relativetime: '604800', facility: 'Nebraska', vo: 'cms', user: 'alice', probe: '', 'exclude-vo': 'other' })).toEqual({
      starttime: 'time.time()-604800',
      endtime: 'time.time()',
      span: '86400',
      facility: '^Nebraska$',
      vo: '^cms$',
      user: 'alice',
      'exclude-vo': 'other',
    });
  });
});
