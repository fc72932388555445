/** The users file reads what Apache's htpasswd writes: bcrypt ($2y$/$2a$/$2b$), apr1 and $1$ MD5, {SHA} and crypt(3). */
import aprMd5 from 'apache-md5';
import bcrypt from 'bcryptjs';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { afterAll, describe, expect, it } from 'vitest';
import { hashPassword, parseUsersFile, usersFileLine } from '../../access/index.js';
import { hashScheme, verifyPassword, type HashScheme } from '../../access/password-hash.js';
import { AppError } from '../../common/index.js';
import { removeTempDirs } from '../support/temp-files.js';

afterAll(removeTempDirs);

const require = createRequire(import.meta.url);
const apacheCrypt = require('apache-crypt') as (password: string, salt?: string) => string;
const md5 = aprMd5 as unknown as (password: string, salt?: string) => string;

const password = 'correct horse';
const bcryptHash = bcrypt.hashSync(password, 4);
const hashes: [string, HashScheme, string][] = [
  ['bcrypt $2y$ (htpasswd -B)', 'bcrypt', bcryptHash.replace(/^\$2b\$/, '$2y$')],
  ['bcrypt $2a$', 'bcrypt', bcryptHash.replace(/^\$2b\$/, '$2a$')],
  ['bcrypt $2b$', 'bcrypt', bcryptHash],
  ['apr1 MD5 (htpasswd -m)', 'apr1', md5(password)],
  ['glibc $1$ MD5', 'md5-crypt', md5(password, '$1$s4lt$')],
  ['{SHA} (htpasswd -s)', 'sha1', '{SHA}' + createHash('sha1').update(password).digest('base64')],
  ['crypt(3) (htpasswd -d)', 'crypt', apacheCrypt(password, 'x7')],
];

describe('each htpasswd hash scheme', () => {
  it.each(hashes)('%s: parsed as %s, right password accepted, wrong refused', async (_label, scheme, hash) => {
    const parsed = parseUsersFile(`# users\n\nalice:${hash}\n`, 'users');
    expect(parsed.issues).toEqual([]);
    const entry = parsed.users.get('alice')!;
    expect(entry).toMatchObject({ user: 'alice', hash, scheme, line: 3 });
    expect(await verifyPassword(password, hash, scheme)).toBe(true);
    expect(await verifyPassword('Correct horse', hash, scheme)).toBe(false);
    expect(await verifyPassword('', hash, scheme)).toBe(false);
  });

  it('crypt(3) counts only the first 8 characters, as Apache does (the scheme is weak; kept for old files)', async () => {
    const hash = apacheCrypt('abcdefgh-one', 'ab');
    expect(await verifyPassword('abcdefgh-two', hash, 'crypt')).toBe(true);
    expect(await verifyPassword('abcdefgX-one', hash, 'crypt')).toBe(false);
  });

  it('ignores fields after the hash, as Apache does', () => {
    const parsed = parseUsersFile(`alice:${bcryptHash}:admins,ops\n`, 'users');
    expect(parsed.issues).toEqual([]);
    expect(parsed.users.get('alice')?.hash).toBe(bcryptHash);
  });

  it('reads CRLF files and indented comments', () => {
    const parsed = parseUsersFile(`  # comment\r\nalice:${bcryptHash}\r\n\r\n`, 'users');
    expect(parsed.issues).toEqual([]);
    expect([...parsed.users.keys()]).toEqual(['alice']);
  });

  let openssl = true;
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
  } catch {
    openssl = false;
  }
  it.skipIf(!openssl)('hashes non-ASCII passwords as UTF-8 bytes, like htpasswd and openssl', async () => {
    const utf8 = 'pässwörd€';
    const apr1 = execFileSync('openssl', ['passwd', '-apr1', '-salt', 's4ltS4lt', utf8], { encoding: 'utf8' }).trim();
    const md5crypt = execFileSync('openssl', ['passwd', '-1', '-salt', 'abc', utf8], { encoding: 'utf8' }).trim();
    expect(await verifyPassword(utf8, apr1, 'apr1')).toBe(true);
    expect(await verifyPassword('passwörd€', apr1, 'apr1')).toBe(false);
    expect(await verifyPassword(utf8, md5crypt, 'md5-crypt')).toBe(true);
  });
});

describe('hashPassword and usersFileLine (appliance user add)', () => {
  it('writes a $2y$ bcrypt hash that the users file reads back and that verifies', async () => {
    const hash = hashPassword('s3cret pass');
    expect(hash).toMatch(/^\$2y\$10\$/);
    expect(hashScheme(hash)).toEqual({ scheme: 'bcrypt' });
    expect(await verifyPassword('s3cret pass', hash, 'bcrypt')).toBe(true);
    const line = usersFileLine('dave', 's3cret pass');
    const parsed = parseUsersFile(line + '\n', 'users');
    expect(parsed.issues).toEqual([]);
    expect(await verifyPassword('s3cret pass', parsed.users.get('dave')!.hash, 'bcrypt')).toBe(true);
  });

  it.each([['a:b'], ['has space'], ['#comment'], ['']])('refuses the user name %j', (name) => {
    expect(() => usersFileLine(name, 'pw')).toThrow(AppError);
  });

  it('refuses an empty password and one longer than bcrypt reads', () => {
    expect(() => hashPassword('')).toThrow(/empty/);
    expect(() => hashPassword('x'.repeat(73))).toThrow(/72 bytes/);
  });
});
