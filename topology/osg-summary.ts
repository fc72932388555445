/** Reads OSG Topology's XML summaries (`/rgsummary/xml`, `/vosummary/xml`, MyOSG's formats) into topology data. */
import { formatPos, parseXml, type ConfigNode } from '../grammar/index.js';
import type { SummaryKind } from './topology-class.js';
import { emptyTopologyData, type TopologyContact, type TopologyData, type TopologyResource, type TopologyResourceGroup, type TopologyVo } from './types.js';

/** A summary that cannot be read: the message names the source, line, column and element. */
export class SummaryError extends Error {}

const ROOTS: Readonly<Record<SummaryKind, string>> = { rgsummary: 'ResourceSummary', vosummary: 'VOSummary' };

function child(node: ConfigNode | undefined, tag: string): ConfigNode | undefined {
  return node?.children.find((c) => c.tag === tag);
}

function children(node: ConfigNode | undefined, tag: string): ConfigNode[] {
  return node?.children.filter((c) => c.tag === tag) ?? [];
}

function text(node: ConfigNode | undefined, tag: string): string {
  return child(node, tag)?.text.trim() ?? '';
}

/** MyOSG's booleans are `True`/`False`. */
function bool(node: ConfigNode | undefined, tag: string, fallback: boolean): boolean {
  const v = text(node, tag).toLowerCase();
  return v === '' ? fallback : v === 'true';
}

function need(node: ConfigNode, tag: string, what: string): string {
  const v = text(node, tag);
  if (!v) throw new SummaryError(`${formatPos(node.pos)}: <${node.tag}> has no <${tag}> (${what})`);
  return v;
}

function intOf(node: ConfigNode, tag: string): number {
  const v = text(node, tag);
  if (v === '') return 0;
  if (!/^\d{1,9}$/.test(v)) throw new SummaryError(`${formatPos(child(node, tag)!.pos)}: <${tag}> "${v}" is not a whole number`);
  return Number(v);
}

function contacts(resource: ConfigNode): TopologyContact[] {
  return children(child(resource, 'ContactLists'), 'ContactList').flatMap((list) => {
    const type = text(list, 'ContactType');
    return children(child(list, 'Contacts'), 'Contact').flatMap((c) => {
      const name = text(c, 'Name');
      const email = text(c, 'Email');
      return name ? [{ type, name, ...(email ? { email } : {}) }] : [];
    });
  });
}

function resourceOf(el: ConfigNode): TopologyResource {
  const wlcg = child(el, 'WLCGInformation');
  const resource: TopologyResource = {
    id: intOf(el, 'ID'),
    name: need(el, 'Name', 'the resource name'),
    fqdn: need(el, 'FQDN', "the resource's host"),
    active: bool(el, 'Active', true),
    disable: bool(el, 'Disable', false),
    services: children(child(el, 'Services'), 'Service').map((s) => ({ name: need(s, 'Name', 'the service type'), ...(text(s, 'Description') ? { description: text(s, 'Description') } : {}) })),
    owners: children(child(el, 'VOOwnership'), 'Ownership').map((o) => {
      const percent = Number(text(o, 'Percent'));
      if (!Number.isInteger(percent) || percent < 0 || percent > 100) throw new SummaryError(`${formatPos(o.pos)}: <Ownership> Percent "${text(o, 'Percent')}" is not 0 to 100`);
      return { vo: need(o, 'VO', 'the owning VO'), percent };
    }),
    contacts: contacts(el),
  };
  const description = text(el, 'Description');
  if (description) resource.description = description;
  // An empty <WLCGInformation> (mixed content, no children) means the resource is not a WLCG one.
  if (wlcg && wlcg.children.length) {
    const accountingName = text(wlcg, 'AccountingName');
    resource.wlcg = {
      ...(accountingName ? { accountingName } : {}),
      interopMonitoring: bool(wlcg, 'InteropMonitoring', false),
      interopAccounting: bool(wlcg, 'InteropAccounting', false),
      interopBdii: bool(wlcg, 'InteropBDII', false),
    };
  }
  return resource;
}

function readRgSummary(root: ConfigNode): TopologyData {
  const data = emptyTopologyData();
  const sites = new Set<string>();
  for (const el of children(root, 'ResourceGroup')) {
    const siteNode = child(el, 'Site');
    if (!siteNode) throw new SummaryError(`${formatPos(el.pos)}: <ResourceGroup> has no <Site>`);
    const site = need(siteNode, 'Name', 'the site name');
    if (!sites.has(site)) {
      sites.add(site);
      const description = text(siteNode, 'Description');
      data.sites.push({ id: intOf(siteNode, 'ID'), name: site, facility: text(child(el, 'Facility'), 'Name') || site, ...(description ? { description } : {}) });
    }
    const group: TopologyResourceGroup = {
      id: intOf(el, 'GroupID'),
      name: need(el, 'GroupName', 'the resource group name'),
      site,
      gridType: text(el, 'GridType'),
      disable: bool(el, 'Disable', false),
      resources: children(child(el, 'Resources'), 'Resource').map(resourceOf),
    };
    const description = text(el, 'GroupDescription');
    if (description) group.description = description;
    data.resourceGroups.push(group);
  }
  return data;
}

function readVoSummary(root: ConfigNode): TopologyData {
  const data = emptyTopologyData();
  for (const el of children(root, 'VO')) {
    const fields = child(el, 'FieldsOfScience');
    const vo: TopologyVo = {
      id: intOf(el, 'ID'),
      name: need(el, 'Name', 'the VO name'),
      active: bool(el, 'Active', true),
      disable: bool(el, 'Disable', false),
      primaryFields: children(child(fields, 'PrimaryFields'), 'Field').map((f) => f.text.trim()).filter(Boolean),
      secondaryFields: children(child(fields, 'SecondaryFields'), 'Field').map((f) => f.text.trim()).filter(Boolean),
    };
    const longName = text(el, 'LongName');
    if (longName) vo.longName = longName;
    data.vos.push(vo);
  }
  return data;
}

/**
 * Parses one summary. `source` names it in messages (a path or URL). Entity declarations are refused (the
 * configuration's XML reader), so nothing is expanded or fetched. Throws SummaryError naming where it went wrong.
 */
export function parseOsgSummary(kind: SummaryKind, body: string, source: string): TopologyData {
  const { roots, issues } = parseXml(body, source);
  const first = issues[0];
  if (first) throw new SummaryError(`${formatPos(first.pos)}: ${first.message.replace('in configuration files', 'in topology summaries')}`);
  const root = roots.find((r) => r.tag === ROOTS[kind]);
  if (!root) {
    const got = roots[0] ? `<${roots[0].tag}>` : 'no element';
    throw new SummaryError(`${source}:1:1: a ${kind} must have <${ROOTS[kind]}> at its root, not ${got}`);
  }
  return kind === 'rgsummary' ? readRgSummary(root) : readVoSummary(root);
}
