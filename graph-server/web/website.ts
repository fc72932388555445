/** The URL tree of `website.xml`: GraphTool's `WebHost` mounts of generators (XML, CSV, JSON, HTML, graphs) and static content. */
import { existsSync } from 'node:fs';
import { descendants, type ConfigClass, type ConfigIssue, type ConfigNode, type LoadedConfig, type SourcePos } from '../../grammar/index.js';

/** What a generator class produces, by its GraphTool class type (`JsonGenerator` is the appliance's). */
export const GENERATOR_OUTPUTS = {
  XmlGenerator: 'xml',
  CsvGenerator: 'csv',
  JsonGenerator: 'json',
  HtmlGenerator: 'html',
  Grapher: 'graph',
} as const;
export type GeneratorType = keyof typeof GENERATOR_OUTPUTS;
export type OutputKind = (typeof GENERATOR_OUTPUTS)[GeneratorType];

/** The `Content-Type` of a mount without a `content` attribute (a direct `<instance location>`). */
export const DEFAULT_CONTENT_TYPES: Record<OutputKind, string> = {
  xml: 'text/xml',
  csv: 'text/plain',
  json: 'application/json',
  html: 'text/html',
  graph: 'image/png',
};

/** A generator mounted at a location: every query of its `<queryobj>` SqlQueries is served under it. */
export interface QueryMount {
  location: string;
  /** The mount's `content` attribute (GraphTool sent it as `Content-Type`). */
  contentType: string;
  output: OutputKind;
  /** The generator class's name (`query_xml`). */
  generator: string;
  /** The SqlQueries classes its `<queryobj>` elements list that exist, in order. */
  queryClasses: string[];
  /** The generator's `display_name` attribute. */
  displayName: string | undefined;
  pos: SourcePos;
}

/** A `StaticContent` object mounted at a location: `<module name="content">` (the appliance's static files) or `<directory>`s. */
export interface StaticMount {
  location: string;
  /** URL path under the location → filesystem directory; `null` for the appliance's own static files. */
  directories: { urlPath: string; dir: string | null }[];
  pos: SourcePos;
}

export interface Website {
  queryMounts: QueryMount[];
  staticMounts: StaticMount[];
  /** Mounts not served and why, each at its position (warnings: the rest of the site is served). */
  issues: ConfigIssue[];
}

/** GraphTool's static content package; the appliance serves its own `views/static` under it. */
export const GRAPHTOOL_STATIC_MODULE = 'graphtool.static_content';

const trimSlash = (loc: string) => (loc.length > 1 ? loc.replace(/\/+$/, '') : loc);

/**
 * Reads every `WebHost` class of `config`:
 * `<mount location content><instance name/></mount>` and direct `<instance name location/>`. A mounted instance that
 * is not defined, or whose class the appliance does not serve, is a warning at the `<instance>` element.
 */
