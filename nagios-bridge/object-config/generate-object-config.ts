/** Builds the generated Nagios object config from the hosts and services seen, leaving hand-written objects alone. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { errorMessage, packageRoot } from '../../common/index.js';
import type { Queryable } from '../../store/index.js';
import type { Topology } from '../../topology/index.js';
import { handServiceKey, readHandWrittenObjects, type HandWrittenObjects } from './hand-written-objects.js';
import { renderObjectConfig, type GeneratedHost, type GeneratedService } from './object-format.js';
import { DEFAULT_ILLEGAL_OBJECT_NAME_CHARS, unsafeNameReason } from './object-names.js';
import type { ObjectConfigSettings } from './object-settings.js';
import { freshnessThreshold, lifecycleState, reportingInterval } from './retirement.js';
import { readSeen, type SeenObject } from './seen-objects.js';
import { placeHost, type GeneratedHostgroup } from './topology-placement.js';

export interface GenerateObjectConfigOptions {
  /** The store (or a transaction) holding the `nagios_seen` table. */
  store: Queryable;
  settings: ObjectConfigSettings;
  /** The Nagios main config whose objects are hand-written; default `settings.nagiosCfg`; `false` reads none. */
  nagiosCfg?: string | false;
  /** The file the text will replace: never read as hand-written, even when nagios.cfg names it. */
  outFile?: string;
  now?: Date;
  /**
   * The topology registry: a host that is a resource (by name, else by FQDN) gets the FQDN as `address`, the
   * resource's name as `alias` and its resource group's and site's host groups. Without it, or for a host the
   * registry does not know, the host is written with its name alone.
   */
  topology?: Topology;
}

/** A host or service seen but not written, and why. */
export interface SkippedObject {
  host: string;
  service?: string;
  reason: string;
}

export interface ObjectConfigStats {
  hosts: number;
  services: number;
  retiredHosts: number;
  retiredServices: number;
  /** Silent longer than `remove_after`: no longer in the file. */
  removedHosts: number;
  removedServices: number;
  /** Defined by hand in the Nagios config, so left out. */
  handWrittenHosts: number;
  handWrittenServices: number;
  /** Names Nagios would refuse or misread. */
  skipped: SkippedObject[];
  /** Set when a topology was given: hosts it placed, host groups defined, and what of a placement was left out. */
  topology?: { placedHosts: number; hostgroups: number; handWrittenHostgroups: number; problems: SkippedObject[] };
  /** The nagios.cfg read for hand-written objects and the object files it named; `problem` when it could not be read. */
  nagiosCfg?: { path: string; files: string[]; problem?: string };
}

export interface GeneratedObjectConfig {
  text: string;
  stats: ObjectConfigStats;
}

let version: string | undefined;
function applianceVersion(): string {
  try {
    version ??= String((JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version?: string }).version ?? 'unknown');
  } catch {
    version = 'unknown';
  }
  return version;
}

const NONE: HandWrittenObjects = { hosts: new Set(), hostgroups: new Set(), services: new Set(), everyHostServices: new Set(), files: [], filesRead: [] };

