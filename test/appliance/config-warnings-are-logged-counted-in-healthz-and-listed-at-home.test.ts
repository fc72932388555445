/** A configuration with names the appliance does not know starts; each warning is in the log, counted in /healthz and listed on the home page. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startAppliance, type RunningAppliance } from '../../appliance.js';
import { copyShippedConfig } from '../support/config-dir.js';
import { removeTempDirs, tempDir } from '../support/temp-files.js';

const LOCAL = `<graphtool-config>
  <class type="SiteDashboard" name="Dash"/>
  <class type="SqlQueries" name="Local"><attribute name="connection_manager">GratiaConnMan</attribute>
    <query name="local_q"><sql>SELECT 1</sql><results module="mysite" function="parse"/></query>
  </class>
</graphtool-config>
`;

let app: RunningAppliance;
const warnings: string[] = [];
const logger = { debug: () => {}, info: () => {}, warn: (m: string) => warnings.push(m), error: () => {} };

beforeAll(async () => {
  const configDir = copyShippedConfig();
  writeFileSync(join(configDir, 'local.xml'), LOCAL);
  app = await startAppliance(0, { configDir, dataDir: join(tempDir(), 'data'), seedDemo: false, logger });
}, 120_000);

afterAll(async () => {
  await app?.stop();
  removeTempDirs();
});

describe('configuration warnings', () => {
  it('are logged at start, each as file:line:col', () => {
    expect(warnings).toEqual(expect.arrayContaining([
      expect.stringMatching(/local\.xml:2:3: warning: class "Dash": unknown class type "SiteDashboard", so this class is not loaded/),
      expect.stringMatching(/local\.xml:4:46: warning: query "local_q": unknown results function "mysite\.parse", so this query will report an error/),
    ]));
  });

  it('are counted in /healthz (no file names there: it answers without a login)', async () => {
    const body = (await (await fetch(new URL('healthz', app.url))).json()) as Record<string, unknown>;
    expect(body.status).toBe('ok');
    expect(body.configWarnings).toBe(2);
    expect(JSON.stringify(body)).not.toContain('local.xml');
  });

  it('are listed on the home page', async () => {
    const html = await (await fetch(app.url)).text();
    expect(html).toContain('Configuration warnings');
    expect(html).toMatch(/local\.xml:2:3: warning: class &quot;Dash&quot;: unknown class type &quot;SiteDashboard&quot;/);
    expect(html).toMatch(/local\.xml:4:46: warning: query &quot;local_q&quot;: unknown results function/);
  });
});
