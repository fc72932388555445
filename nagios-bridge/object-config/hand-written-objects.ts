/** Reads a Nagios main config and the object files it names, to learn which hosts and services are defined by hand. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';

/** The hand-written part of a Nagios configuration, as far as the generator needs it. */
export interface HandWrittenObjects {
  /** Registered hosts (by `host_name`). */
  hosts: Set<string>;
  /** Registered services, as `host\u0000description`. */
  services: Set<string>;
  /** Registered host groups (by `hostgroup_name`): the generator does not define one of these again. */
  hostgroups: Set<string>;
  /** Descriptions of services defined for every host (`host_name *`): a generated host gets them anyway. */
  everyHostServices: Set<string>;
  /** The object files nagios.cfg names (cfg_file, and those under cfg_dir), in order, the generated file left out. */
  files: string[];
  /** Every object file read: those and the ones they include (include_file, include_dir). */
  filesRead: string[];
  /** nagios.cfg's `illegal_object_name_chars`, when it sets one. */
  illegalObjectNameChars?: string;
}

/** The key of a service in {@link HandWrittenObjects.services}. */
export const handServiceKey = (host: string, description: string) => `${host}\u0000${description}`;

interface Definition {
  type: string;
  directives: Map<string, string>;
}

/** `key=value` lines of a main config (comments start with `#` or `;`). */
function mainDirectives(text: string): [string, string][] {
  const out: [string, string][] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const eq = line.indexOf('=');
    if (eq > 0) out.push([line.slice(0, eq).trim(), line.slice(eq + 1).trim()]);
  }
  return out;
}

/** Every `*.cfg` under `dir`, recursively, in name order (as Nagios reads a cfg_dir). */
function cfgFilesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    const st = statSync(p, { throwIfNoEntry: false });
    if (st?.isDirectory()) out.push(...cfgFilesUnder(p));
    else if (st?.isFile() && name.endsWith('.cfg')) out.push(p);
  }
  return out;
}

/** Strips a `;` comment (not an escaped `\;`) and turns `\;` into `;`, as Nagios's object reader does. */
function stripComment(line: string): string {
  let out = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === '\\' && line[i + 1] === ';') {
      out += ';';
      i++;
    } else if (c === ';') break;
    else out += c;
  }
  return out;
}