export function readWebsite(config: LoadedConfig): Website {
  const site: Website = { queryMounts: [], staticMounts: [], issues: [] };
  const warn = (pos: SourcePos, message: string) => site.issues.push({ pos, message, severity: 'warning' });
  const taken = new Map<string, SourcePos>();

  const mountOne = (host: string, location: string | undefined, content: string | undefined, instance: ConfigNode): void => {
    const name = (instance.attrs.name ?? '').trim();
    if (!location || !location.startsWith('/')) {
      warn(instance.pos, `WebHost "${host}": instance "${name}" needs location="/url/path"; not served`);
      return;
    }
    const loc = trimSlash(location);
    if (!name) {
      warn(instance.pos, `WebHost "${host}": <instance> at ${loc} needs name="..."; not served`);
      return;
    }
    const obj = config.objects.get(name);
    if (!obj) {
      warn(instance.pos, `WebHost "${host}": ${loc}: instance "${name}" is not defined in the configuration; ${loc} is not served`);
      return;
    }
    if (taken.has(loc)) {
      warn(instance.pos, `WebHost "${host}": ${loc} is already mounted; instance "${name}" is not served there`);
      return;
    }
    const cls = obj.cls;
    if (obj.type in GENERATOR_OUTPUTS) {
      const output = GENERATOR_OUTPUTS[obj.type as GeneratorType];
      taken.set(loc, instance.pos);
      site.queryMounts.push({
        location: loc,
        contentType: content?.trim() || DEFAULT_CONTENT_TYPES[output],
        output,
        generator: name,
        queryClasses: queryObjects(cls, config, warn),
        displayName: cls.attributes.display_name?.value,
        pos: instance.pos,
      });
    } else if (obj.type === 'StaticContent') {
      const directories = staticDirectories(cls, warn);
      if (directories.length) {
        taken.set(loc, instance.pos);
        site.staticMounts.push({ location: loc, directories, pos: instance.pos });
      }
    } else {
      const why = obj.type === 'Gratia'
        ? "Gratia-web's own page class; the appliance's home page and /gratia/html pages take its place"
        : obj.type === 'SeleniumHtmlPNGGenerator'
          ? 'the graph mounts render the same charts as PNG'
          : 'the appliance does not serve this class type';
      warn(instance.pos, `WebHost "${host}": ${loc}: instance "${name}" is a ${obj.type} (${why}); ${loc} is not served`);
    }
  };

  for (const obj of config.objects.values()) {
    if (obj.type !== 'WebHost') continue;
    for (const child of obj.cls.node.children) {
      if (child.tag === 'mount') {
        const instances = child.children.filter((c) => c.tag === 'instance');
        if (!instances.length) warn(child.pos, `WebHost "${obj.name}": <mount location="${child.attrs.location ?? ''}"> has no <instance name="..."/>; not served`);
        for (const inst of instances) mountOne(obj.name, child.attrs.location, child.attrs.content, inst);
      } else if (child.tag === 'instance') {
        mountOne(obj.name, child.attrs.location, undefined, child);
      }
      // <config module="gratia.config">prod.conf</config> configured CherryPy; the appliance's server has its own settings.
    }
  }
  return site;
}

function queryObjects(cls: ConfigClass, config: LoadedConfig, warn: (pos: SourcePos, message: string) => void): string[] {
  const out: string[] = [];
  for (const q of descendants(cls.node, 'queryobj')) {
    const name = q.text.trim();
    const obj = config.objects.get(name);
    // GraphTool ignored a <queryobj> it could not find; saying so saves a search for the missing queries.
    if (!obj || obj.type !== 'SqlQueries') {
      warn(q.pos, `${cls.type} "${cls.name}": <queryobj> "${name}" is not a SqlQueries class; its queries are not served here`);
      continue;
    }
    if (!out.includes(name)) out.push(name);
  }
  return out;
}

function staticDirectories(cls: ConfigClass, warn: (pos: SourcePos, message: string) => void): StaticMount['directories'] {
  const out: StaticMount['directories'] = [];
  for (const el of cls.node.children) {
    if (el.tag === 'module') {
      const module = el.text.trim();
      const urlPath = (el.attrs.name ?? '').trim();
      if (module !== GRAPHTOOL_STATIC_MODULE || !urlPath) {
        warn(el.pos, `StaticContent "${cls.name}": module "${module}" is not known; only <module name="content">${GRAPHTOOL_STATIC_MODULE}</module> (the appliance's static files) is served`);
        continue;
      }
      out.push({ urlPath: `/${urlPath.replace(/^\/+/, '')}`, dir: null });
    } else if (el.tag === 'directory') {
      // GraphTool served the directory at the mount itself; `location`/`name` only repeated the URL.
      const dir = el.text.trim();
      if (!existsSync(dir)) {
        warn(el.pos, `StaticContent "${cls.name}": directory ${dir} does not exist; not served`);
        continue;
      }
      out.push({ urlPath: '', dir });
    }
  }
  const declared = cls.node.children.some((c) => c.tag === 'module' || c.tag === 'directory');
  if (!declared) warn(cls.pos, `StaticContent "${cls.name}": no <module> or <directory> to serve`);
  return out;
}
