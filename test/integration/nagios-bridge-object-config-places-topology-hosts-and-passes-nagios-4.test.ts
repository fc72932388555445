/**
 * The generated object config with the topology registry, against Debian's real nagios4: a host that is a resource
 * (by name or by FQDN) gets the FQDN as address, the resource name as alias and host groups of its resource group
 * and site (defined once, a hand-written group left alone); a host the registry does not know keeps today's
 * definition; the file passes `nagios4 -v` and replaces the old one.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueMigrations } from '../../queue/index.js';
import type { Store } from '../../store/index.js';
import { createNagiosBridge, defaultBridgeSettings, generateObjectConfig, nagiosBridgeMigrations, objectConfigSettings, writeObjectConfig, type NagiosBridge, type PassiveResult } from '../../nagios-bridge/index.js';
import { emptyTopologyData, PRODUCTION_GRID_TYPE, Topology, type TopologyResource } from '../../topology/index.js';
import { createNagios, nagiosAvailable, type NagiosInstance } from '../support/nagios.js';
import { sqliteBackend } from '../support/stores.js';
import { hostBlock, objectBlocks } from '../nagios-bridge/support/object-blocks.js';

const now = Math.floor(Date.now() / 1000);
const objects = objectConfigSettings();
const svc = (host: string, service: string): PassiveResult => ({ kind: 'service', host, service, state: 0, output: `OK from ${service}`, checkTime: now, source: 'nrdp' });
const resource = (name: string, fqdn: string): TopologyResource => ({ id: 0, name, fqdn, active: true, disable: false, services: [{ name: 'CE' }], owners: [], contacts: [] });

const { topology } = Topology.from([{
  ...emptyTopologyData(),
  sites: [{ id: 1, name: 'Nebraska', facility: 'University of Nebraska-Lincoln' }, { id: 2, name: 'Crane', facility: 'Crane' }],
  resourceGroups: [
    { id: 1, name: 'Nebraska', site: 'Nebraska', gridType: PRODUCTION_GRID_TYPE, disable: false, resources: [resource('Nebraska', 'red-gw1.unl.edu'), resource('Nebraska-gw2', 'red-gw2.unl.edu')] },
    { id: 2, name: 'Crane-RG', site: 'Crane', gridType: PRODUCTION_GRID_TYPE, disable: false, resources: [resource('Crane; CE', 'crane-ce1.unl.edu')] },
  ],
}]);

describe.runIf(nagiosAvailable())('generated Nagios object config placed by the topology, in a real Nagios 4', () => {
  let nagios: NagiosInstance;
  let store: Store;
  let dispose: () => Promise<void>;
  let bridge: NagiosBridge;
  let out: string;

  beforeAll(async () => {
    nagios = createNagios(
      { 'hand.example.org': ['hand-svc'] },
      {
        // The site's group is defined by hand (with its own alias); the generator only names it.
        files: { 'generated.cfg': '# not generated yet\n', 'groups.cfg': 'define hostgroup {\n  hostgroup_name site-Crane\n  alias Crane, by hand\n}\n' },
        cfgFiles: ['generated.cfg', 'groups.cfg'],
      },
    );
    out = join(nagios.dir, 'generated.cfg');
    const db = await sqliteBackend.create();
    store = db.open();
    dispose = db.dispose;
    await store.migrate([...queueMigrations, ...nagiosBridgeMigrations]);
    bridge = createNagiosBridge({ store, settings: { ...defaultBridgeSettings(), objects, targets: [{ name: 'local', type: 'command_file', path: nagios.commandFile }] }, pollMs: 50 });
    // By resource name, by FQDN (another case), and a host the registry does not know.
    await bridge.submit([svc('Nebraska', 'ping'), svc('Red-GW2.unl.edu', 'ping'), svc('crane-ce1.unl.edu', 'ping'), svc('stranger.example.org', 'ping')]);
  }, 30_000);

  afterAll(async () => {
    await bridge?.stop();
    await store?.close();
    await dispose?.();
    await nagios?.dispose();
  });

  it('writes address, alias and host groups for registered hosts, leaves the others as they were, and passes nagios4 -v', async () => {
    const { text, stats } = await generateObjectConfig({ store, settings: objects, nagiosCfg: nagios.mainConfig, outFile: out, topology });
    expect(hostBlock(text, 'Nebraska')).toMatchObject({ address: 'red-gw1.unl.edu', alias: 'Nebraska', hostgroups: 'resource-group-Nebraska,site-Nebraska' });
    expect(hostBlock(text, 'Red-GW2.unl.edu')).toMatchObject({ address: 'red-gw2.unl.edu', alias: 'Nebraska-gw2', hostgroups: 'resource-group-Nebraska,site-Nebraska' });
    // A ";" would start a comment: the alias keeps it escaped, as Nagios reads "\;".
    expect(hostBlock(text, 'crane-ce1.unl.edu')).toMatchObject({ address: 'crane-ce1.unl.edu', alias: 'Crane\\; CE', hostgroups: 'resource-group-Crane-RG,site-Crane' });
    const stranger = hostBlock(text, 'stranger.example.org')!;
    expect(stranger).toEqual({ use: 'appliance-passive-host', host_name: 'stranger.example.org' });
    const groups = objectBlocks(text).filter((b) => b.type === 'hostgroup').map((b) => b.directives);
    expect(groups).toEqual([
      { hostgroup_name: 'resource-group-Crane-RG', alias: 'Resource group Crane-RG (site Crane)' },
      { hostgroup_name: 'resource-group-Nebraska', alias: 'Resource group Nebraska (site Nebraska)' },
      { hostgroup_name: 'site-Nebraska', alias: 'Site Nebraska (University of Nebraska-Lincoln)' },
    ]);
    expect(stats.topology).toEqual({ placedHosts: 3, hostgroups: 3, handWrittenHostgroups: 1, problems: [] });
    await writeObjectConfig({ text, out, nagiosCfg: nagios.mainConfig });
    expect(readFileSync(out, 'utf8')).toBe(text);
    // Nagios itself starts on it.
    await nagios.start();
    expect(nagios.running()).toBe(true);
  }, 60_000);

  it('without a topology the hosts are written by name alone, as before', async () => {
    const { text, stats } = await generateObjectConfig({ store, settings: objects, nagiosCfg: nagios.mainConfig, outFile: out });
    expect(stats.topology).toBeUndefined();
    expect(objectBlocks(text).filter((b) => b.type === 'hostgroup')).toEqual([]);
    expect(hostBlock(text, 'Nebraska')).toEqual({ use: 'appliance-passive-host', host_name: 'Nebraska' });
  });
});
