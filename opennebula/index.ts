/** The OpenNebula XML-RPC client, shared by accounting (pulls) and provisioning. */
export { createOpenNebulaClient, decodeReply } from './client.js';
export type { OpenNebulaClient, OpenNebulaClientOptions, PoolFilter, PoolState } from './client.js';
export { ONE_ERROR_CODES, OPENNEBULA_ERROR_KINDS, OpenNebulaError } from './errors.js';
export type { OpenNebulaErrorKind } from './errors.js';
export { resolveSession } from './session.js';
export type { SessionSource } from './session.js';