/** The definitions of one object file, following its `include_file` / `include_dir` lines. */
function readObjectFile(file: string, defs: Definition[], files: string[], skip: ReadonlySet<string>): void {
  if (skip.has(file) || files.includes(file)) return;
  files.push(file);
  // Lines ending in `\` continue on the next one.
  const lines = readFileSync(file, 'utf8').replace(/\\\r?\n/g, '').split('\n');
  let current: Definition | undefined;
  for (const raw of lines) {
    const line = stripComment(raw).trim();
    if (!line || line.startsWith('#')) continue;
    if (!current) {
      const open = /^define\s+(\w+)\s*\{/.exec(line);
      if (open) current = { type: open[1]!.toLowerCase(), directives: new Map() };
      const inc = /^include_(file|dir)\s*=\s*(.+)$/.exec(line);
      if (inc) {
        const target = resolve(dirname(file), inc[2]!.trim());
        for (const f of inc[1] === 'dir' ? cfgFilesUnder(target) : [target]) readObjectFile(f, defs, files, skip);
      }
      continue;
    }
    if (line.startsWith('}')) {
      defs.push(current);
      current = undefined;
      continue;
    }
    const m = /^(\S+)\s*(.*)$/.exec(line);
    if (m && !current.directives.has(m[1]!)) current.directives.set(m[1]!, m[2]!.trim());
  }
}

const list = (v: string | undefined) => (v ?? '').split(',').map((x) => x.trim()).filter(Boolean);

/** Looks `key` up on `def`, then through its `use` templates, depth first in order (Nagios's inheritance). */
function inherited(def: Definition, key: string, templates: ReadonlyMap<string, Definition>, depth = 0): string | undefined {
  const own = def.directives.get(key);
  if (own !== undefined) return own.startsWith('+') ? own.slice(1) : own;
  if (depth > 20) return undefined;
  for (const t of list(def.directives.get('use'))) {
    const base = templates.get(`${def.type}\u0000${t}`);
    const v = base && inherited(base, key, templates, depth + 1);
    if (v !== undefined) return v;
  }
  return undefined;
}

/**
 * Reads `nagiosCfg` and every object file its `cfg_file` and `cfg_dir` lines name (relative paths from its directory),
 * except `generatedFile`. Hosts are registered `define host` blocks; services are expanded over `host_name` lists (with
 * `!` exclusions and `*`) and `hostgroup_name` (hostgroups' `members` and hosts' `hostgroups`), through templates.
 * Throws when the main config cannot be read.
 */
export function readHandWrittenObjects(nagiosCfg: string, generatedFile?: string): HandWrittenObjects {
  const base = dirname(resolve(nagiosCfg));
  const skip = new Set(generatedFile ? [resolve(generatedFile)] : []);
  const defs: Definition[] = [];
  const files: string[] = [];
  const filesRead: string[] = [];
  let illegal: string | undefined;
  for (const [key, value] of mainDirectives(readFileSync(nagiosCfg, 'utf8'))) {
    const path = isAbsolute(value) ? value : resolve(base, value);
    const top = key === 'cfg_file' ? [path] : key === 'cfg_dir' ? cfgFilesUnder(path) : [];
    for (const f of top) {
      if (skip.has(f)) continue;
      files.push(f);
      readObjectFile(f, defs, filesRead, skip);
    }
    if (key === 'illegal_object_name_chars') illegal = value;
  }

  const templates = new Map<string, Definition>();
  for (const d of defs) {
    const name = d.directives.get('name');
    if (name) templates.set(`${d.type}\u0000${name}`, d);
  }
  // `register` is the one directive Nagios never inherits: a template's `register 0` does not make its users templates.
  const registered = (d: Definition) => d.directives.get('register') !== '0';

  const hosts = new Set<string>();
  const hostgroups = new Set<string>();
  const groups = new Map<string, Set<string>>();
  const addToGroup = (g: string, h: string) => groups.set(g, (groups.get(g) ?? new Set()).add(h));
  for (const d of defs) {
    if (d.type === 'host' && registered(d)) {
      const h = inherited(d, 'host_name', templates);
      if (!h) continue;
      hosts.add(h);
      for (const g of list(inherited(d, 'hostgroups', templates))) addToGroup(g, h);
    } else if (d.type === 'hostgroup') {
      const g = d.directives.get('hostgroup_name');
      if (g && registered(d)) hostgroups.add(g);
      if (g) for (const h of list(d.directives.get('members'))) addToGroup(g, h);
    }
  }

  const services = new Set<string>();
  const everyHostServices = new Set<string>();
  for (const d of defs) {
    if (d.type !== 'service' || !registered(d)) continue;
    const description = inherited(d, 'service_description', templates);
    if (!description) continue;
    const targets = new Set<string>();
    const excluded = new Set<string>();
    for (const h of list(inherited(d, 'host_name', templates))) {
      if (h === '*') everyHostServices.add(description);
      else if (h.startsWith('!')) excluded.add(h.slice(1));
      else targets.add(h);
    }
    for (const g of list(inherited(d, 'hostgroup_name', templates))) {
      if (g === '*') everyHostServices.add(description);
      else if (g.startsWith('!')) for (const h of groups.get(g.slice(1)) ?? []) excluded.add(h);
      else for (const h of groups.get(g) ?? []) targets.add(h);
    }
    for (const h of targets) if (!excluded.has(h)) services.add(handServiceKey(h, description));
  }
  return { hosts, hostgroups, services, everyHostServices, files, filesRead, ...(illegal !== undefined ? { illegalObjectNameChars: illegal } : {}) };
}
