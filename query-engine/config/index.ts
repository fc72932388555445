/** The query engine's own class type for database connections (GraphTool's `ConnectionManager`, DBParam.xml). */
export { connectionManagerType, INTERFACES, toStoreConnection } from './connection-manager.js';
export type { ConnectionDef, ConnectionManagerConfig, DbInterface } from './connection-manager.js';
