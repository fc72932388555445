/** The `Topology` class type: sites, resource groups, resources, VOs and clusters in configuration, and the OSG summaries to load. */
import { dirname, isAbsolute, resolve } from 'node:path';
import { parseBoolean, type BuildContext, type ClassTypeHandler, type ConfigClass, type ConfigNode, type SourcePos } from '../grammar/index.js';
import {
  emptyTopologyData, ITB_GRID_TYPE, PRODUCTION_GRID_TYPE,
  type TopologyData, type TopologyResource, type TopologyResourceGroup, type TopologyVo,
} from './types.js';

/** The two OSG Topology XML summaries the appliance reads. */
export const SUMMARY_KINDS = ['rgsummary', 'vosummary'] as const;
export type SummaryKind = (typeof SUMMARY_KINDS)[number];

/** Where one OSG Topology summary comes from: a file (read at load) or a URL (fetched on the refresh schedule). */
export interface SummarySource {
  kind: SummaryKind;
  file?: string;
  url?: string;
  pos: SourcePos;
}

/** One `Topology` class. */
export interface TopologyConfig {
  data: TopologyData;
  summaries: SummarySource[];
  /** Seconds between refreshes of the URL summaries (default 3600; GW re-read OIM every 600 s). */
  refreshSeconds: number;
  /** Seconds one fetch may take, headers to last byte (default 30). */
  fetchTimeoutSeconds: number;
  /** Bytes one summary may have (default 32 MiB; the whole OSG rgsummary is about 6 MB). */
  maxBytes: number;
}

export const TOPOLOGY_DEFAULTS = { refreshSeconds: 3600, fetchTimeoutSeconds: 30, maxBytes: 32 * 1024 * 1024 } as const;

const ATTRIBUTES = { refresh_seconds: [60, 7 * 86400], fetch_timeout_seconds: [1, 600], max_bytes: [1024, 1024 * 1024 * 1024] } as const;

const GRID_TYPES: Readonly<Record<string, string>> = { production: PRODUCTION_GRID_TYPE, itb: ITB_GRID_TYPE };

interface Reader {
  label: string;
  ctx: BuildContext;
}

function attr(el: ConfigNode, name: string): string | undefined {
  const v = el.attrs[name];
  return v === undefined ? undefined : v.trim();
}

function required(el: ConfigNode, name: string, r: Reader, what: string): string | undefined {
  const v = attr(el, name);
  if (!v) r.ctx.issue(el.pos, `${r.label}: <${el.tag}> needs ${name}="..." (${what})`);
  return v || undefined;
}

function flag(el: ConfigNode, name: string, fallback: boolean, r: Reader): boolean {
  const v = attr(el, name);
  return v === undefined ? fallback : (parseBoolean(v, el.pos, `${r.label}: <${el.tag}> ${name}`, r.ctx) ?? fallback);
}

function id(el: ConfigNode, r: Reader): number {
  const v = attr(el, 'id');
  if (v === undefined) return 0;
  if (/^[1-9]\d{0,8}$/.test(v)) return Number(v);
  r.ctx.issue(el.pos, `${r.label}: <${el.tag}> id="${v}" is not a whole number from 1`);
  return 0;
}

function unknown(el: ConfigNode, r: Reader, expected: string): void {
  r.ctx.issue(el.pos, `${r.label}: unexpected <${el.tag}> in <${expected}>`);
}

function readResource(el: ConfigNode, r: Reader): TopologyResource | undefined {
  const name = required(el, 'name', r, 'the OIM resource name, as Gratia records name the site');
  const fqdn = required(el, 'fqdn', r, "the host's fully qualified domain name");
  const resource: TopologyResource = {
    id: id(el, r), name: name ?? '', fqdn: fqdn ?? '', active: flag(el, 'active', true, r), disable: flag(el, 'disable', false, r),
    services: [], owners: [], contacts: [],
  };
  const description = attr(el, 'description');
  if (description) resource.description = description;
  const accountingName = attr(el, 'wlcg_accounting_name');
  if (accountingName !== undefined || attr(el, 'interop_monitoring') !== undefined) {
    resource.wlcg = {
      ...(accountingName ? { accountingName } : {}),
      interopMonitoring: flag(el, 'interop_monitoring', true, r),
      interopAccounting: flag(el, 'interop_accounting', accountingName !== undefined, r),
      interopBdii: flag(el, 'interop_bdii', false, r),
    };
  }
  for (const child of el.children) {
    if (child.tag === 'service') {
      const s = required(child, 'name', r, 'the service type, e.g. CE');
      if (s) resource.services.push({ name: s, ...(attr(child, 'description') ? { description: attr(child, 'description')! } : {}) });
    } else if (child.tag === 'owner') {
      const vo = required(child, 'vo', r, 'the owning VO');
      const text = attr(child, 'percent') ?? '100';
      const percent = /^\d{1,3}$/.test(text) ? Number(text) : NaN;
      if (!(percent >= 0 && percent <= 100)) r.ctx.issue(child.pos, `${r.label}: <owner> percent="${text}" is not a whole number from 0 to 100`);
      else if (vo) resource.owners.push({ vo, percent });
    } else if (child.tag === 'contact') {
      const cname = required(child, 'name', r, "the person's name");
      if (cname) resource.contacts.push({ type: attr(child, 'type') || 'Administrative Contact', name: cname, ...(attr(child, 'email') ? { email: attr(child, 'email')! } : {}) });
    } else unknown(child, r, 'resource');
  }
  const total = resource.owners.reduce((s, o) => s + o.percent, 0);
  if (total > 100) r.ctx.issue(el.pos, `${r.label}: resource "${resource.name}": owners' percents add up to ${total}, over 100`);
  return name && fqdn ? resource : undefined;
}

