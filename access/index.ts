/** The access stage: users file and roles, Basic/Bearer/session authentication, CSRF, login pages and API tokens. */
export { accessMigrations } from './access-schema.js';
export { checkAccessSettings, createAccess } from './create-access.js';
export type { Access, AccessOptions, TokenAdmin } from './create-access.js';
export { hashPassword } from './password-hash.js';
export { ROLES } from './roles.js';
export type { Role } from './roles.js';
export { usersClassType } from './settings.js';
export type { AccessSettings } from './settings.js';
export type { CreatedToken, TokenInfo } from './token-store.js';
export type { AuthVia, RequestAuth } from './types.js';
export { parseUsersFile, readUsersFile, usersFileLine } from './users-file.js';
export type { UserEntry, UsersFile } from './users-file.js';
