/** Declared metrics: the `Metrics` class type (WP4: a metric is configured before samples of it are stored). */
import type { BuildContext, ClassTypeHandler, ConfigClass } from '../grammar/index.js';

/** One declared metric. */
export interface MetricDeclaration {
  name: string;
  description?: string;
  unit?: string;
}

/**
 * `<class type="Metrics" name="RsvMetrics">` with `<metric name="org.osg.general.ping-host" unit="">text</metric>`
 * children (the text is the description), or `<attribute name="names">` holding names separated by white space.
 */
export const metricsClassType: ClassTypeHandler<MetricDeclaration[]> = {
  type: 'Metrics',
  build(cls: ConfigClass, ctx: BuildContext): MetricDeclaration[] {
    const label = `Metrics "${cls.name}"`;
    const out = new Map<string, MetricDeclaration>();
    const add = (decl: MetricDeclaration, pos: ConfigClass['pos']) => {
      if (!/^[^\s;]+$/.test(decl.name)) return ctx.issue(pos, `${label}: metric name "${decl.name}" may not contain spaces or ";"`);
      if (out.has(decl.name)) return ctx.issue(pos, `${label}: metric "${decl.name}" is declared twice`, 'warning');
      out.set(decl.name, decl);
    };
    for (const [name, { value, pos }] of Object.entries(cls.attributes)) {
      if (name !== 'names') {
        ctx.issue(pos, `${label}: unknown attribute "${name}"; use names, or <metric name="...">`, 'warning');
        continue;
      }
      for (const n of value.split(/\s+/).filter(Boolean)) add({ name: n }, pos);
    }
    for (const el of cls.node.children) {
      if (el.tag === 'attribute') continue;
      if (el.tag !== 'metric') {
        ctx.issue(el.pos, `${label}: unknown element <${el.tag}>; use <metric name="...">`, 'warning');
        continue;
      }
      const name = el.attrs.name?.trim();
      if (!name) {
        ctx.issue(el.pos, `${label}: <metric> needs name="..."`);
        continue;
      }
      const description = el.text.trim();
      add({ name, ...(description ? { description } : {}), ...(el.attrs.unit ? { unit: el.attrs.unit } : {}) }, el.pos);
    }
    return [...out.values()];
  },
};
