/**
 * Where the topology registry puts a generated host: the resource's FQDN as its `address`, the resource's name as
 * its `alias`, and host groups for its resource group and site. A host the registry does not know gets none of these.
 */
import type { Topology } from '../../topology/index.js';
import { unsafeNameReason } from './object-names.js';

/** A `define hostgroup` the generated hosts name. */
export interface GeneratedHostgroup {
  name: string;
  alias: string;
}

export interface HostPlacement {
  address?: string;
  alias?: string;
  hostgroups: GeneratedHostgroup[];
  /** Why a part of the placement was left out (a name Nagios would refuse). */
  problems: string[];
}

/** The host-group names of a site and a resource group (a site and its group often share a name, so each has a prefix). */
export const siteHostgroup = (site: string) => `site-${site}`;
export const resourceGroupHostgroup = (group: string) => `resource-group-${group}`;

// A host name, IPv4 or IPv6 address: what Nagios passes to a check as $HOSTADDRESS$ without quoting.
const ADDRESS = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;

/** A directive value on one line that `;` cannot cut short (Nagios reads `\;` as a semicolon). */
// eslint-disable-next-line no-control-regex
const lineValue = (text: string) => text.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/;/g, '\\;').trim();

/**
 * The placement of Nagios host `host`: the registry's resource of that name, else the resource whose FQDN it is
 * (compared case-insensitively); undefined when the registry has neither.
 */
export function placeHost(topology: Topology | undefined, host: string, illegalChars: string): HostPlacement | undefined {
  const resource = topology?.resource(host) ?? topology?.resourceByFqdn(host);
  if (!resource) return undefined;
  const placement: HostPlacement = { hostgroups: [], problems: [] };
  if (ADDRESS.test(resource.fqdn)) placement.address = resource.fqdn;
  else placement.problems.push(`address "${resource.fqdn}" is not a host name or IP address`);
  const alias = lineValue(resource.name);
  if (alias) placement.alias = alias;
  const site = topology?.site(resource.site);
  const groups: GeneratedHostgroup[] = [
    { name: resourceGroupHostgroup(resource.group), alias: `Resource group ${lineValue(resource.group)} (site ${lineValue(resource.site)})` },
    { name: siteHostgroup(resource.site), alias: `Site ${lineValue(resource.site)}${site && site.facility !== site.name ? ` (${lineValue(site.facility)})` : ''}` },
  ];
  for (const g of groups) {
    const problem = unsafeNameReason(g.name, illegalChars);
    if (problem) placement.problems.push(`host group "${g.name}" left out: ${problem}`);
    else placement.hostgroups.push(g);
  }
  return placement;
}
