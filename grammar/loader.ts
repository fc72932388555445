/** Loads GraphTool XML configuration: one namespace over all files, imports first, first class definition wins. */
import { closeSync, constants, fstatSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { expandVars, type Env } from './expand.js';
import { descendants, parseXml } from './xml-tree.js';
import type { BuildContext, ClassTypeHandler, ConfigClass, ConfigIssue, ConfigNode, IssueSeverity, LoadedConfig, SourcePos } from './types.js';

export interface LoadOptions {
  /** The class types this appliance understands; any other `type` is a warning and its class is not loaded. */
  classTypes: readonly ClassTypeHandler[];
  /** Variables for `$VAR` expansion (default: the process environment). */
  env?: Env;
  /**
   * Python module name → directory, for `<import module="gratia.config" data_file="x.xml"/>`.
   * A module not in the map resolves to the importing file's own directory, so a folder of Gratia-web files loads as it is.
   */
  moduleMap?: Readonly<Record<string, string>>;
}

/** The largest configuration file read: far above any real one, and a bound on what an `<import>` can make us hold. */
export const MAX_CONFIG_FILE_BYTES = 16 * 1024 * 1024;

/**
 * A configuration file's text, read with a size limit. Only regular files are read: `/dev/zero` or a FIFO named by an
 * `<import>` would otherwise be read without end (or block), so they are refused before a byte is read.
 */
export function readConfigFile(file: string): string {
  // O_NONBLOCK: opening a FIFO without a writer would otherwise block here; regular files ignore the flag.
  const fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new ConfigFileError('not a regular file; a configuration file must be a plain file');
    if (stat.size > MAX_CONFIG_FILE_BYTES) throw new ConfigFileError(`${stat.size} bytes is larger than the ${MAX_CONFIG_FILE_BYTES / 1024 / 1024} MiB a configuration file may have`);
    // Read at most one byte past the limit: a file that grows after fstat is still caught, and never read whole.
    const buffer = Buffer.alloc(Math.min(stat.size, MAX_CONFIG_FILE_BYTES) + 1);
    let length = 0;
    for (let n; length < buffer.length && (n = readSync(fd, buffer, length, buffer.length - length, null)) > 0; ) length += n;
    if (length > MAX_CONFIG_FILE_BYTES) throw new ConfigFileError(`larger than the ${MAX_CONFIG_FILE_BYTES / 1024 / 1024} MiB a configuration file may have`);
    return buffer.toString('utf8', 0, length);
  } finally {
    closeSync(fd);
  }
}

/** A file that exists but is not one we read (its message is the reason). */
class ConfigFileError extends Error {}

/** The XML files a path stands for: the file itself, or a directory's `*.xml` files in name order. */
function entryFiles(path: string, issues: ConfigIssue[]): string[] {
  const abs = resolve(path);
  try {
    if (statSync(abs).isDirectory()) {
      return readdirSync(abs).filter((f) => f.endsWith('.xml')).sort().map((f) => join(abs, f));
    }
    return [abs];
  } catch {
    issues.push({ pos: { file: abs, line: 1, column: 1 }, message: 'no such configuration file or directory', severity: 'error' });
    return [];
  }
}

/** Reads the `<attribute name="k">` children of a class element (direct children only, text stripped). */
function readAttributes(node: ConfigNode, issue: BuildContext['issue']): ConfigClass['attributes'] {
  const attributes: ConfigClass['attributes'] = {};
  for (const child of node.children) {
    if (child.tag !== 'attribute') continue;
    const name = child.attrs.name;
    if (!name) {
      issue(child.pos, '<attribute> needs a name="..."');
      continue;
    }
    attributes[name] = { value: child.text.trim(), pos: child.pos };
  }
  return attributes;
}

/** `; did you mean "a" or "b"?` for the names `closeNames` suggested, or nothing when there are none. */
export function didYouMean(hints: readonly string[]): string {
  return hints.length ? `; did you mean ${hints.map((h) => `"${h}"`).join(' or ')}?` : '';
}

/** Suggests known names close to `name` for "did you mean" hints. */
export function closeNames(name: string, known: Iterable<string>, limit = 3): string[] {
  const lower = name.toLowerCase();
  const distance = (a: string, b: string): number => {
    const row = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
      let prev = row[0]!;
      row[0] = i;
      for (let j = 1; j <= b.length; j++) {
        const tmp = row[j]!;
        row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
        prev = tmp;
      }
    }
    return row[b.length]!;
  };
  return [...known]
    .map((k) => ({ k, d: k.toLowerCase().includes(lower) || lower.includes(k.toLowerCase()) ? 0 : distance(lower, k.toLowerCase()) }))
    .filter((x) => x.d <= Math.max(3, Math.floor(name.length / 3)))
    .sort((a, b) => a.d - b.d || a.k.localeCompare(b.k))
    .slice(0, limit)
    .map((x) => x.k);
}

