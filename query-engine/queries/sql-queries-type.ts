/** The `SqlQueries` class type: a class's attributes, `<aggregate>` and `<query>`s, read before bases are linked. */
import { descendants, type BuildContext, type ClassTypeHandler, type SourcePos } from '../../grammar/index.js';
import { MAX_TIMER_SECONDS } from './query-limits-type.js';
import { readQuery } from './read-query.js';
import type { AggregateDecl, SqlQueriesClass } from './types.js';

/**
 * Builds a {@link SqlQueriesClass}. Bases may live in files loaded later, so chains are followed by
 * `linkQueries` once every file is loaded; here each query is checked on its own.
 */
export const sqlQueriesType: ClassTypeHandler<SqlQueriesClass> = {
  type: 'SqlQueries',
  build(cls, ctx) {
    const attributes = Object.fromEntries(Object.entries(cls.attributes).map(([k, v]) => [k, v.value]));
    const out: SqlQueriesClass = { name: cls.name, pos: cls.pos, attributes, queries: new Map() };
    const cm = cls.attributes.connection_manager;
    if (cm === undefined || cm.value === '') {
      ctx.issue(cls.pos, `SqlQueries "${cls.name}": the connection_manager attribute is required (the ConnectionManager whose connections run its queries)`);
    } else {
      out.connectionManager = { name: cm.value, pos: cm.pos };
    }
    const defaultClass = cls.node.attrs.default_query_class;
    if (defaultClass && defaultClass !== 'SqlQuery') {
      ctx.issue(cls.pos, `SqlQueries "${cls.name}": unknown default_query_class "${defaultClass}"; the only query class is "SqlQuery"`);
    }

    // GraphTool appended every <aggregate>'s connections; `all="true"` meant every connection of the manager.
    for (const agg of descendants(cls.node, 'aggregate')) {
      const decl: AggregateDecl = out.aggregate ?? { all: false, connections: [], pos: agg.pos };
      if ((agg.attrs.all ?? '').toLowerCase() === 'true') decl.all = true;
      for (const c of descendants(agg, 'connection')) {
        const name = c.text.trim();
        if (name) decl.connections.push({ name, pos: c.pos });
        else ctx.issue(c.pos, `SqlQueries "${cls.name}": an <aggregate> <connection> needs a connection name`);
      }
      out.aggregate = decl;
    }

    for (const el of descendants(cls.node, 'query')) {
      const q = readQuery(el, cls.name, ctx);
      if (!q) continue;
      if (out.queries.has(q.name)) {
        ctx.issue(el.pos, `query "${q.name}" is defined twice in class "${cls.name}"; this later definition wins, as in GraphTool`, 'warning');
        out.queries.delete(q.name);
      }
      out.queries.set(q.name, q);
      const own = q.attributes.sql_query_timeout;
      if (own !== undefined) checkTimeout(own, el.pos, `query "${q.name}"`, ctx);
    }
    const timeout = cls.attributes.sql_query_timeout;
    if (timeout !== undefined) checkTimeout(timeout.value, timeout.pos, `SqlQueries "${cls.name}"`, ctx);
    return out;
  },
};

/** A `sql_query_timeout` attribute (the default timeout of a class's or a query's runs) must be whole seconds a timer can wait. */
function checkTimeout(value: string, pos: SourcePos, label: string, ctx: BuildContext): void {
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(n >= 1 && n <= MAX_TIMER_SECONDS)) {
    ctx.issue(pos, `${label}: sql_query_timeout "${value}" is not a whole number of seconds from 1 to ${MAX_TIMER_SECONDS}`);
  }
}
