/** Nagios plugin results: exit code → state, first line → output, long output, and the perfdata grammar item by item. */
import { describe, expect, it } from 'vitest';
import { parsePerfdata, parsePluginOutput, stateCode } from '../../collector/sensor-agent/index.js';

describe('perfdata', () => {
  it('reads check_load\'s perfdata: value, warn, crit, min', () => {
    expect(parsePerfdata('load1=0.470;5.000;10.000;0; load5=1.230;4.000;8.000;0; load15=1.340;3.000;6.000;0; ').data).toEqual([
      { label: 'load1', value: 0.47, uom: '', warn: '5.000', crit: '10.000', min: 0 },
      { label: 'load5', value: 1.23, uom: '', warn: '4.000', crit: '8.000', min: 0 },
      { label: 'load15', value: 1.34, uom: '', warn: '3.000', crit: '6.000', min: 0 },
    ]);
  });

  it('reads quoted labels with spaces, = and doubled quotes', () => {
    const { data, problems } = parsePerfdata("'/var/lib mysql'=10MB;;;0;100 'it''s'=1 'a=b'=2s");
    expect(problems).toEqual([]);
    expect(data).toEqual([
      { label: '/var/lib mysql', value: 10, uom: 'MB', min: 0, max: 100 },
      { label: "it's", value: 1, uom: '' },
      { label: 'a=b', value: 2, uom: 's' },
    ]);
  });

  it('reads every unit of measure and every range form', () => {
    const { data, problems } = parsePerfdata('time=0.002s;1;@2:5;0 pct=95.5%;~:80;90: bytes=1024B;10:20;@~:30 c=123456c size=2.5TB rta=-1.5e-3ms;;;;');
    expect(problems).toEqual([]);
    expect(data.map((d) => [d.label, d.value, d.uom, d.warn, d.crit])).toEqual([
      ['time', 0.002, 's', '1', '@2:5'],
      ['pct', 95.5, '%', '~:80', '90:'],
      ['bytes', 1024, 'B', '10:20', '@~:30'],
      ['c', 123456, 'c', undefined, undefined],
      ['size', 2.5, 'TB', undefined, undefined],
      ['rta', -0.0015, 'ms', undefined, undefined],
    ]);
  });

  it('keeps U (undetermined) as no value, and a unit on min and max', () => {
    expect(parsePerfdata('x=U;1;2 used=40%;80;90;0%;100%').data).toEqual([
      { label: 'x', value: undefined, uom: '', warn: '1', crit: '2' },
      { label: 'used', value: 40, uom: '%', warn: '80', crit: '90', min: 0, max: 100 },
    ]);
  });

  it('reports malformed items and keeps the good ones', () => {
    const { data, problems } = parsePerfdata("ok=1 novalue =3 bad=abc 'open=1 x=1;1:2:3 y=1;;;zero");
    expect(data).toEqual([{ label: 'ok', value: 1, uom: '' }]);
    expect(problems).toEqual([
      '"novalue": no "=" between label and value',
      '"=3": empty label',
      '"bad=abc": value "abc" is not a number',
      `"'open=1 x=1;1:2:3 y=1;;;zero": a quoted label must be followed by =`,
    ]);
    expect(parsePerfdata('x=1;1:2:3').problems).toEqual(['"x=1;1:2:3": warn "1:2:3" is not a range']);
    expect(parsePerfdata('y=1;;;zero').problems).toEqual(['"y=1;;;zero": min "zero" is not a number']);
    expect(parsePerfdata('z=1 s/').problems).toEqual(['"s/": no "=" between label and value']);
  });
});

describe('plugin output', () => {
  it('splits the first line into output and perfdata', () => {
    expect(parsePluginOutput('LOAD OK - total load average: 0.47, 1.23, 1.34|load1=0.470;5.000;10.000;0;\n')).toMatchObject({
      output: 'LOAD OK - total load average: 0.47, 1.23, 1.34',
      longOutput: '',
      perfdata: [{ label: 'load1', value: 0.47 }],
    });
  });

  it('reads the multi-line format: long output, then more perfdata after the second |', () => {
    const out = parsePluginOutput('DISK OK - free space | /=2643MB;5948;5958;0;5968\n/ 15272 MB (77%);\n/boot 68 MB (69%);\n/home 69357 MB (27%); | /boot=68MB;88;93;0;98\n/home=69357MB;253404;253409;0;253414\n');
    expect(out.output).toBe('DISK OK - free space');
    expect(out.longOutput).toBe('/ 15272 MB (77%);\n/boot 68 MB (69%);\n/home 69357 MB (27%);');
    expect(out.perfdata.map((p) => [p.label, p.value, p.uom])).toEqual([['/', 2643, 'MB'], ['/boot', 68, 'MB'], ['/home', 69357, 'MB']]);
  });

  it('reads output without perfdata, and empty output', () => {
    expect(parsePluginOutput('PROCS OK: 12 processes\n')).toEqual({ output: 'PROCS OK: 12 processes', longOutput: '', perfdata: [], problems: [] });
    expect(parsePluginOutput('')).toEqual({ output: '', longOutput: '', perfdata: [], problems: [] });
  });

  it('maps exit codes to states as Nagios does', () => {
    expect([0, 1, 2, 3, 4, 127, -1, null].map(stateCode)).toEqual([0, 1, 2, 3, 3, 3, 3, 3]);
  });
});
