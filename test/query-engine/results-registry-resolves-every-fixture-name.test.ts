/** Every results function and transform the real configs name resolves, or is a known, explained gap. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  RESULTS_FUNCTION_NAMES,
  TRANSFORM_NAMES,
  UNSUPPORTED_RESULTS_FUNCTIONS,
  UNSUPPORTED_TRANSFORMS,
  resolveResultsFunction,
  resolveTransform,
  unsupportedResultsFunction,
  unsupportedTransform,
} from '../../query-engine/results/index.js';

const FIXTURES = new URL('../../../shared/fixtures/', import.meta.url).pathname;
const FOLDERS = ['gratia-web', 'seed-example', 'graphtool-example'];

function xmlTexts(): string[] {
  return FOLDERS.flatMap((folder) =>
    readdirSync(join(FIXTURES, folder))
      .filter((f) => f.endsWith('.xml'))
      .map((f) => readFileSync(join(FIXTURES, folder, f), 'utf8')),
  );
}

function attr(tag: string, name: string): string | undefined {
  return new RegExp(`\\b${name}\\s*=\\s*"([^"]*)"`).exec(tag)?.[1];
}

/** `[module, function]` of every `<results>` that names a function. */
function resultsFunctions(): [string, string][] {
  const found = new Map<string, [string, string]>();
  for (const xml of xmlTexts()) {
    for (const [tag] of xml.matchAll(/<results\b[^>]*>/g)) {
      const fn = attr(tag, 'function');
      if (fn !== undefined) found.set(`${attr(tag, 'module') ?? ''}.${fn}`, [attr(tag, 'module') ?? '', fn]);
    }
  }
  return [...found.values()];
}

/** Every name given to a `*_transform` input. */
function transformNames(): string[] {
  const found = new Set<string>();
  for (const xml of xmlTexts()) {
    for (const m of xml.matchAll(/<input\s+name="(\w*_transform)"[^>]*>([^<]*)<\/input>/g)) found.add((m[2] ?? '').trim());
  }
  return [...found];
}

describe('the results registry', () => {
  it('resolves every results function the fixtures name, except the listed gaps', () => {
    const named = resultsFunctions();
    expect(named.length).toBeGreaterThan(20);
    const unresolved = named.filter(([m, f]) => !resolveResultsFunction(m, f)).map(([m, f]) => `${m}.${f}`);
    for (const name of unresolved) expect(UNSUPPORTED_RESULTS_FUNCTIONS[name], name).toBeTypeOf('string');
    expect(unresolved.sort()).toEqual(
      [
        'gratia.database.metrics.osg_site_size',
        'gratia.database.metrics.osg_size',
        'gratia.database.metrics.site_resource_classifier',
        'gratia.database.metrics.size_classifier',
        'gratia.database.metrics.usage_statistics',
        'gratia.database.query_handler.fake_parser',
      ].sort(),
    );
  });

  it('resolves every transform the fixtures name, except the science filters', () => {
    const named = transformNames();
    expect(named).toContain('make_int');
    const unresolved = named.filter((n) => !resolveTransform(n));
    for (const name of unresolved) expect(unsupportedTransform(name), name).toBeTypeOf('string');
    expect(unresolved.sort()).toEqual(Object.keys(UNSUPPORTED_TRANSFORMS).sort());
  });

  it('resolves the parsers the reference documents, by module or by bare name', () => {
    for (const fn of ['results_parser', 'simple_results_parser', 'complex_pivot_parser', 'cumulative_pivot_group_parser', 'pivot_group_parser_plus', 'histogram_parser']) {
      expect(resolveResultsFunction('graphtool.database.query_handler', fn), fn).toBeTypeOf('function');
      expect(resolveResultsFunction('', fn), fn).toBe(resolveResultsFunction('graphtool.database.query_handler', fn));
    }
    expect(resolveResultsFunction(' gratia.database.query_handler ', 'results_parser_fillin')).toBeTypeOf('function');
    expect(resolveResultsFunction('gratia.database.query_handler', 'results_parser')).toBe(resolveResultsFunction('graphtool.database.query_handler', 'results_parser'));
  });

  it('answers undefined for unknown names and says why for known gaps', () => {
    expect(resolveResultsFunction('graphtool.database.query_handler', 'opportunistic_usage_parser')).toBeUndefined();
    expect(resolveResultsFunction('no.such.module', 'results_parser')).toBeUndefined();
    expect(resolveTransform('make_time')).toBeUndefined();
    expect(unsupportedResultsFunction('gratia.database.metrics', 'osg_size')).toMatch(/GIP/);
    expect(unsupportedResultsFunction('', 'science_classifier')).toBeUndefined();
    expect(resolveResultsFunction('', 'science_classifier')).toBeTypeOf('function');
    expect(unsupportedResultsFunction('gratia.database.query_handler', 'results_parser')).toBeUndefined();
    expect(unsupportedTransform('science_filter')).toMatch(/CSV feeds/);
  });

  it('lists exactly the names it resolves', () => {
    for (const dotted of RESULTS_FUNCTION_NAMES) {
      const dot = dotted.lastIndexOf('.');
      expect(resolveResultsFunction(dotted.slice(0, dot), dotted.slice(dot + 1)), dotted).toBeTypeOf('function');
    }
    for (const name of TRANSFORM_NAMES) expect(resolveTransform(name), name).toBeTypeOf('function');
    expect(RESULTS_FUNCTION_NAMES).toContain('gratia.database.query_handler.opportunistic_usage_parser5');
  });
});
