/** A DBParam.xml for a Gratia-web tree: every ConnectionManager its query classes name, each connection pointing at one store. */
import { objectsOfType, type LoadedConfig } from '../../grammar/index.js';
import type { SqlQueriesClass } from '../../query-engine/index.js';
import type { StoreConnection } from '../../store/index.js';

const xmlText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The connection attributes (GraphTool's DBParam format) that reach `conn`. */
function connectionAttributes(conn: StoreConnection): string {
  const attr = (name: string, value: string | number) => `<attribute name="${name}">${xmlText(String(value))}</attribute>`;
  if (conn.interface === 'sqlite') return attr('Interface', 'sqlite') + attr('DatabaseFile', conn.file);
  return [attr('Interface', 'MySQL'), attr('Host', conn.host), attr('Port', conn.port), attr('Database', conn.database), attr('AuthDBUsername', conn.user), attr('AuthDBPassword', conn.password)].join('');
}

/**
 * The managers (and connection names) a loaded tree's `SqlQueries` classes use: each class's `connection_manager`, the
 * connections its `<aggregate>` lists, and `default`.
 */
export function managersUsed(config: LoadedConfig): Map<string, Set<string>> {
  const used = new Map<string, Set<string>>();
  for (const { value } of objectsOfType<SqlQueriesClass>(config, 'SqlQueries')) {
    const name = value.connectionManager?.name;
    if (!name) continue;
    const connections = used.get(name) ?? new Set(['default']);
    for (const c of value.aggregate?.connections ?? []) connections.add(c.name);
    used.set(name, connections);
  }
  return used;
}

/**
 * The DBParam.xml text: loaded before the tree, so its managers win over any the tree defines (first definition wins).
 * A manager whose classes name one connection (RSVConnMan's `rsv`) has it as its default and as its `appliance_store`,
 * as README's Topology section sets Gratia-web's RSV manager up: its queries read the registry's `oim.*` tables and
 * the collected `rsvprocess.*` records. The others keep `default`; every connection reaches the same store.
 */
export function treeDbParam(managers: ReadonlyMap<string, ReadonlySet<string>>, conn: StoreConnection): string {
  const attrs = connectionAttributes(conn);
  const classes = [...managers].map(([name, connections]) => {
    const named = [...connections].filter((c) => c !== 'default');
    const main = named.length === 1 ? named[0]! : 'default';
    const body = [...connections].map((c) => `    <connection name="${xmlText(c)}">${attrs}</connection>`).join('\n');
    const head = `    <attribute name="default">${xmlText(main)}</attribute>\n    <attribute name="appliance_store">${xmlText(main)}</attribute>`;
    return `  <class name="${xmlText(name)}" type="ConnectionManager">\n${head}\n${body}\n  </class>`;
  });
  return `<graphtool-config>\n${classes.join('\n')}\n</graphtool-config>\n`;
}
