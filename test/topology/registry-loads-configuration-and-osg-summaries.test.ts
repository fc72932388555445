/** The registry from a Topology class and OSG Topology's rgsummary/vosummary files: every kind of entry, merged in order. */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../grammar/index.js';
import { createTopologyLoader, topologyClassType, type TopologyConfig } from '../../topology/index.js';
import { removeTempDirs, tempDir } from '../support/temp-files.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');

function configs(xml: string): TopologyConfig[] {
  const dir = tempDir({ 'topology.xml': xml });
  const loaded = loadConfig(dir, { classTypes: [topologyClassType] });
  expect(loaded.issues).toEqual([]);
  return [...loaded.objects.values()].map((o) => o.value as TopologyConfig);
}

const CLASS = `<graphtool-config>
  <class type="Topology" name="Topology">
    <summary kind="rgsummary" file="${FIXTURES}/rgsummary.xml"/>
    <summary kind="vosummary" file="${FIXTURES}/vosummary.xml"/>
    <site name="Crane" facility="University of Nebraska">
      <resource_group name="Crane" grid_type="production" description="HCC's Crane">
        <resource name="Crane" fqdn="crane-ce1.unl.edu">
          <service name="CE"/>
          <owner vo="hcc" percent="60"/> <owner vo="osg" percent="40"/>
          <contact type="Administrative Contact" name="Derek Weitzel" email="dweitzel@example.invalid"/>
        </resource>
      </resource_group>
    </site>
    <site name="Nebraska-Lincoln">
      <resource_group name="Nebraska">
        <resource name="Nebraska-local" fqdn="red-local.unl.edu"/>
      </resource_group>
    </site>
    <vo name="osg" long_name="OSG Open Pool"><field_of_science>Multi-Science Community</field_of_science></vo>
    <vo name="cms" long_name="from configuration"><field_of_science>HEP</field_of_science></vo>
    <cluster name="red" site="Nebraska-Lincoln">
      <node>red-wn001.unl.edu</node>
      <node_range prefix="red-wn" from="2" to="4" width="3" suffix=".unl.edu"/>
    </cluster>
  </class>
</graphtool-config>`;

afterAll(removeTempDirs);

describe('the topology registry', () => {
  it('holds sites, groups, resources, services, ownership, WLCG names, VOs with fields of science and clusters', async () => {
    const loader = createTopologyLoader();
    await loader.applyConfig(configs(CLASS));
    const t = loader.current();
    expect(t.sites().map((s) => [s.name, s.facility])).toEqual([['Crane', 'University of Nebraska'], ['Nebraska-Lincoln', 'Nebraska-Lincoln']]);
    // The configuration's "Nebraska" group came first, so the rgsummary's group of that name is left out (and said so).
    expect(t.resourceGroups().map((g) => [g.name, g.site, g.gridType])).toEqual([
      ['Crane', 'Crane', 'OSG Production Resource'],
      ['Nebraska', 'Nebraska-Lincoln', 'OSG Production Resource'],
      ['Nebraska-ITB', 'Nebraska-Lincoln', 'OSG Integration Test Bed Resource'],
    ]);
    expect(loader.status().duplicates).toEqual(['resource group "Nebraska"', 'VO "CMS"']);
    const crane = t.resource('Crane')!;
    expect(crane).toMatchObject({ fqdn: 'crane-ce1.unl.edu', group: 'Crane', site: 'Crane', services: [{ name: 'CE' }], active: true });
    expect(crane.owners).toEqual([{ vo: 'hcc', percent: 60 }, { vo: 'osg', percent: 40 }]);
    expect(crane.contacts).toEqual([{ type: 'Administrative Contact', name: 'Derek Weitzel', email: 'dweitzel@example.invalid' }]);
    expect(t.resourceByFqdn('ITB-GW.unl.edu')?.name).toBe('Nebraska-ITB-CE');
    expect(t.resource('Nebraska-ITB-CE')?.id).toBe(103);
    expect(t.vos().map((v) => [v.name, v.longName, v.primaryFields, v.secondaryFields])).toEqual([
      ['osg', 'OSG Open Pool', ['Multi-Science Community'], []],
      ['cms', 'from configuration', ['HEP'], []],
      ['HCC', 'Holland Computing Center', ['Multi-Science Community'], []],
    ]);
    expect(t.nodesOf('red')).toEqual(['red-wn001.unl.edu', 'red-wn002.unl.edu', 'red-wn003.unl.edu', 'red-wn004.unl.edu']);
    expect(t.nodesOf('no-such-cluster')).toEqual([]);
    expect(t.clustersOf('red-wn003.unl.edu')).toEqual(['red']);
    // Ids: given ones kept, the rest numbered above the largest given one.
    expect(new Set(t.resources().map((r) => r.id)).size).toBe(t.resources().length);
    expect(t.resourceGroups().find((g) => g.name === 'Nebraska-ITB')?.id).toBe(12);
  });

  it('reads the rgsummary\'s resources as MyOSG wrote them: services, percents, WLCG, contacts, inactive ones', async () => {
    const loader = createTopologyLoader();
    await loader.applyConfig(configs(`<graphtool-config><class type="Topology" name="T"><summary kind="rgsummary" file="${FIXTURES}/rgsummary.xml"/></class></graphtool-config>`));
    const t = loader.current();
    const red = t.resource('Nebraska')!;
    expect(red).toMatchObject({ id: 101, fqdn: 'red-gw1.unl.edu', description: 'Red gatekeeper', site: 'Nebraska-Lincoln', group: 'Nebraska' });
    expect(red.services.map((s) => s.name)).toEqual(['CE', 'SRMv2']);
    expect(red.owners).toEqual([{ vo: 'CMS', percent: 80 }, { vo: 'HCC', percent: 20 }]);
    expect(red.wlcg).toEqual({ accountingName: 'T2_US_Nebraska', interopMonitoring: true, interopAccounting: true, interopBdii: true });
    expect(red.contacts).toEqual([{ type: 'Administrative Contact', name: 'Garhan Attebury', email: 'admin@example.invalid' }]);
    expect(t.resource('Nebraska-squid')).toMatchObject({ active: false, owners: [], services: [{ name: 'Squid' }] });
    expect(t.resource('Nebraska-squid')?.wlcg).toBeUndefined();
    expect(t.sites()).toEqual([{ id: 9, name: 'Nebraska-Lincoln', facility: 'University of Nebraska', description: "HCC's Red cluster" }]);
    // VOs only named by an ownership still get a row, so every owner joins a VO.
    expect(t.vos().map((v) => v.name)).toEqual(['CMS', 'HCC']);
    expect(t.wlcgResources()).toEqual(['Nebraska']);
    expect(t.oimFeeds().resourceOwnership).toEqual([
      { resource: 'Nebraska', vo: 'CMS', percent: 80 },
      { resource: 'Nebraska', vo: 'HCC', percent: 20 },
    ]);
  });
});
