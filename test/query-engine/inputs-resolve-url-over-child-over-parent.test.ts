/** Resolving a request's inputs along a base chain: URL > child default > parent default, parent types and partial applied too. */
import { describe, expect, it } from 'vitest';
import { AppError } from '../../common/index.js';
import { resolveInputs, type InputDef } from '../../query-engine/inputs/index.js';

const now = new Date(Date.UTC(2016, 5, 13, 15, 27, 33, 250));
const utc = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0) => new Date(Date.UTC(y, mo - 1, d, h, mi, s));
const str = (value: string) => ({ type: 'string', value });

/** `master_summary`'s inputs (graphtool.md §6). */
const masterSummary: InputDef[] = [
  { name: 'span', type: 'int', kind: 'sql', default: '86400' },
  { name: 'starttime', type: 'datetime', partial: 'down', kind: 'sql', default: 'time.time()-13*86400' },
  { name: 'endtime', type: 'datetime', partial: 'up', kind: 'sql', default: 'time.time()' },
  { name: 'includeFailed', kind: 'sql', default: ' true ' },
  { name: 'vo', kind: 'sql', default: ' .* ' },
  { name: 'exclude-vo', kind: 'sql', default: 'Unknown|unknown|other' },
  { name: 'opportunistic-filter', kind: 'sql', default: 'BOTH' },
  { name: 'sql_dynamic_modif_func', default: 'oim_vo_ownership.alter_sql' },
];
/** A derived query in the style of `vo_hours_bar_smry`'s children: its own span and vo. */
const child: InputDef[] = [
  { name: 'span', type: 'eval', kind: 'sql', default: '7*86400' },
  { name: 'vo', default: 'cms' },
  { name: 'pivot_label', default: 'VO' },
];

