/** What correlation and the pages ask the registry: clusters and their nodes, the clusters of a node, and each kind of entry by name. */
import { describe, expect, it } from 'vitest';
import { emptyTopologyData, Topology, type TopologyData } from '../../topology/index.js';

const part = (over: Partial<TopologyData>): TopologyData => ({ ...emptyTopologyData(), ...over });

const { topology } = Topology.from([
  part({
    sites: [{ id: 1, name: 'Nebraska', facility: 'UNL' }],
    resourceGroups: [{ id: 1, name: 'Nebraska-RG', site: 'Nebraska', gridType: 'OSG Production Resource', disable: false, resources: [] }],
    vos: [{ id: 1, name: 'CMS', active: true, disable: false, primaryFields: ['HEP'], secondaryFields: [] }],
    clusters: [
      { name: 'red', site: 'Nebraska', nodes: ['wn1', 'wn2', 'wn3', 'wn2'] },
      { name: 'gpu', nodes: ['wn3', 'gpu1'] },
    ],
  }),
  // A later part's cluster of the same name is left out: membership comes from the first.
  part({ clusters: [{ name: 'red', nodes: ['other'] }] }),
]);

describe('cluster membership', () => {
  it('lists the clusters with their site and nodes, in registry order', () => {
    expect(topology.clusters().map((c) => [c.name, c.site, c.nodes.length])).toEqual([['red', 'Nebraska', 4], ['gpu', undefined, 2]]);
    expect(topology.nodesOf('red')).toEqual(['wn1', 'wn2', 'wn3', 'wn2']);
    expect(topology.nodesOf('nope')).toEqual([]);
    expect(topology.cluster('gpu')?.nodes).toEqual(['wn3', 'gpu1']);
    expect(topology.cluster('nope')).toBeUndefined();
  });

  it('names every cluster a node is in, once each, and none for a stranger; a caller cannot change the answer', () => {
    expect(topology.clustersOf('wn3')).toEqual(['red', 'gpu']);
    expect(topology.clustersOf('wn2')).toEqual(['red']);
    expect(topology.clustersOf('other')).toEqual([]);
    topology.clustersOf('wn1').push('mutated');
    expect(topology.clustersOf('wn1')).toEqual(['red']);
  });
});

describe('entries by name', () => {
  it('finds sites, resource groups and clusters by exact name and VOs case-insensitively', () => {
    expect(topology.site('Nebraska')?.facility).toBe('UNL');
    expect(topology.site('nebraska')).toBeUndefined();
    expect(topology.resourceGroup('Nebraska-RG')?.site).toBe('Nebraska');
    expect(topology.vo('cms')?.name).toBe('CMS');
    expect(topology.vo('CMS')?.primaryFields).toEqual(['HEP']);
    expect(topology.vo('atlas')).toBeUndefined();
  });
});
