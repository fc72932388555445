/** Users files for tests, with hashes made on the spot (bcrypt at the lowest cost, so tests stay fast). */
import bcrypt from 'bcryptjs';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { usersClassType, type AccessSettings, type Role } from '../../../access/index.js';
import { tempDir } from '../../support/temp-files.js';

export const PASSWORDS = { alice: 'alice-secret', bob: 'bob-secret', carol: 'carol-secret' } as const;

/** `user:$2y$04$...` lines for each user. */
export function bcryptLines(users: Record<string, string>): string {
  return Object.entries(users).map(([u, p]) => `${u}:${bcrypt.hashSync(p, 4).replace('$2b$', '$2y$')}`).join('\n') + '\n';
}

/** Writes a users file into a new temporary directory; returns its path. */
export function writeUsersFile(content: string, name = 'users.htpasswd'): string {
  const dir = tempDir();
  const file = join(dir, name);
  writeFileSync(file, content);
  return file;
}

/** alice is admin, bob operator, carol gets the default role (viewer). */
export function standardSettings(overrides: Partial<AccessSettings> = {}): AccessSettings {
  const roles: Record<string, Role> = { alice: 'admin', bob: 'operator' };
  // These suites test the login-required mode; they turn anonymous reading on where they mean it.
  return { ...usersClassType.defaults(), anonymousRead: false, usersFile: writeUsersFile(bcryptLines(PASSWORDS)), roles, ...overrides };
}