/** The object config for every host and service seen, with its statistics; reads the store and the Nagios config, writes nothing. */
export async function generateObjectConfig(options: GenerateObjectConfigOptions): Promise<GeneratedObjectConfig> {
  const { settings } = options;
  const now = options.now ?? new Date();
  const nowS = Math.floor(now.getTime() / 1000);
  const cfgPath = options.nagiosCfg === false ? undefined : (options.nagiosCfg ?? settings.nagiosCfg);
  let hand = NONE;
  let cfgInfo: ObjectConfigStats['nagiosCfg'];
  if (cfgPath) {
    try {
      hand = readHandWrittenObjects(cfgPath, options.outFile);
      cfgInfo = { path: cfgPath, files: hand.files };
    } catch (err) {
      cfgInfo = { path: cfgPath, files: [], problem: errorMessage(err) };
    }
  }
  const illegal = hand.illegalObjectNameChars ?? DEFAULT_ILLEGAL_OBJECT_NAME_CHARS;
  const stats: ObjectConfigStats = {
    hosts: 0, services: 0, retiredHosts: 0, retiredServices: 0, removedHosts: 0, removedServices: 0, handWrittenHosts: 0, handWrittenServices: 0, skipped: [],
    ...(cfgInfo ? { nagiosCfg: cfgInfo } : {}),
    ...(options.topology ? { topology: { placedHosts: 0, hostgroups: 0, handWrittenHostgroups: 0, problems: [] } } : {}),
  };
  const hostgroups = new Map<string, GeneratedHostgroup>();

  const byHost = new Map<string, { own?: SeenObject; services: SeenObject[] }>();
  for (const row of await readSeen(options.store)) {
    const entry = byHost.get(row.host) ?? { services: [] };
    if (row.service === undefined) entry.own = row;
    else entry.services.push(row);
    byHost.set(row.host, entry);
  }

  const hosts: GeneratedHost[] = [];
  const services: GeneratedService[] = [];
  for (const [host, { own, services: rows }] of byHost) {
    const lastSeen = Math.max(own?.lastSeen ?? -Infinity, ...rows.map((r) => r.lastSeen));
    const hostState = lifecycleState(lastSeen, nowS, settings);
    if (hostState === 'removed') {
      stats.removedHosts++;
      stats.removedServices += rows.length;
      continue;
    }
    const hostProblem = unsafeNameReason(host, illegal);
    if (hostProblem) {
      stats.skipped.push({ host, reason: `host name ${hostProblem}` });
      for (const r of rows) stats.skipped.push({ host, service: r.service, reason: `host name ${hostProblem}` });
      continue;
    }
    for (const r of rows) {
      const description = r.service!;
      const state = lifecycleState(r.lastSeen, nowS, settings);
      if (state === 'removed') {
        stats.removedServices++;
        continue;
      }
      const problem = unsafeNameReason(description, illegal);
      if (problem) {
        stats.skipped.push({ host, service: description, reason: `service description ${problem}` });
        continue;
      }
      if (hand.services.has(handServiceKey(host, description)) || hand.everyHostServices.has(description)) {
        stats.handWrittenServices++;
        continue;
      }
      const intervalS = reportingInterval(r, settings);
      services.push({ host, description, state, lastSeen: r.lastSeen, intervalS, thresholdS: freshnessThreshold(intervalS, settings) });
      stats.services++;
      if (state === 'retired') stats.retiredServices++;
    }
    if (hand.hosts.has(host)) {
      stats.handWrittenHosts++;
      continue;
    }
    const intervalS = own ? reportingInterval(own, settings) : 0;
    const placement = placeHost(options.topology, host, illegal);
    if (placement && stats.topology) {
      stats.topology.placedHosts++;
      for (const reason of placement.problems) stats.topology.problems.push({ host, reason });
      for (const g of placement.hostgroups) hostgroups.set(g.name, g);
    }
    hosts.push({
      name: host,
      state: hostState,
      lastSeen,
      ...(placement?.address !== undefined ? { address: placement.address } : {}),
      ...(placement?.alias !== undefined ? { alias: placement.alias } : {}),
      ...(placement?.hostgroups.length ? { hostgroups: placement.hostgroups.map((g) => g.name) } : {}),
      ...(own && lifecycleState(own.lastSeen, nowS, settings) !== 'removed' ? { freshness: { intervalS, thresholdS: freshnessThreshold(intervalS, settings) } } : {}),
    });
    stats.hosts++;
    if (hostState === 'retired') stats.retiredHosts++;
  }
  // A group the hand-written config defines is only named by the hosts: defining it again is an error to Nagios.
  const ownGroups = [...hostgroups.values()].filter((g) => !hand.hostgroups.has(g.name));
  if (stats.topology) {
    stats.topology.hostgroups = ownGroups.length;
    stats.topology.handWrittenHostgroups = hostgroups.size - ownGroups.length;
  }
  const notes = [
    `${stats.hosts} host(s) (${stats.retiredHosts} retired) and ${stats.services} service(s) (${stats.retiredServices} retired); removed after silence: ${stats.removedHosts} host(s), ${stats.removedServices} service(s).`,
    cfgInfo?.problem
      ? `Hand-written objects NOT read: ${cfgInfo.problem}`
      : cfgInfo
        ? `Left to the hand-written config (${cfgInfo.path}, ${cfgInfo.files.length} object file(s)): ${stats.handWrittenHosts} host(s), ${stats.handWrittenServices} service(s).`
        : 'No Nagios config was read for hand-written objects.',
    ...(stats.topology
      ? [`Topology: ${stats.topology.placedHosts} host(s) placed (address, alias, host groups of resource group and site); ${stats.topology.hostgroups} host group(s) defined here, ${stats.topology.handWrittenHostgroups} left to the hand-written config.`]
      : []),
    ...(stats.topology?.problems.length ? [`${stats.topology.problems.length} part(s) of a placement were left out (see the generator's statistics).`] : []),
    ...(stats.skipped.length ? [`${stats.skipped.length} name(s) Nagios would refuse were left out (see the generator's statistics).`] : []),
  ];
  const text = renderObjectConfig({ generator: 'Fabric Appliance', version: applianceVersion(), generatedAt: now, settings, hosts, hostgroups: ownGroups, services, notes });
  return { text, stats };
}
