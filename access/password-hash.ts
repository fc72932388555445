/** Password hashes as Apache's htpasswd writes them: bcrypt, apr1/MD5-crypt, {SHA} and traditional crypt(3). */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createRequire } from 'node:module';
import bcrypt from 'bcryptjs';
import { AppError } from '../common/index.js';

// Both are CommonJS functions (`module.exports = fn`); apache-md5's typings declare an ES default export that
// NodeNext resolution does not see as callable, and apache-crypt has none, so they are typed here.
const require = createRequire(import.meta.url);
/** MD5-crypt: `$apr1$` (Apache) or `$1$` (glibc) after the salt given, or a random `$apr1$` salt. */
const aprMd5 = require('apache-md5') as (password: string, salt?: string) => string;
/** Traditional DES crypt(3) with a two-character salt. */
const crypt = require('apache-crypt') as (password: string, salt?: string) => string;

/**
 * The schemes a users file may use. Plain text is not one: Apache accepts it only on Windows, NetWare and TPF,
 * and on Unix hands anything unrecognised to crypt(3), where a plain-text password never matches. So a
 * plain-text line is a config error here rather than a login that silently never works.
 */
export const HASH_SCHEMES = ['bcrypt', 'apr1', 'md5-crypt', 'sha1', 'crypt'] as const;
export type HashScheme = (typeof HASH_SCHEMES)[number];

const PATTERNS: readonly [HashScheme, RegExp][] = [
  ['bcrypt', /^\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}$/],
  ['apr1', /^\$apr1\$[^$:]{1,8}\$[./0-9A-Za-z]{22}$/],
  ['md5-crypt', /^\$1\$[^$:]{0,8}\$[./0-9A-Za-z]{22}$/],
  ['sha1', /^\{SHA\}[A-Za-z0-9+/]{27}=$/],
  // Apache on Unix treats any other 13-character crypt-alphabet string the same way.
  ['crypt', /^[./0-9A-Za-z]{13}$/],
];

/** The scheme of a stored hash, or a sentence saying why it is not one we can check. */
export function hashScheme(hash: string): { scheme: HashScheme } | { problem: string } {
  for (const [scheme, pattern] of PATTERNS) if (pattern.test(hash)) return { scheme };
  if (/^\$[56]\$/.test(hash)) return { problem: 'SHA-crypt ($5$/$6$) hashes are not supported; re-create the password with htpasswd -B (bcrypt)' };
  if (/^\$2[aby]?\$/.test(hash)) return { problem: 'malformed bcrypt hash' };
  if (/^\$(apr)?1\$/.test(hash)) return { problem: 'malformed MD5 hash' };
  if (/^\{SHA\}/.test(hash)) return { problem: 'malformed {SHA} hash (expected 28 characters of base64)' };
  const m = /^(\$[^$]*\$|\{[^}]*\})/.exec(hash);
  if (m) return { problem: `unknown hash scheme ${m[1]}; use htpasswd -B (bcrypt)` };
  return { problem: 'not a recognised password hash (plain-text passwords are not accepted); use htpasswd -B (bcrypt)' };
}

/** Whether `password` matches `hash` (of the given scheme). Every comparison takes the same time wherever it differs. */
export async function verifyPassword(password: string, hash: string, scheme: HashScheme): Promise<boolean> {
  switch (scheme) {
    case 'bcrypt':
      return bcrypt.compare(password, hash);
    case 'apr1':
    case 'md5-crypt':
      return safeEqual(aprMd5(bytesAsChars(password), hash), hash);
    case 'sha1':
      return safeEqual(`{SHA}${createHash('sha1').update(password, 'utf8').digest('base64')}`, hash);
    case 'crypt':
      // Like crypt(3), only the first 8 characters count; that is the scheme's weakness, kept for old files.
      return safeEqual(crypt(bytesAsChars(password), hash.slice(0, 2)), hash);
  }
}

/** Compares two strings in constant time (digests first, so differing lengths leak nothing either). */
export function safeEqual(a: string, b: string): boolean {
  const da = createHash('sha256').update(a, 'utf8').digest();
  const db = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(da, db);
}

/** bcrypt's cost for new hashes: 2^10 rounds, about 50-100 ms in pure JavaScript. */
const BCRYPT_COST = 10;
const BCRYPT_MAX_BYTES = 72;

/**
 * A bcrypt hash of `password` for a users file line (`user:` + this). Written as `$2y$`, the prefix Apache's
 * `htpasswd -B` writes and every Apache version reads; `$2b$` is the same algorithm. Synchronous (about 100 ms),
 * for the CLI: a server must not call it while it answers requests.
 */
export function hashPassword(password: string): string {
  if (!password) throw new AppError('bad_request', 'the password is empty');
  if (Buffer.byteLength(password, 'utf8') > BCRYPT_MAX_BYTES) {
    throw new AppError('bad_request', `the password is longer than ${BCRYPT_MAX_BYTES} bytes, and bcrypt ignores the rest; choose a shorter one`);
  }
  const hash = bcrypt.hashSync(password, BCRYPT_COST);
  return hash.replace(/^\$2[ab]\$/, '$2y$');
}

let dummy: Promise<string> | undefined;

/** Spends as long as a bcrypt check would, so an unknown user name answers no faster than a wrong password. */
export async function wasteBcryptTime(password: string): Promise<void> {
  dummy ??= bcrypt.hash('no user has this password', BCRYPT_COST);
  await bcrypt.compare(password, await dummy);
}

/**
 * The UTF-8 bytes of `text`, one character per byte. The MD5 and DES libraries read a password with
 * `charCodeAt`/"ascii", so this makes them hash the bytes htpasswd hashed for non-ASCII passwords.
 */
function bytesAsChars(text: string): string {
  return Buffer.from(text, 'utf8').toString('latin1');
}
