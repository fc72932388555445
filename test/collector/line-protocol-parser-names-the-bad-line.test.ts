/** Every kind of bad line is refused with its 1-based line number and the reason, as InfluxDB reports it. */
import { describe, expect, it } from 'vitest';
import { LineProtocolError, LineProtocolLimitError, parseLineProtocol } from '../../collector/line-protocol/index.js';

function errorOf(body: string): LineProtocolError {
  try {
    parseLineProtocol(body, { nowNs: 0n });
  } catch (err) {
    if (err instanceof LineProtocolError) return err;
    throw err;
  }
  throw new Error(`expected a parse error for ${JSON.stringify(body)}`);
}

const GOOD = 'cpu,host=a value=1 1\n';

describe('bad lines', () => {
  const cases: [string, string, RegExp][] = [
    ['no fields', 'cpu', /missing fields/],
    ['tags but no fields', 'cpu,host=a', /missing fields/],
    ['a space but no fields', 'cpu ', /missing fields/],
    ['no measurement', ',host=a value=1', /missing measurement/],
    ['a tag without value', 'cpu,host value=1', /missing tag value for tag "host"/],
    ['an empty tag value', 'cpu,host= value=1', /missing tag value for tag "host"/],
    ['an empty tag key', 'cpu,=a value=1', /missing tag key/],
    ['an unescaped = in a tag value', 'cpu,k=a=b value=1', /unescaped "=" in the value of tag "k"/],
    ['a duplicate tag', 'cpu,k=a,k=b value=1', /duplicate tag "k"/],
    ['a tag named time', 'cpu,time=a value=1', /invalid tag key "time"/],
    ['a field without value', 'cpu value', /missing field value for field "value"/],
    ['an empty field value', 'cpu value=', /missing field value for field "value"/],
    ['an empty field key', 'cpu =1', /missing field key/],
    ['a field named time', 'cpu time=1', /invalid field name "time"/],
    ['an unquoted word', 'cpu value=abc', /invalid field value for field "value": abc/],
    ['a quoted boolean', 'cpu ok="t"x', /invalid field format after field "ok"/],
    ['an unterminated string', 'cpu msg="open', /unterminated string in field "msg"/],
    ['an integer out of range', 'cpu n=9223372036854775808i', /out of the int64 range/],
    ['a negative unsigned', 'cpu n=-1u', /invalid field value/],
    ['an unsigned out of range', 'cpu n=18446744073709551616u', /out of the uint64 range/],
    ['an infinite float', 'cpu v=1e999', /out of range/],
    ['NaN', 'cpu v=NaN', /invalid field value/],
    ['a bad timestamp', 'cpu value=1 12a', /bad timestamp "12a"/],
    ['a fraction as timestamp', 'cpu value=1 1.5', /bad timestamp "1.5"/],
    ['two timestamps', 'cpu value=1 1 2', /bad timestamp "1 2"/],
    ['a timestamp out of int64', 'cpu value=1 9223372036854775808', /timestamp 9223372036854775808 is out of range/],
    ['a field list ending in a comma', 'cpu a=1,', /missing fields/],
    ['a string over 64 KB', `cpu s="${'x'.repeat(65_536)}"`, /longer than 65535 bytes/],
  ];

  it.each(cases)('refuses %s on its line with the reason', (_what, line, reason) => {
    const err = errorOf(`${GOOD}# comment\n\n${line}\n${GOOD}`);
    expect(err.line).toBe(4);
    expect(err.reason).toMatch(reason);
    expect(err.message).toMatch(/^error parsing line 4 \(1-based\): unable to parse '/);
  });

  it('quotes the offending line, shortened when long', () => {
    expect(errorOf('cpu value=abc 1').text).toBe('cpu value=abc 1');
    expect(errorOf(`cpu,k=${'v'.repeat(500)} value=abc`).text).toMatch(/^cpu,k=v{194}\.\.\.$/);
  });

  it('names the line a multi-line string started on', () => {
    expect(errorOf('log msg="a\nb" x\n').line).toBe(1);
    expect(errorOf('log msg="a\nb" 1\ncpu value=x').line).toBe(3);
  });

  it('refuses more points than allowed without returning any', () => {
    expect(() => parseLineProtocol(GOOD.repeat(3), { nowNs: 0n, maxPoints: 2 })).toThrow(LineProtocolLimitError);
    expect(parseLineProtocol(GOOD.repeat(2), { nowNs: 0n, maxPoints: 2 })).toHaveLength(2);
  });
});