/**
 * Loads every file under `paths` (files, or directories of `*.xml`), following imports, and builds each class
 * with its type's handler. Never throws for a configuration problem: every problem is in `issues`.
 */
export function loadConfig(paths: string | readonly string[], options: LoadOptions): LoadedConfig {
  const env = options.env ?? process.env;
  const handlers = new Map(options.classTypes.map((h) => [h.type, h]));
  const config: LoadedConfig = { objects: new Map(), files: [], issues: [] };
  const seen = new Set<string>();

  const issue = (pos: SourcePos, message: string, severity: IssueSeverity = 'error') => {
    config.issues.push({ pos, message, severity });
  };
  const ctx: BuildContext = {
    issue,
    expand: (text, pos) => expandVars(text, env, (name) => issue(pos, `environment variable $${name} is not set`)),
  };

  const parseFile = (file: string, from?: SourcePos): void => {
    if (seen.has(file)) return;
    seen.add(file);
    let text: string;
    try {
      text = readConfigFile(file);
    } catch (err) {
      const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
      issue(from ?? { file, line: 1, column: 1 }, `cannot read ${file}: ${reason}`);
      return;
    }
    config.files.push(file);
    const { roots, issues } = parseXml(text, file);
    config.issues.push(...issues);
    if (issues.length) return;
    const root = roots.find((r) => r.tag === 'graphtool-config') ?? roots.flatMap((r) => descendants(r, 'graphtool-config'))[0];
    if (!root) {
      issue(roots[0]?.pos ?? { file, line: 1, column: 1 }, 'no <graphtool-config> element in this file');
      return;
    }
    // GraphTool handles every import of a file before any of its classes.
    for (const imp of descendants(root, 'import')) importOne(imp, file);
    for (const el of descendants(root, 'class')) defineClass(el);
  };

  const importOne = (imp: ConfigNode, file: string): void => {
    const { file: target, module, data_file: dataFile } = imp.attrs;
    if (target !== undefined) {
      const expanded = ctx.expand(target, imp.pos);
      if (expanded.includes('$')) return; // the unset variable is already reported
      parseFile(isAbsolute(expanded) ? expanded : resolve(dirname(file), expanded), imp.pos);
    } else if (module !== undefined && dataFile !== undefined) {
      const dir = options.moduleMap?.[module] ?? dirname(file);
      parseFile(resolve(dir, ctx.expand(dataFile, imp.pos)), imp.pos);
    } else if (module === undefined) {
      issue(imp.pos, '<import> needs file="..." or module="..."');
    }
    // `<import module="m">A, B</import>` and `<import module="time"/>` bring Python names into GraphTool's
    // namespace; here those names resolve through the appliance's registries, so there is nothing to load.
  };

  const defineClass = (el: ConfigNode): void => {
    const { type, name } = el.attrs;
    if (!type || !name) {
      issue(el.pos, `<class> needs both type="..." and name="..."${name ? ` (class "${name}")` : ''}`);
      return;
    }
    if (config.objects.has(name)) return; // first definition wins, as in GraphTool
    const handler = handlers.get(type);
    if (!handler) {
      // A warning: the rest of the configuration still loads; whatever names this class reports it where it does.
      issue(el.pos, `class "${name}": unknown class type "${type}", so this class is not loaded${didYouMean(closeNames(type, handlers.keys()))}`, 'warning');
      return;
    }
    const cls: ConfigClass = { type, name, attributes: readAttributes(el, issue), node: el, pos: el.pos };
    const errorsBefore = config.issues.length;
    try {
      const value = handler.build(cls, ctx);
      config.objects.set(name, { type, name, value, cls });
    } catch (err) {
      if (config.issues.length === errorsBefore) issue(el.pos, `class "${name}": ${(err as Error).message}`);
    }
  };

  const files = (typeof paths === 'string' ? [paths] : paths).flatMap((p) => entryFiles(p, config.issues));
  for (const f of files) parseFile(f);
  return config;
}

/** The built objects of one class type, in definition order. */
export function objectsOfType<T>(config: LoadedConfig, type: string): { name: string; value: T; cls: ConfigClass }[] {
  return [...config.objects.values()].filter((o) => o.type === type).map((o) => ({ name: o.name, value: o.value as T, cls: o.cls }));
}
