/** A bad users file is reported whole: every malformed line, unknown scheme and duplicate user, each with file:line. */
import bcrypt from 'bcryptjs';
import { afterAll, describe, expect, it } from 'vitest';
import { parseUsersFile, readUsersFile } from '../../access/index.js';
import { formatIssue } from '../../grammar/index.js';
import { removeTempDirs, tempDir } from '../support/temp-files.js';

afterAll(removeTempDirs);

const good = bcrypt.hashSync('pw', 4);

describe('users file problems', () => {
  it('lists every problem at once, with file:line:column, and keeps the good users', () => {
    const text = [
      '# the appliance users', //                    1
      `alice:${good}`, //                            2
      'no colon here', //                            3
      `:${good}`, //                                 4
      'bob:', //                                     5
      'carol:$6$salt$abcdefghijklmnop', //           6
      'dave:$argon2id$v=19$m=65536', //              7
      'erin:plaintext password', //                  8
      `alice:${good}`, //                            9
      '  frank:$2y$10$tooshort', //                  10
      'grace:{SHA}notbase64', //                     11
    ].join('\n');
    const parsed = parseUsersFile(text, 'conf/users');
    expect(parsed.issues.map(formatIssue)).toEqual([
      'conf/users:3:1: malformed line: expected user:hash',
      'conf/users:4:1: malformed line: the user name before ":" is empty',
      'conf/users:5:1: user "bob" has no password hash',
      'conf/users:6:7: user "carol": SHA-crypt ($5$/$6$) hashes are not supported; re-create the password with htpasswd -B (bcrypt)',
      'conf/users:7:6: user "dave": unknown hash scheme $argon2id$; use htpasswd -B (bcrypt)',
      'conf/users:8:6: user "erin": not a recognised password hash (plain-text passwords are not accepted); use htpasswd -B (bcrypt)',
      'conf/users:9:1: user "alice" is already defined on line 2',
      'conf/users:10:9: user "frank": malformed bcrypt hash',
      'conf/users:11:7: user "grace": malformed {SHA} hash (expected 28 characters of base64)',
    ]);
    expect(parsed.issues.every((i) => i.severity === 'error')).toBe(true);
    expect([...parsed.users.keys()]).toEqual(['alice']);
  });

  it('reports a missing file as one issue naming it', () => {
    const file = tempDir() + '/missing.htpasswd';
    expect(readUsersFile(file).issues.map(formatIssue)).toEqual([`${file}:1:1: cannot read the users file: no such file`]);
  });

  it('finds nothing wrong in comments and blank lines', () => {
    expect(parseUsersFile('# only a comment\n\n   \n', 'users').issues).toEqual([]);
  });
});