function readGroup(el: ConfigNode, site: string, r: Reader): TopologyResourceGroup | undefined {
  const name = required(el, 'name', r, 'the resource group name');
  const gridText = attr(el, 'grid_type') ?? 'production';
  const gridType = GRID_TYPES[gridText];
  if (!gridType) r.ctx.issue(el.pos, `${r.label}: <resource_group> grid_type="${gridText}" is not production or itb`);
  const group: TopologyResourceGroup = {
    id: id(el, r), name: name ?? '', site, gridType: gridType ?? PRODUCTION_GRID_TYPE, disable: flag(el, 'disable', false, r), resources: [],
  };
  const description = attr(el, 'description');
  if (description) group.description = description;
  for (const child of el.children) {
    if (child.tag !== 'resource') unknown(child, r, 'resource_group');
    else {
      const res = readResource(child, r);
      if (res) group.resources.push(res);
    }
  }
  return name ? group : undefined;
}

function readVo(el: ConfigNode, r: Reader): TopologyVo | undefined {
  const name = required(el, 'name', r, 'the VO name');
  const vo: TopologyVo = { id: id(el, r), name: name ?? '', active: flag(el, 'active', true, r), disable: flag(el, 'disable', false, r), primaryFields: [], secondaryFields: [] };
  const longName = attr(el, 'long_name');
  if (longName) vo.longName = longName;
  for (const child of el.children) {
    if (child.tag !== 'field_of_science') {
      unknown(child, r, 'vo');
      continue;
    }
    const field = child.text.trim();
    const rank = attr(child, 'rank') ?? 'primary';
    if (!field) r.ctx.issue(child.pos, `${r.label}: <field_of_science> is empty; write the field's name inside it`);
    else if (rank === 'primary') vo.primaryFields.push(field);
    else if (rank === 'secondary') vo.secondaryFields.push(field);
    else r.ctx.issue(child.pos, `${r.label}: <field_of_science> rank="${rank}" is not primary or secondary`);
  }
  return name ? vo : undefined;
}

/** The most nodes one `<node_range>` may name. */
const MAX_RANGE = 100_000;

/** `<node_range prefix="wn" from="1" to="480" width="3" suffix=".example.org"/>`: wn001.example.org ... wn480.example.org. */
function nodeRange(el: ConfigNode, r: Reader): string[] {
  const num = (name: string, fallback?: number): number => {
    const v = attr(el, name);
    if (v === undefined && fallback !== undefined) return fallback;
    if (v !== undefined && /^\d{1,9}$/.test(v)) return Number(v);
    r.ctx.issue(el.pos, `${r.label}: <node_range> ${name}="${v ?? ''}" is not a whole number`);
    return NaN;
  };
  const from = num('from');
  const to = num('to');
  const width = num('width', 0);
  if ([from, to, width].some(Number.isNaN)) return [];
  if (to < from || to - from + 1 > MAX_RANGE) {
    r.ctx.issue(el.pos, `${r.label}: <node_range> from="${from}" to="${to}" must name 1 to ${MAX_RANGE} nodes`);
    return [];
  }
  const prefix = attr(el, 'prefix') ?? '';
  const suffix = attr(el, 'suffix') ?? '';
  return Array.from({ length: to - from + 1 }, (_, i) => `${prefix}${String(from + i).padStart(width, '0')}${suffix}`);
}

