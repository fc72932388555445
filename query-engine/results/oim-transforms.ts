/** GW's OIM mapping transforms, reading the OIM feeds from the context instead of fetching them. */
import { AppError, compileMatchFromStart } from '../../common/index.js';
import { dataError } from './errors.js';
import { asciiLower, asciiUpper, pyStr, pyStrip } from './python-values.js';
import { firstArg, strOf } from './transforms.js';
import type { OimData, ResultsContext, ResultsVars, Transform, Value } from './types.js';

const UNKNOWN = 'UNKNOWN';
const MULTI_SCIENCE = 'Multi-Science Community';

function feed<K extends keyof OimData>(ctx: ResultsContext, key: K, transform: string): NonNullable<OimData[K]> {
  const data = ctx.oim?.[key];
  // GW raised "Unable to fetch data from <url>" when OIM could not be read and nothing was cached.
  if (data === undefined) throw new AppError('unavailable', `${transform} needs the OIM ${key} feed, which is not configured`, { transform, feed: key });
  return data;
}

interface ResourceMaps {
  resourceToGroup: Map<string, string>;
  groupToResource: Map<string, string>;
  resourceToWlcg: Map<string, string>;
}

const resourceMapCache = new WeakMap<object, ResourceMaps>();

// OimResourceFilter.parse: resources are walked last to first, so a group stands for its first resource.
function resourceMaps(groups: NonNullable<OimData['resourceGroups']>): ResourceMaps {
  const cached = resourceMapCache.get(groups);
  if (cached) return cached;
  const maps: ResourceMaps = { resourceToGroup: new Map(), groupToResource: new Map(), resourceToWlcg: new Map() };
  for (const group of groups) {
    if (group.name === '') continue;
    for (const resource of [...group.resources].reverse()) {
      if (resource.name === '') continue;
      maps.groupToResource.set(group.name, resource.name);
      maps.resourceToGroup.set(resource.name, group.name);
      if (resource.wlcgAccountingName) maps.resourceToWlcg.set(resource.name, resource.wlcgAccountingName);
    }
  }
  resourceMapCache.set(groups, maps);
  return maps;
}

/**
 * `oim_resource_filter(name, group=...)`: a Gratia site name to its OIM resource (`group=resource`,
 * the default: a resource group's name becomes its first resource), resource group
 * (`resource_group`) or WLCG accounting name (`wlcg`, `None` when it has none).
 */
export const oimResourceFilter: Transform = (args, kw, ctx) => {
  const pivot = firstArg(args, 'oim_resource_filter');
  const maps = resourceMaps(feed(ctx, 'resourceGroups', 'oim_resource_filter'));
  const name = typeof pivot === 'string' ? pivot : undefined;
  const lookup = (map: Map<string, string>): string | undefined => (name === undefined ? undefined : map.get(name));
  const resource = (): Value => (name !== undefined && maps.resourceToGroup.has(name) ? pivot : (lookup(maps.groupToResource) ?? pivot));
  const preference = kw.group ?? 'resource';
  if (preference === 'resource') return resource();
  if (preference === 'resource_group') return lookup(maps.resourceToGroup) ?? pivot;
  if (preference === 'wlcg') {
    const r = resource();
    return typeof r === 'string' ? (maps.resourceToWlcg.get(r) ?? null) : null;
  }
  return pivot;
};

/** `oim_vo_filter(vo)`: the VO as OIM spells it (case-insensitive match), or `None` to drop the row. */
export const oimVoFilter: Transform = (args, _kw, ctx) => {
  if (args.length > 1) throw dataError(`oim_vo_filter takes one pivot column (${args.length} given)`);
  const vo = firstArg(args, 'oim_vo_filter');
  if (typeof vo !== 'string') throw dataError(`oim_vo_filter: the VO column is ${strOf(vo)}, not text`);
  const wanted = asciiLower(vo);
  return feed(ctx, 'voNames', 'oim_vo_filter').find((name) => asciiLower(name) === wanted) ?? null;
};

/** Python's `re.match(pattern, text, re.IGNORECASE)` under RE2 (the pattern may be request text): anchored at the start only. */
function pyMatch(pattern: string, text: string, input: string): boolean {
  // RE2 spells Python's named groups `(?P<name>…)` as Python does.
  return compileMatchFromStart(pattern, { input, caseInsensitive: true }).test(text);
}

/**
 * `oim_vo_project_fos_filter(vo, project)`: the project's field of science (unless the project is
 * empty or "unknown"), else the VO's, else "Multi-Science Community"; `None` (drop) when it matches
 * `exclude-fos` or does not match `fos` (both `re.match`, case-insensitive).
 */
export const oimVoProjectFosFilter: Transform = (args, kw, ctx) => {
  const vo = firstArg(args, 'oim_vo_project_fos_filter');
  const project = args[1];
  if (project === undefined) throw dataError('oim_vo_project_fos_filter needs the pivots VO, project');
  const voFos = new Map(feed(ctx, 'voFieldsOfScience', 'oim_vo_project_fos_filter').map((e) => [asciiUpper(e.vo), e.field] as const));
  const projectFos = new Map(
    feed(ctx, 'projectFieldsOfScience', 'oim_vo_project_fos_filter').map((e) => [asciiUpper(pyStrip(e.project)), pyStrip(e.field)] as const),
  );
  let fos = MULTI_SCIENCE;
  const projectField = typeof project === 'string' ? projectFos.get(project) : undefined;
  const voField = typeof vo === 'string' ? voFos.get(vo) : undefined;
  if (typeof project === 'string' && project !== '' && asciiUpper(project) !== UNKNOWN && projectField !== undefined) fos = projectField;
  else if (voField !== undefined) fos = voField;
  const text = (v: unknown, fallback: string): string => (v === undefined ? fallback : pyStr(v));
  if (pyMatch(text(kw['exclude-fos'], 'NONE'), fos, 'exclude-fos')) return null;
  return pyMatch(text(kw.fos, '.*'), fos, 'fos') ? fos : null;
};

/** `displayVOProjectFosCommaSite(vo, project, site)`: `field, site`, or `None` when the field is filtered out. */
export const displayVoProjectFosCommaSite: Transform = (args, kw: ResultsVars, ctx) => {
  const site = args[2];
  if (site === undefined) throw dataError('displayVOProjectFosCommaSite needs the pivots VO, project, site');
  const fos = oimVoProjectFosFilter(args, kw, ctx);
  return fos === null ? null : `${strOf(fos)}, ${strOf(site)}`;
};
