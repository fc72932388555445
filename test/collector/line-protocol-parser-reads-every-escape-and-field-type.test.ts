/** The line-protocol parser: every escaping rule, every field type, timestamps in every precision, comments and blank lines. */
import { Point } from '@influxdata/influxdb-client';
import { describe, expect, it } from 'vitest';
import { parseLineProtocol, type LinePoint, type Precision } from '../../collector/line-protocol/index.js';

const NOW = 1_700_000_000_123_456_789n;
const parse = (body: string, precision?: Precision): LinePoint[] => parseLineProtocol(body, { nowNs: NOW, precision });
const one = (body: string, precision?: Precision): LinePoint => {
  const points = parse(body, precision);
  expect(points).toHaveLength(1);
  return points[0]!;
};

describe('line protocol escaping', () => {
  it('unescapes comma and space in measurements and keeps = and other backslashes literal', () => {
    expect(one('my\\ cpu\\,x=y value=1').measurement).toBe('my cpu,x=y');
    expect(one('a\\b value=1').measurement).toBe('a\\b');
  });

  it('unescapes comma, equals and space in tag keys, tag values and field keys', () => {
    const p = one('cpu,ta\\ g\\=k=v\\,a\\ l\\=ue fi\\,eld\\ k\\=ey=2');
    expect(p.tags).toEqual({ 'ta g=k': 'v,a l=ue' });
    expect(Object.keys(p.fields)).toEqual(['fi,eld k=ey']);
  });

  it('unescapes \\" and \\\\ in string fields and keeps commas, spaces, = and other backslashes in them', () => {
    const p = one('log msg="say \\"hi\\", a=b \\\\ c\\d",n=1');
    expect(p.fields.msg).toEqual({ type: 'string', value: 'say "hi", a=b \\ c\\d' });
    expect(p.fields.n).toEqual({ type: 'float', value: 1 });
  });

  it('accepts a string field that spans lines and keeps counting lines after it', () => {
    const points = parse('log msg="one\ntwo" 1\ncpu value=1 2');
    expect(points[0]!.fields.msg).toEqual({ type: 'string', value: 'one\ntwo' });
    expect(points.map((p) => p.line)).toEqual([1, 3]);
  });

  it('reads back what @influxdata/influxdb-client writes', () => {
    const line = new Point('cpu load').tag('host', 'a b').tag('k', 'x=y,z').stringField('msg', 'say "hi" \\ there')
      .floatField('usage', 2.5).intField('n', -7).uintField('u', 7).booleanField('ok', true).timestamp('1500000000000000000')
      .toLineProtocol();
    const p = one(line!);
    expect(p).toMatchObject({ measurement: 'cpu load', tags: { host: 'a b', k: 'x=y,z' }, timestampNs: 1_500_000_000_000_000_000n });
    expect(p.fields).toEqual({
      msg: { type: 'string', value: 'say "hi" \\ there' },
      usage: { type: 'float', value: 2.5 },
      n: { type: 'integer', value: -7n },
      u: { type: 'uinteger', value: 7n },
      ok: { type: 'boolean', value: true },
    });
  });
});

describe('line protocol field types', () => {
  it('reads floats in every spelling', () => {
    const p = one('m a=1,b=1.0,c=-1.2e+78,d=.5,e=1.,f=-0,g=3E-2');
    expect(Object.values(p.fields).map((f) => f.type)).toEqual(Array(7).fill('float'));
    expect(Object.values(p.fields).map((f) => f.value)).toEqual([1, 1, -1.2e78, 0.5, 1, -0, 0.03]);
  });

  it('reads integers and unsigned integers to the ends of their ranges, exactly', () => {
    const p = one('m a=12i,b=-9223372036854775808i,c=9223372036854775807i,d=12u,e=18446744073709551615u');
    expect(p.fields).toEqual({
      a: { type: 'integer', value: 12n },
      b: { type: 'integer', value: -9223372036854775808n },
      c: { type: 'integer', value: 9223372036854775807n },
      d: { type: 'uinteger', value: 12n },
      e: { type: 'uinteger', value: 18446744073709551615n },
    });
  });

  it('reads every boolean spelling', () => {
    const p = one('m a=t,b=T,c=true,d=True,e=TRUE,f=f,g=F,h=false,i=False,j=FALSE');
    expect(Object.values(p.fields)).toEqual([true, true, true, true, true, false, false, false, false, false].map((value) => ({ type: 'boolean', value })));
  });

  it('reads an empty string field', () => {
    expect(one('m s=""').fields.s).toEqual({ type: 'string', value: '' });
  });
});

describe('line protocol timestamps', () => {
  it('scales the timestamp by every precision', () => {
    const cases: [Precision, bigint][] = [
      ['ns', 5n], ['n', 5n], ['us', 5_000n], ['u', 5_000n], ['ms', 5_000_000n], ['s', 5_000_000_000n], ['m', 300_000_000_000n], ['h', 18_000_000_000_000n],
    ];
    for (const [precision, ns] of cases) expect(one('m v=1 5', precision).timestampNs, precision).toBe(ns);
  });

  it('uses the server time for a line without a timestamp, and accepts negative timestamps', () => {
    expect(one('m v=1').timestampNs).toBe(NOW);
    expect(one('m v=1   ').timestampNs).toBe(NOW);
    expect(one('m v=1 -1000').timestampNs).toBe(-1000n);
  });
});

describe('line protocol bodies', () => {
  it('skips blank lines, comment lines and CRLF endings, and numbers lines from 1', () => {
    const points = parse('# a comment\n\ncpu,host=a v=1 1\r\n   \n  # indented comment\nmem,host=a used=2i 2\n');
    expect(points.map((p) => [p.measurement, p.line])).toEqual([['cpu', 3], ['mem', 6]]);
  });

  it('reads an empty body as no points', () => {
    expect(parse('')).toEqual([]);
    expect(parse('\n\n# only a comment\n')).toEqual([]);
  });

  it('keeps the last value of a field named twice', () => {
    expect(one('m v=1,v=2').fields.v).toEqual({ type: 'float', value: 2 });
  });
});
