/** website.xml as GraphTool read it: the shipped file's mounts, and Gratia-web's own file loading with each mount it cannot serve reported at its position. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../common/index.js';
import { readWebsite } from '../../graph-server/web/index.js';
import { formatIssue, loadConfig } from '../../grammar/index.js';
import * as charts from '../../graph-server/charts/index.js';
import { startGraphTestApp, type GraphTestApp } from '../support/browser.js';
import { removeTempDirs, tempDir } from '../support/temp-files.js';
import { APPLIANCE_CLASS_TYPES } from '../../appliance.js';

const CLASS_TYPES = APPLIANCE_CLASS_TYPES;
const FIXTURES = join(packageRoot(), '../shared/fixtures/gratia-web');

afterAll(removeTempDirs);

describe('website.xml', () => {
  it('the shipped configuration mounts every GraphTool output, the JSON mount, and the static content', () => {
    const dir = tempDir();
    const config = loadConfig(join(packageRoot(), 'config'), { classTypes: CLASS_TYPES, env: { APPLIANCE_DATA: dir } });
    expect(config.issues.filter((i) => i.severity === 'error').map(formatIssue)).toEqual([]);
    const site = readWebsite(config);
    expect(site.issues.map(formatIssue)).toEqual([]);
    const mounts = Object.fromEntries(site.queryMounts.map((m) => [m.location, [m.output, m.contentType, m.queryClasses.join(',')]]));
    expect(mounts).toEqual({
      '/gratia/bar_graphs': ['graph', 'image/png', 'GratiaBarQueries'],
      '/gratia/pie_graphs': ['graph', 'image/png', 'GratiaPieQueries'],
      '/gratia/cumulative_graphs': ['graph', 'image/png', 'GratiaCumulativeQueries'],
      '/gratia/availability_graphs': ['graph', 'image/png', 'RsvAvailabilityQueries'],
      '/gratia/vm_graphs': ['graph', 'image/png', 'VmQueries'],
      '/gratia/html': ['html', 'text/html', 'GratiaBarQueries,GratiaPieQueries,GratiaCumulativeQueries,RsvAvailabilityQueries,VmQueries'],
      '/gratia/xml': ['xml', 'text/xml', 'GratiaBarQueries,GratiaPieQueries,GratiaCumulativeQueries,RsvAvailabilityQueries,VmQueries'],
      '/gratia/csv': ['csv', 'text/plain', 'GratiaBarQueries,GratiaPieQueries,GratiaCumulativeQueries,RsvAvailabilityQueries,VmQueries'],
      '/gratia/json': ['json', 'application/json', 'GratiaBarQueries,GratiaPieQueries,GratiaCumulativeQueries,RsvAvailabilityQueries,VmQueries'],
    });
    expect(site.staticMounts).toEqual([expect.objectContaining({ location: '/gratia/static', directories: [{ urlPath: '/content', dir: null }] })]);
  });

  it("Gratia-web's website.xml loads unedited: each mount it cannot serve is a warning at its <instance>, the rest is served", () => {
    // Gratia-web defined its generators in gratia_graphs.xml, which is not among the fixtures; an admin's file supplies two.
    const dir = tempDir({
      'generators.xml': `<graphtool-config>
  <import module="gratia.config" data_file="${join(FIXTURES, 'gratia_bar_queries.xml')}"/>
  <class type="XmlGenerator" name="query_xml"><queryobj>GratiaBarQueries</queryobj><queryobj>NoSuchQueries</queryobj></class>
  <class type="Grapher" name="gratia_bar_grapher"><queryobj>GratiaBarQueries</queryobj></class>
</graphtool-config>`,
    });
    const website = join(FIXTURES, 'website.xml');
    const config = loadConfig([join(dir, 'generators.xml'), website], { classTypes: CLASS_TYPES, env: { DBPARAM_LOCATION: join(FIXTURES, 'DBParam.xml') } });
    // The loader reports the Gratia-web files website.xml imports that the fixtures lack; nothing else is an error.
    const errors = config.issues.filter((i) => i.severity === 'error');
    expect(errors.map((e) => e.message).every((m) => /cannot read .*(gratia_graphs|text_queries|vo_ownership_queries|rsv_queries)\.xml/.test(m))).toBe(true);

    const site = readWebsite(config);
    expect(site.queryMounts.map((m) => m.location)).toEqual(['/gratia/bar_graphs', '/gratia/xml']);
    expect(site.staticMounts.map((m) => m.location)).toEqual(['/gratia/static']);
    const warnings = site.issues.map(formatIssue);
    expect(site.issues.every((i) => i.severity === 'warning')).toBe(true);
    expect(warnings).toContain(`${website}:52:62: warning: WebHost "web": /gratia/rt_graphs: instance "gratia_rt_grapher" is not defined in the configuration; /gratia/rt_graphs is not served`);
    expect(warnings.some((w) => w.startsWith(`${website}:66:61:`) && w.includes('/gratia/html_png'))).toBe(true);
    expect(warnings.some((w) => w.includes('"GratiaWeb" is a Gratia') && w.includes('/gratia/html pages take its place'))).toBe(true);
    expect(warnings.filter((w) => w.includes('StaticContent "static-site"'))).toEqual([`${website}:46:5: warning: StaticContent "static-site": directory /usr/share/GratiaWeb/static/ does not exist; not served`]);
    expect(warnings.some((w) => w.includes('<queryobj> "NoSuchQueries" is not a SqlQueries class'))).toBe(true);
    // 25 <mount>s and 3 direct instances: 2 mounts and /gratia/static served, the other 23 mounts, static-site and GratiaWeb reported.
    expect(warnings.filter((w) => w.includes('WebHost "web"'))).toHaveLength(24);
  });
});

describe("Gratia-web's website.xml over HTTP", () => {
  let app: GraphTestApp;
  beforeAll(async () => {
    app = await startGraphTestApp({
      charts,
      configure: (dataDir) => {
        writeFileSync(join(dataDir, 'DBParam.xml'), `<graphtool-config><class name="GratiaConnMan" type="ConnectionManager">
  <attribute name="default">gratia</attribute>
  <connection name="gratia"><attribute name="Interface">sqlite</attribute><attribute name="DatabaseFile">${join(dataDir, 'appliance.db')}</attribute></connection>
</class></graphtool-config>`);
        writeFileSync(join(dataDir, 'generators.xml'), `<graphtool-config>
  <import module="gratia.config" data_file="${join(FIXTURES, 'gratia_bar_queries.xml')}"/>
  <class type="XmlGenerator" name="query_xml"><queryobj>GratiaBarQueries</queryobj></class>
</graphtool-config>`);
        return { paths: [join(dataDir, 'generators.xml'), join(FIXTURES, 'website.xml')], env: { DBPARAM_LOCATION: join(dataDir, 'DBParam.xml') } };
      },
    });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('serves the mounts it can: the XML index and queries of Gratia-web\'s own bar graphs, and nothing at the unknown ones', async () => {
    const index = await (await fetch(`${app.url}/gratia/xml/`)).text();
    expect(index).toContain('<pagelist name="Bar Graphs" id="1">');
    const res = await fetch(`${app.url}/gratia/xml/vo_hours_bar_smry?span=86400`);
    expect(res.status).toBe(200);
    const xml = await res.text();
    expect(xml).toContain('<query name="vo_hours_bar_smry">');
    expect(xml).toContain('<pivot name="cms">');
    expect((await fetch(`${app.url}/gratia/csv/vo_hours_bar_smry`)).status).toBe(404);
    expect((await fetch(`${app.url}/gratia/static/content/xml_results.xsl`)).status).toBe(200);
  });
});
