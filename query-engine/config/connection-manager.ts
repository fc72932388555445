/** The `ConnectionManager` class type (DBParam.xml): named database connections and the default one. */
import { AppError } from '../../common/index.js';
import { SQLITE_SYNCHRONOUS, type SqliteSynchronous, type StoreConnection } from '../../store/index.js';
import { formatPos } from '../../grammar/index.js';
import type { ClassTypeHandler, SourcePos } from '../../grammar/index.js';

export const INTERFACES = ['mysql', 'sqlite', 'oracle', 'postgres'] as const;
export type DbInterface = (typeof INTERFACES)[number];

export interface ConnectionDef {
  name: string;
  interface: DbInterface;
  /** Attribute values with variables expanded (`Host`, `Port`, `Database`, `DatabaseFile`, `AuthDBUsername`, ...). */
  attrs: Record<string, string>;
  pos: SourcePos;
}

export interface ConnectionManagerConfig {
  name: string;
  /** The connection used when a query names none. */
  default: string | undefined;
  /** The connection the appliance keeps its own store in (attribute `appliance_store`), if this manager names one. */
  applianceStore: string | undefined;
  connections: Map<string, ConnectionDef>;
}

export const connectionManagerType: ClassTypeHandler<ConnectionManagerConfig> = {
  type: 'ConnectionManager',
  build(cls, ctx) {
    const connections = new Map<string, ConnectionDef>();
    for (const el of cls.node.children.filter((c) => c.tag === 'connection')) {
      const name = el.attrs.name;
      if (!name) {
        ctx.issue(el.pos, `ConnectionManager "${cls.name}": <connection> needs a name="..."`);
        continue;
      }
      const attrs: Record<string, string> = {};
      for (const a of el.children.filter((c) => c.tag === 'attribute')) {
        if (a.attrs.name) attrs[a.attrs.name] = ctx.expand(a.text.trim(), a.pos);
      }
      const kind = (attrs.Interface ?? '').toLowerCase();
      if (!kind) {
        ctx.issue(el.pos, `connection "${name}": the Interface attribute is required (MySQL or sqlite)`);
        continue;
      }
      if (!(INTERFACES as readonly string[]).includes(kind)) {
        ctx.issue(el.pos, `connection "${name}": unknown Interface "${attrs.Interface}"; use MySQL or sqlite`);
        continue;
      }
      if (kind === 'oracle' || kind === 'postgres') {
        ctx.issue(el.pos, `connection "${name}": the ${attrs.Interface} interface is not supported; queries on this connection will fail`, 'warning');
      }
      if (kind === 'sqlite' && !attrs.DatabaseFile) ctx.issue(el.pos, `connection "${name}": an sqlite connection needs a DatabaseFile attribute`);
      if (kind === 'sqlite' && attrs.Synchronous !== undefined && !(SQLITE_SYNCHRONOUS as readonly string[]).includes(attrs.Synchronous.toLowerCase())) {
        ctx.issue(el.pos, `connection "${name}": Synchronous "${attrs.Synchronous}" is not one of FULL (the default: commits survive power loss) or NORMAL`);
      }
      if (kind === 'mysql' && !attrs.Database) ctx.issue(el.pos, `connection "${name}": a MySQL connection needs a Database attribute`);
      if (attrs.Port !== undefined && !/^\d+$/.test(attrs.Port)) ctx.issue(el.pos, `connection "${name}": Port "${attrs.Port}" is not a number`);
      connections.set(name, { name, interface: kind as DbInterface, attrs, pos: el.pos });
    }
    const def = cls.attributes.default?.value || undefined;
    if (def && !connections.has(def)) {
      // Real Gratia DBParam files name defaults they never define; GraphTool only failed when one was used.
      ctx.issue(cls.attributes.default!.pos, `ConnectionManager "${cls.name}": default connection "${def}" is not defined; queries using it will fail`, 'warning');
    }
    const store = cls.attributes.appliance_store?.value || undefined;
    if (store && !connections.has(store)) {
      ctx.issue(cls.attributes.appliance_store!.pos, `ConnectionManager "${cls.name}": appliance_store connection "${store}" is not defined`);
    }
    return { name: cls.name, default: def, applianceStore: store, connections };
  },
};

/** The store connection a DBParam connection describes; `baseDir` resolves a relative DatabaseFile. */
export function toStoreConnection(def: ConnectionDef, resolvePath: (p: string) => string = (p) => p): StoreConnection {
  if (def.interface === 'sqlite') {
    const level = def.attrs.Synchronous?.toLowerCase();
    const file = resolvePath(def.attrs.DatabaseFile ?? '');
    return level && (SQLITE_SYNCHRONOUS as readonly string[]).includes(level) ? { interface: 'sqlite', file, synchronous: level as SqliteSynchronous } : { interface: 'sqlite', file };
  }
  if (def.interface === 'mysql') {
    return {
      interface: 'mysql',
      host: def.attrs.Host || 'localhost',
      port: def.attrs.Port ? Number(def.attrs.Port) : 3306,
      database: def.attrs.Database ?? '',
      user: def.attrs.AuthDBUsername ?? '',
      password: def.attrs.AuthDBPassword ?? '',
    };
  }
  throw new AppError('config', `${formatPos(def.pos)}: connection "${def.name}": the ${def.interface} interface is not supported`);
}
