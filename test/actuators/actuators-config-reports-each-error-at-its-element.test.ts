/** The `Actuators` class: the shipped file loads with echo and its nodes; each bad element is an error at file:line. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { actuatorSettingsOf, actuatorsClassType } from '../../actuators/index.js';
import { configErrors, formatIssue, loadConfig } from '../../grammar/index.js';
import { packageRoot } from '../../common/index.js';
import { removeTempDirs, tempDir } from '../support/temp-files.js';

afterAll(() => removeTempDirs());

const load = (xml: string) => {
  const dir = tempDir();
  writeFileSync(join(dir, 'actuators.xml'), xml);
  return loadConfig(dir, { classTypes: [actuatorsClassType] });
};

describe('Actuators configuration', () => {
  it('the shipped config/actuators.xml registers a harmless idempotent echo and nodes n1..n3', () => {
    const config = loadConfig(join(packageRoot(), 'config', 'actuators.xml'), { classTypes: [actuatorsClassType] });
    expect(configErrors(config)).toEqual([]);
    const s = actuatorSettingsOf(config);
    expect(s.actuators.get('echo')).toMatchObject({ kind: 'echo', intrusive: false, idempotent: true });
    expect([...s.nodes]).toEqual(['n1', 'n2', 'n3']);
  });

  it('reads a command actuator with its argv, environment, directory, flags and run limit', () => {
    const s = actuatorSettingsOf(load(`<graphtool-config><class type="Actuators" name="a">
      <attribute name="lease">2s</attribute>
      <actuator name="fix" kind="command" intrusive="true" idempotent="no" timeout="90s" cwd="/tmp"><arg>/bin/echo</arg><arg>a b</arg><env name="LANG" value="C"/></actuator>
      <node name="n1"/></class></graphtool-config>`));
    expect(s.leaseMs).toBe(2_000);
    expect(s.actuators.get('fix')).toMatchObject({ kind: 'command', intrusive: true, idempotent: false, runLimitMs: 90_000, settings: { argv: ['/bin/echo', 'a b'], env: { LANG: 'C' }, cwd: '/tmp' } });
  });

  it('names the file, line and element of every mistake', () => {
    const config = load(`<graphtool-config><class type="Actuators" name="a">
<attribute name="lease">10ms</attribute>
<actuator name="x" kind="shell"/>
<actuator name="y" kind="command"><arg>rm</arg></actuator>
<actuator name="z" kind="command" timeout="soon"><arg>/bin/true</arg><env name="1BAD" value="v"/></actuator>
<actuator name="echo" kind="echo" intrusive="maybe"/>
<actuator name="dup" kind="echo"/>
<actuator name="dup" kind="echo"/>
<node name="bad node"/>
</class></graphtool-config>`);
    const errors = configErrors(config).map(formatIssue);
    const expected = [
      [':2:', 'lease must be at least 1s'],
      [':3:', 'kind "shell" is not one of command, echo'],
      [':4:', 'the first <arg> "rm" must be an absolute path'],
      [':5:', 'timeout "soon" is not a duration'],
      [':5:', '<env name="1BAD">: not a variable name'],
      [':6:', 'intrusive "maybe" is not a boolean'],
      [':8:', 'a second <actuator name="dup">'],
      [':9:', '<node> needs name='],
    ];
    for (const [line, text] of expected) expect(errors.some((e) => e.includes(`actuators.xml${line}`) && e.includes(text!)), `${line} ${text} in\n${errors.join('\n')}`).toBe(true);
    expect(errors).toHaveLength(expected.length);
  });
});
