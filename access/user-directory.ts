/** The users of the users file with their roles, and the password check (cache, throttle, constant time) over them. */
import type { CredentialCache } from './credential-cache.js';
import { ADDRESS_KEY_PREFIX, type LoginThrottle } from './login-throttle.js';
import { verifyPassword, wasteBcryptTime } from './password-hash.js';
import type { Role } from './roles.js';
import type { AccessSettings } from './settings.js';
import type { UserEntry } from './users-file.js';

/** The outcome of a password check. The caller tells the client nothing that separates a wrong name from a wrong password. */
export type PasswordCheck =
  | { ok: true; role: Role }
  | { ok: false; reason: 'wrong' }
  | { ok: false; reason: 'throttled'; retryAfterMs: number };

export interface UserDirectory {
  settings(): AccessSettings;
  /** The current role of a user of the users file, or null when the file no longer lists them. */
  roleOf(user: string): Role | null;
  check(user: string, password: string, address: string): Promise<PasswordCheck>;
  /** Replaces settings and users together (already validated). */
  replace(settings: AccessSettings, users: ReadonlyMap<string, UserEntry>): void;
}

export interface UserDirectoryOptions {
  settings: AccessSettings;
  users: ReadonlyMap<string, UserEntry>;
  cache: CredentialCache;
  throttle: LoginThrottle;
}

export const userKey = (user: string) => `user:${user}`;
export const addressKey = (address: string) => `${ADDRESS_KEY_PREFIX}${address}`;
/**
 * Bad API tokens from one address count apart from bad passwords: a token is 256 random bits, not a guess at anyone's
 * password, so a client sending bad tokens must not lock the passwords of everyone behind the same NAT.
 */
export const badTokenKey = (address: string) => `${ADDRESS_KEY_PREFIX}token:${address}`;

export function createUserDirectory(options: UserDirectoryOptions): UserDirectory {
  let { settings, users } = options;
  const { cache, throttle } = options;
  const roleOf = (user: string): Role | null => {
    if (!users.has(user)) return null;
    return Object.hasOwn(settings.roles, user) ? settings.roles[user]! : settings.defaultRole;
  };
  return {
    settings: () => settings,
    roleOf,
    async check(user, password, address) {
      const entry = users.get(user);
      // A password verified moments ago is not a guess, so a lock set by someone else's guessing does not block it.
      if (entry && cache.has(user, password, entry.hash)) return { ok: true, role: roleOf(user)! };
      const retryAfterMs = Math.max(throttle.retryAfterMs(userKey(user)), throttle.retryAfterMs(addressKey(address)));
      if (retryAfterMs > 0) return { ok: false, reason: 'throttled', retryAfterMs };
      const valid = entry ? await verifyPassword(password, entry.hash, entry.scheme) : (await wasteBcryptTime(password), false);
      // The file may have been replaced while bcrypt ran; only the users of the current file count.
      if (!valid || !entry || users.get(user) !== entry) {
        throttle.fail(userKey(user), addressKey(address));
        return { ok: false, reason: 'wrong' };
      }
      cache.add(user, password, entry.hash);
      throttle.reset(userKey(user));
      return { ok: true, role: roleOf(user)! };
    },
    replace(next, nextUsers) {
      settings = next;
      users = nextUsers;
      cache.clear();
    },
  };
}
