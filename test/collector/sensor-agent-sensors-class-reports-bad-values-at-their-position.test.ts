/** The `Sensors` class type: sensors with interval or cron schedules, and every bad value reported at its element. */
import { hostname } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { formatIssue, loadConfig } from '../../grammar/index.js';
import { sensorsClassType, sensorsConfigsOf } from '../../collector/sensor-agent/index.js';
import { removeTempDirs, tempDir } from '../support/temp-files.js';

afterAll(removeTempDirs);

function load(xml: string) {
  const dir = tempDir({ 'sensors.xml': `<graphtool-config>\n${xml}\n</graphtool-config>\n` });
  const config = loadConfig(dir, { classTypes: [sensorsClassType], env: { PLUGINS: '/usr/lib/nagios/plugins' } });
  const value = sensorsConfigsOf(config)[0];
  return { value, issues: config.issues.map((i) => formatIssue(i).replace(`${dir}/`, '')) };
}

describe('the Sensors class type', () => {
  it('reads sensors with interval, offset, cron, timeouts and quoted arguments', () => {
    const { value, issues } = load(`<class type="Sensors" name="local">
  <attribute name="concurrency">2</attribute>
  <attribute name="timeout">20s</attribute>
  <sensor name="load" metric="load" every="1m" offset="5s" timeout="10s">$PLUGINS/check_load -w 5,4,3 -c 10,8,6</sensor>
  <sensor name="backup" cron="0 30 2 * * *" perfdata="false">/usr/local/bin/check_backup --label "nightly run" 'a b'</sensor>
</class>`);
    expect(issues).toEqual([]);
    expect(value).toMatchObject({ name: 'local', node: hostname(), concurrency: 2 });
    expect(value!.sensors).toMatchObject([
      { name: 'load', metric: 'load', argv: ['/usr/lib/nagios/plugins/check_load', '-w', '5,4,3', '-c', '10,8,6'], schedule: { kind: 'interval', everyMs: 60_000, offsetMs: 5000 }, timeoutMs: 10_000, perfdata: true },
      { name: 'backup', metric: 'backup', argv: ['/usr/local/bin/check_backup', '--label', 'nightly run', 'a b'], schedule: { kind: 'cron', expression: '0 30 2 * * *' }, timeoutMs: 20_000, perfdata: false },
    ]);
  });

  it('takes the node from the configuration when given', () => {
    expect(load('<class type="Sensors" name="s"><attribute name="node">wn01.example.org</attribute></class>').value?.node).toBe('wn01.example.org');
  });

  it('reports every bad sensor at its element and keeps the good ones', () => {
    const { value, issues } = load(`<class type="Sensors" name="bad">
  <attribute name="concurrency">0</attribute>
  <sensor name="ok" every="30s">/bin/true</sensor>
  <sensor every="30s">/bin/true</sensor>
  <sensor name="ok" every="30s">/bin/true</sensor>
  <sensor name="both" every="30s" cron="* * * * *">/bin/true</sensor>
  <sensor name="neither">/bin/true</sensor>
  <sensor name="fast" every="10ms">/bin/true</sensor>
  <sensor name="late" every="1m" offset="2m">/bin/true</sensor>
  <sensor name="cronoffset" cron="* * * * *" offset="5s">/bin/true</sensor>
  <sensor name="badcron" cron="61 * * * *">/bin/true</sensor>
  <sensor name="quote" every="1m">/bin/echo "unterminated</sensor>
  <sensor name="empty" every="1m"></sensor>
  <sensor name="slow" every="1m" timeout="forever">/bin/true</sensor>
  <sensor name="p" every="1m" perfdata="yes">/bin/true</sensor>
  <probe name="x"/>
</class>`);
    expect(issues).toEqual([
      'sensors.xml:3:3: Sensors "bad": concurrency "0" is not a whole number from 1 to 256',
      'sensors.xml:5:3: Sensors "bad": sensor "": needs name="..."',
      'sensors.xml:6:3: Sensors "bad": sensor "ok": is defined twice in this class; give each sensor its own name',
      'sensors.xml:7:3: Sensors "bad": sensor "both": needs either every="1m" (with an optional offset) or cron="..."',
      'sensors.xml:8:3: Sensors "bad": sensor "neither": needs either every="1m" (with an optional offset) or cron="..."',
      'sensors.xml:9:3: Sensors "bad": sensor "fast": every "10ms" is not a duration of at least 1s',
      'sensors.xml:10:3: Sensors "bad": sensor "late": offset "2m" is not a duration shorter than every (1m)',
      'sensors.xml:11:3: Sensors "bad": sensor "cronoffset": offset goes with every, not with cron; put it into the cron expression',
      'sensors.xml:12:3: Sensors "bad": sensor "badcron": cron "61 * * * *": Invalid value for minute: 61',
      'sensors.xml:13:3: Sensors "bad": sensor "quote": command: unterminated " quote',
      'sensors.xml:14:3: Sensors "bad": sensor "empty": has no command; write it as the element text',
      'sensors.xml:15:3: Sensors "bad": sensor "slow": timeout "forever" is not a duration; write e.g. 10s',
      'sensors.xml:16:3: Sensors "bad": sensor "p": perfdata "yes" is not true or false',
      'sensors.xml:17:3: warning: Sensors "bad": unknown element <probe>; use <attribute> or <sensor>',
    ]);
    expect(value!.sensors.map((s) => s.name)).toEqual(['ok']);
  });
});