describe('resolveInputs', () => {
  it('refuses an endtime before the starttime from the URL with a 400 naming both, instead of an empty "-29 Days" graph', () => {
    let err: unknown;
    try {
      resolveInputs([masterSummary], { starttime: '2016-06-20', endtime: '2016-06-01' }, { now });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('bad_request');
    expect((err as AppError).message).toBe('endtime 2016-06-01 23:59:59 is before starttime 2016-06-20 00:00:00; give a starttime before the endtime');
    // Equal is a range (a single instant), and a starttime alone later than the default endtime is refused too.
    expect(() => resolveInputs([masterSummary], { starttime: '2016-06-13 00:00:00', endtime: '2016-06-13 00:00:00' }, { now })).not.toThrow();
    expect(() => resolveInputs([masterSummary], { starttime: '2016-07-01' }, { now })).toThrow(/is before starttime 2016-07-01 00:00:00/);
  });

  it('calls reversed defaults a configuration error', () => {
    const reversed: InputDef[] = [
      { name: 'starttime', type: 'datetime', default: 'time.time()' },
      { name: 'endtime', type: 'datetime', default: 'time.time()-86400' },
    ];
    expect(() => resolveInputs([reversed], {}, { now })).toThrow(expect.objectContaining({ code: 'config' }));
  });

  it('uses the parent defaults, typed, with partial rounding to the span', () => {
    const r = resolveInputs([masterSummary], {}, { now });
    expect(r.values).toEqual({
      span: { type: 'int', value: 86400 },
      starttime: { type: 'datetime', value: utc(2016, 5, 31) },
      endtime: { type: 'datetime', value: utc(2016, 6, 13, 23, 59, 59) },
      includeFailed: str('true'),
      vo: str('.*'),
      'exclude-vo': str('Unknown|unknown|other'),
      'opportunistic-filter': str('BOTH'),
      sql_dynamic_modif_func: str('oim_vo_ownership.alter_sql'),
    });
    expect(Object.keys(r.sqlVars).sort()).toEqual(['endtime', 'exclude-vo', 'includeFailed', 'opportunistic-filter', 'span', 'starttime', 'vo']);
    expect(r.extra).toEqual({});
    expect(r.span).toBe(86400);
  });

  it('URL > child default > parent default', () => {
    const chain = [child, masterSummary];
    const r = resolveInputs(chain, {}, { now });
    expect(r.values.span).toEqual({ type: 'int', value: 604800 });
    expect(r.values.vo).toEqual(str('cms'));
    expect(r.values['exclude-vo']).toEqual(str('Unknown|unknown|other'));

    const u = resolveInputs(chain, { vo: 'atlas', span: '3600', 'exclude-vo': 'NONE' }, { now });
    expect(u.values.vo).toEqual(str('atlas'));
    expect(u.values.span).toEqual({ type: 'int', value: 3600 });
    expect(u.values['exclude-vo']).toEqual(str('NONE'));
  });

  it("a child's input is a bind when any level declares it kind=\"sql\"; undeclared URL keys pass through", () => {
    const r = resolveInputs([child, masterSummary], { title: 'My $vo graph', vo: 'cms', conn: 'gratia-itb' }, { now });
    expect(r.sqlVars.vo).toEqual(str('cms'));
    expect(r.sqlVars.pivot_label).toBeUndefined();
    expect(r.values.pivot_label).toEqual(str('VO'));
    expect(r.sqlVars.sql_dynamic_modif_func).toBeUndefined();
    expect(r.extra).toEqual({ title: 'My $vo graph', conn: 'gratia-itb' });
  });

  it('resolves span first, so a parent-declared span from the URL drives the child datetime partial', () => {
    const childWithTimes: InputDef[] = [
      { name: 'starttime', type: 'datetime', partial: 'down', kind: 'sql', default: '2016-06-01 10:30:00' },
      { name: 'endtime', type: 'datetime', partial: 'up', kind: 'sql', default: '2016-06-02 10:30:00' },
    ];
    const parent: InputDef[] = [{ name: 'span', type: 'int', kind: 'sql', default: '86400' }];
    const hourly = resolveInputs([childWithTimes, parent], { span: '3600' }, { now });
    expect(hourly.values.starttime).toEqual({ type: 'datetime', value: utc(2016, 6, 1, 10) });
    expect(hourly.values.endtime).toEqual({ type: 'datetime', value: utc(2016, 6, 2, 10, 59, 59) });
    const daily = resolveInputs([childWithTimes, parent], {}, { now });
    expect(daily.values.starttime).toEqual({ type: 'datetime', value: utc(2016, 6, 1) });
    const other = resolveInputs([childWithTimes, parent], { span: '600' }, { now });
    expect(other.values.starttime).toEqual({ type: 'datetime', value: utc(2016, 6, 1, 10, 30) });
  });

  it('an undeclared numeric span from the URL still drives partial; no span at all means no rounding', () => {
    const defs: InputDef[] = [{ name: 'starttime', type: 'datetime', partial: 'down', default: '2016-06-01 10:30:00' }];
    expect(resolveInputs([defs], { span: '3600' }, { now }).values.starttime).toEqual({ type: 'datetime', value: utc(2016, 6, 1, 10) });
    expect(resolveInputs([defs], {}, { now }).values.starttime).toEqual({ type: 'datetime', value: utc(2016, 6, 1, 10, 30) });
    expect(resolveInputs([defs], { span: 'weekly' }, { now }).values.starttime).toEqual({ type: 'datetime', value: utc(2016, 6, 1, 10, 30) });
  });

  it("applies the parent's type and partial to the child's value, after the child's", () => {
    const untypedChild: InputDef[] = [
      { name: 'span', default: '3600' },
      { name: 'starttime', default: '2016-06-01 10:30:00' },
    ];
    const typedParent: InputDef[] = [
      { name: 'span', type: 'int', kind: 'sql', default: '86400' },
      { name: 'starttime', type: 'datetime', partial: 'down', kind: 'sql', default: 'time.time()' },
    ];
    const r = resolveInputs([untypedChild, typedParent], {}, { now });
    expect(r.values.span).toEqual({ type: 'int', value: 3600 });
    expect(r.values.starttime).toEqual({ type: 'datetime', value: utc(2016, 6, 1, 10) });

    // Child rounds down, then the parent rounds up: GraphTool's order.
    const down: InputDef[] = [{ name: 't', type: 'datetime', partial: 'down', default: '2016-06-01 10:30:00' }];
    const up: InputDef[] = [{ name: 't', type: 'datetime', partial: 'up', default: 'time.time()' }, { name: 'span', type: 'int', default: '3600' }];
    expect(resolveInputs([down, up], {}, { now }).values.t).toEqual({ type: 'datetime', value: utc(2016, 6, 1, 10, 59, 59) });

    // The parent's int truncates the child's float, as Python's int(5.7).
    const floatChild: InputDef[] = [{ name: 'n', type: 'float', default: '5.7' }];
    const intParent: InputDef[] = [{ name: 'n', type: 'int', default: '1' }];
    expect(resolveInputs([floatChild, intParent], {}, { now }).values.n).toEqual({ type: 'int', value: 5 });
  });

  it('a URL value that fails its type is a 400 naming the input; a bad default is a config error', () => {
    const bad = (url: Record<string, string>, chain: InputDef[][] = [masterSummary]) => {
      try {
        resolveInputs(chain, url, { now });
      } catch (err) {
        return err as AppError;
      }
      throw new Error('expected an error');
    };
    const span = bad({ span: "86400; DROP TABLE VO" });
    expect(span).toBeInstanceOf(AppError);
    expect(span.code).toBe('bad_request');
    expect(span.message).toBe('input "span": "86400; DROP TABLE VO" is not an integer');

    const start = bad({ starttime: "' OR '1'='1" });
    expect(start.code).toBe('bad_request');
    expect(start.message).toMatch(/^input "starttime": cannot read "' OR '1'='1" as a date and time/);

    const parentRejectsChildUrl = bad({ n: 'abc' }, [[{ name: 'n', default: '1' }], [{ name: 'n', type: 'int', default: '1' }]]);
    expect(parentRejectsChildUrl.code).toBe('bad_request');

    const def = bad({}, [[{ name: 'span', type: 'eval', default: 'time.sleep(1)' }]]);
    expect(def.code).toBe('config');
    expect(def.message).toMatch(/^input "span": default "time.sleep\(1\)": "time.sleep" is not allowed/);
  });

  it('time defaults are relative to the request clock', () => {
    const later = new Date(now.getTime() + 2 * 86400_000);
    expect(resolveInputs([masterSummary], {}, { now: later }).values.endtime).toEqual({ type: 'datetime', value: utc(2016, 6, 15, 23, 59, 59) });
  });

  it('keeps URL keys such as __proto__ as plain data', () => {
    const url = JSON.parse('{"__proto__": "x", "vo": "cms"}') as Record<string, string>;
    const r = resolveInputs([masterSummary], url, { now });
    expect(Object.getPrototypeOf(r.extra)).toBe(Object.prototype);
    expect(Object.keys(r.extra)).toEqual(['__proto__']);
    expect(r.values.vo).toEqual(str('cms'));
  });
});
