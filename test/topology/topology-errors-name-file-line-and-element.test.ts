/** Bad topology input is refused with its place: configuration entries at file:line:col, summaries at source:line:col; entities never expanded. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatIssue, loadConfig } from '../../grammar/index.js';
import { createTopologyLoader, parseOsgSummary, topologyClassType, type TopologyConfig } from '../../topology/index.js';
import { removeTempDirs, tempDir } from '../support/temp-files.js';

afterAll(removeTempDirs);

function load(xml: string): { dir: string; issues: string[]; configs: TopologyConfig[] } {
  const dir = tempDir({ 'topology.xml': xml });
  const loaded = loadConfig(dir, { classTypes: [topologyClassType] });
  return { dir, issues: loaded.issues.map((i) => formatIssue(i).replace(dir, 'DIR')), configs: [...loaded.objects.values()].map((o) => o.value as TopologyConfig) };
}

describe('topology configuration errors', () => {
  it('names the file, line, column and element of each bad entry, and reads the rest', () => {
    const { issues, configs } = load(`<graphtool-config>
  <class type="Topology" name="T">
    <attribute name="refresh_seconds">5</attribute>
    <site name="A">
      <resource_group name="G" grid_type="prod">
        <resource name="r1"/>
        <resource name="r2" fqdn="r2.example.org"><owner vo="x" percent="150"/><service/></resource>
        <resource name="r3" fqdn="r3.example.org" active="maybe"><owner vo="a" percent="70"/><owner vo="b" percent="40"/></resource>
      </resource_group>
      <host name="h"/>
    </site>
    <vo><field_of_science rank="tertiary">X</field_of_science></vo>
    <summary kind="gocdb" url="https://example.org/x"/>
    <summary kind="rgsummary" url="ftp://example.org/x"/>
    <summary kind="vosummary"/>
    <cluster name="c"><node_range prefix="n" from="9" to="1"/><node/></cluster>
  </class>
</graphtool-config>`);
    expect(issues).toEqual([
      'DIR/topology.xml:3:5: Topology "T": refresh_seconds "5" is not a whole number from 60 to 604800',
      'DIR/topology.xml:5:7: Topology "T": <resource_group> grid_type="prod" is not production or itb',
      'DIR/topology.xml:6:9: Topology "T": <resource> needs fqdn="..." (the host\'s fully qualified domain name)',
      'DIR/topology.xml:7:51: Topology "T": <owner> percent="150" is not a whole number from 0 to 100',
      'DIR/topology.xml:7:80: Topology "T": <service> needs name="..." (the service type, e.g. CE)',
      'DIR/topology.xml:8:9: Topology "T": <resource> active "maybe" is not a boolean; use true or false',
      'DIR/topology.xml:8:9: Topology "T": resource "r3": owners\' percents add up to 110, over 100',
      'DIR/topology.xml:10:7: Topology "T": unexpected <host> in <site>',
      'DIR/topology.xml:12:5: Topology "T": <vo> needs name="..." (the VO name)',
      'DIR/topology.xml:12:9: Topology "T": <field_of_science> rank="tertiary" is not primary or secondary',
      'DIR/topology.xml:13:5: Topology "T": <summary> kind="gocdb" is not one of rgsummary, vosummary',
      'DIR/topology.xml:14:5: Topology "T": <summary> url="ftp://example.org/x" is not an http:// or https:// URL',
      'DIR/topology.xml:15:5: Topology "T": <summary> needs exactly one of file="..." or url="..."',
      'DIR/topology.xml:16:23: Topology "T": <node_range> from="9" to="1" must name 1 to 100000 nodes',
      'DIR/topology.xml:16:63: Topology "T": <node> is empty; write the node\'s host name inside it',
    ]);
    expect(configs[0]!.data.resourceGroups[0]!.resources.map((r) => r.name)).toEqual(['r2', 'r3']);
  });

  it('refuses a summary file that is missing or bad at validation, naming the <summary> or the line in the file', async () => {
    const bad = tempDir({ 'rg.xml': '<ResourceSummary>\n  <ResourceGroup>\n    <GroupName>G</GroupName>\n  </ResourceGroup>\n</ResourceSummary>\n' });
    const { configs } = load(`<graphtool-config><class type="Topology" name="T">
  <summary kind="rgsummary" file="${bad}/rg.xml"/>
  <summary kind="vosummary" file="missing.xml"/>
</class></graphtool-config>`);
    const loader = createTopologyLoader();
    expect(loader.validate(configs)).toEqual([`${bad}/rg.xml:2:3: <ResourceGroup> has no <Site>`]);
    await expect(loader.applyConfig(configs)).rejects.toThrow(`${bad}/rg.xml:2:3: <ResourceGroup> has no <Site>`);
    const { configs: missing, dir } = load(`<graphtool-config><class type="Topology" name="T">\n  <summary kind="vosummary" file="missing.xml"/>\n</class></graphtool-config>`);
    expect(loader.validate(missing)).toEqual([`${dir}/topology.xml:2:3: <summary> cannot read ${dir}/missing.xml: no such file`]);
  });
});

describe('OSG summaries', () => {
  const rg = readFileSync(join(import.meta.dirname, 'fixtures', 'rgsummary.xml'), 'utf8');

  it('refuses entity declarations (nothing is expanded or fetched), naming where they start', () => {
    const bomb = `<?xml version="1.0"?>\n<!DOCTYPE r [\n  <!ENTITY a "aaaaaaaaaa">\n  <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\n]>\n<ResourceSummary>&b;</ResourceSummary>`;
    expect(() => parseOsgSummary('rgsummary', bomb, 'https://example.org/rgsummary/xml')).toThrow(
      'https://example.org/rgsummary/xml:3:3: entity declarations are not allowed in topology summaries',
    );
    const external = `<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<VOSummary><VO><Name>&x;</Name></VO></VOSummary>`;
    expect(() => parseOsgSummary('vosummary', external, 'vo.xml')).toThrow('vo.xml:2:14: entity declarations are not allowed in topology summaries');
  });

  it('says what is wrong with malformed XML, a wrong root, or a bad number, with the line', () => {
    expect(() => parseOsgSummary('rgsummary', rg.replace('</Resources>', ''), 'rg.xml')).toThrow(/^rg\.xml:\d+:\d+: malformed XML/);
    expect(() => parseOsgSummary('vosummary', rg, 'rg.xml')).toThrow('rg.xml:1:1: a vosummary must have <VOSummary> at its root, not <ResourceSummary>');
    expect(() => parseOsgSummary('rgsummary', rg.replace('<GroupID>11</GroupID>', '<GroupID>eleven</GroupID>'), 'rg.xml')).toThrow('rg.xml:5:5: <GroupID> "eleven" is not a whole number');
    expect(() => parseOsgSummary('rgsummary', rg.replace('<Percent>80</Percent>', '<Percent>180</Percent>'), 'rg.xml')).toThrow(/^rg\.xml:26:11: <Ownership> Percent "180" is not 0 to 100$/);
  });
});
