/** The users file: Apache htpasswd format (`user:hash` lines, `#` comments, blank lines), read with every problem reported. */
import { AppError } from '../common/index.js';
import { readConfigFile, type ConfigIssue } from '../grammar/index.js';
import { hashPassword, hashScheme, type HashScheme } from './password-hash.js';

/** One user of the users file. */
export interface UserEntry {
  user: string;
  hash: string;
  scheme: HashScheme;
  line: number;
}

/** A parsed users file: the users that parsed, and a problem per bad line. Apply it only when `issues` is empty. */
export interface UsersFile {
  file: string;
  users: ReadonlyMap<string, UserEntry>;
  issues: ConfigIssue[];
}

/** Parses htpasswd text. Never throws: a malformed line, an unknown hash scheme or a duplicate user is an issue. */
export function parseUsersFile(text: string, file: string): UsersFile {
  const users = new Map<string, UserEntry>();
  const issues: ConfigIssue[] = [];
  const issue = (line: number, column: number, message: string) => issues.push({ pos: { file, line, column }, message, severity: 'error' });
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    // Apache trims each line before looking at it, so an indented `#` is a comment too.
    const content = raw.trim();
    if (!content || content.startsWith('#')) return;
    const column = raw.indexOf(content) + 1;
    const colon = content.indexOf(':');
    if (colon < 0) return issue(line, column, 'malformed line: expected user:hash');
    const user = content.slice(0, colon);
    // Like Apache, the hash ends at the next colon; anything after it (group lists some tools add) is ignored.
    const hash = content.slice(colon + 1).split(':')[0]!;
    if (!user) return issue(line, column, 'malformed line: the user name before ":" is empty');
    if (!hash) return issue(line, column, `user "${user}" has no password hash`);
    const found = hashScheme(hash);
    if ('problem' in found) return issue(line, column + colon + 1, `user "${user}": ${found.problem}`);
    const earlier = users.get(user);
    if (earlier) return issue(line, column, `user "${user}" is already defined on line ${earlier.line}`);
    users.set(user, { user, hash, scheme: found.scheme, line });
  });
  return { file, users, issues };
}

/**
 * Reads and parses a users file; an unreadable file is one issue at line 1. It is read as configuration files are
 * (regular files of at most 16 MiB): `--users /dev/zero` grew the process without end, and a FIFO blocked it.
 */
export function readUsersFile(file: string): UsersFile {
  let text: string;
  try {
    text = readConfigFile(file);
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
    return { file, users: new Map(), issues: [{ pos: { file, line: 1, column: 1 }, message: `cannot read the users file: ${reason}`, severity: 'error' }] };
  }
  return parseUsersFile(text, file);
}

/** A new users file line `user:$2y$...` (bcrypt), for `appliance user add`. Throws `bad_request` for an unusable name. */
export function usersFileLine(user: string, password: string): string {
  if (!/^[^\s:#][^\s:]*$/.test(user) || /\p{Cc}/u.test(user)) {
    throw new AppError('bad_request', `"${user}" cannot be a user name: use no spaces or colons, and do not start it with #`);
  }
  return `${user}:${hashPassword(password)}`;
}