function readSummary(el: ConfigNode, cls: ConfigClass, r: Reader): SummarySource | undefined {
  const kind = attr(el, 'kind');
  if (!(SUMMARY_KINDS as readonly (string | undefined)[]).includes(kind)) {
    r.ctx.issue(el.pos, `${r.label}: <summary> kind="${kind ?? ''}" is not one of ${SUMMARY_KINDS.join(', ')}`);
    return undefined;
  }
  const file = attr(el, 'file');
  const url = attr(el, 'url');
  if ((file === undefined) === (url === undefined)) {
    r.ctx.issue(el.pos, `${r.label}: <summary> needs exactly one of file="..." or url="..."`);
    return undefined;
  }
  if (url !== undefined) {
    const expanded = r.ctx.expand(url, el.pos);
    if (!/^https?:\/\/[^\s/]+/.test(expanded)) {
      r.ctx.issue(el.pos, `${r.label}: <summary> url="${url}" is not an http:// or https:// URL`);
      return undefined;
    }
    return { kind: kind as SummaryKind, url: expanded, pos: el.pos };
  }
  const expanded = r.ctx.expand(file!, el.pos);
  return { kind: kind as SummaryKind, file: isAbsolute(expanded) ? expanded : resolve(dirname(cls.pos.file), expanded), pos: el.pos };
}

/**
 * Reads
 * ```xml
 * <class type="Topology" name="Topology">
 *   <attribute name="refresh_seconds">3600</attribute>
 *   <summary kind="rgsummary" url="https://topology.opensciencegrid.org/rgsummary/xml"/>
 *   <site name="Nebraska" facility="University of Nebraska-Lincoln">
 *     <resource_group name="Nebraska" grid_type="production">
 *       <resource name="Nebraska" fqdn="red-gw1.unl.edu" wlcg_accounting_name="T2_US_Nebraska">
 *         <service name="CE"/> <owner vo="cms" percent="100"/>
 *       </resource>
 *     </resource_group>
 *   </site>
 *   <vo name="cms" long_name="Compact Muon Solenoid"><field_of_science>High Energy Physics</field_of_science></vo>
 *   <cluster name="red" site="Nebraska"><node>red-wn001.unl.edu</node></cluster>
 * </class>
 * ```
 * Every problem is reported at its element; a bad entry is left out and the rest is read.
 */
export const topologyClassType: ClassTypeHandler<TopologyConfig> = {
  type: 'Topology',
  build(cls, ctx) {
    const r: Reader = { label: `Topology "${cls.name}"`, ctx };
    const config: TopologyConfig = { data: emptyTopologyData(), summaries: [], ...TOPOLOGY_DEFAULTS };
    for (const [name, { value, pos }] of Object.entries(cls.attributes)) {
      const bounds = (ATTRIBUTES as Readonly<Record<string, readonly [number, number]>>)[name];
      if (!bounds) {
        ctx.issue(pos, `${r.label}: unknown attribute "${name}"; use ${Object.keys(ATTRIBUTES).join(', ')}`, 'warning');
        continue;
      }
      const n = /^\d+$/.test(value) ? Number(value) : NaN;
      if (!(n >= bounds[0] && n <= bounds[1])) {
        ctx.issue(pos, `${r.label}: ${name} "${value}" is not a whole number from ${bounds[0]} to ${bounds[1]}`);
        continue;
      }
      if (name === 'refresh_seconds') config.refreshSeconds = n;
      else if (name === 'fetch_timeout_seconds') config.fetchTimeoutSeconds = n;
      else config.maxBytes = n;
    }
    for (const el of cls.node.children) {
      if (el.tag === 'attribute') continue;
      if (el.tag === 'summary') {
        const s = readSummary(el, cls, r);
        if (s) config.summaries.push(s);
      } else if (el.tag === 'site') {
        const site = required(el, 'name', r, 'the site name');
        if (!site) continue;
        config.data.sites.push({ id: id(el, r), name: site, facility: attr(el, 'facility') || site, ...(attr(el, 'description') ? { description: attr(el, 'description')! } : {}) });
        for (const child of el.children) {
          if (child.tag !== 'resource_group') unknown(child, r, 'site');
          else {
            const group = readGroup(child, site, r);
            if (group) config.data.resourceGroups.push(group);
          }
        }
      } else if (el.tag === 'vo') {
        const vo = readVo(el, r);
        if (vo) config.data.vos.push(vo);
      } else if (el.tag === 'cluster') {
        const name = required(el, 'name', r, 'the cluster name');
        const nodes: string[] = [];
        for (const child of el.children) {
          if (child.tag === 'node_range') nodes.push(...nodeRange(child, r));
          else if (child.tag !== 'node') unknown(child, r, 'cluster');
          else if (!child.text.trim()) ctx.issue(child.pos, `${r.label}: <node> is empty; write the node's host name inside it`);
          else nodes.push(child.text.trim());
        }
        if (name) config.data.clusters.push({ name, nodes, ...(attr(el, 'site') ? { site: attr(el, 'site')! } : {}) });
      } else unknown(el, r, 'class');
    }
    return config;
  },
};
