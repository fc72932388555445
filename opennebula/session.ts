/** The OpenNebula session string (`user:password`), given inline or read from a file such as `~oneadmin/.one/one_auth`. */
import { readFile } from 'node:fs/promises';
import { AppError } from '../common/index.js';

/** Where the session comes from: exactly one of the two. */
export type SessionSource = { session: string } | { sessionFile: string };

/**
 * The session string, checked for the `user:password` shape; a file is read on every call, so a rotated password is
 * picked up without a restart. Errors name the file, never the session.
 */
export async function resolveSession(source: SessionSource): Promise<string> {
  let session: string;
  if ('session' in source) session = source.session;
  else {
    try {
      session = (await readFile(source.sessionFile, 'utf8')).split('\n')[0]?.trim() ?? '';
    } catch (err) {
      throw new AppError('config', `cannot read the OpenNebula session file ${source.sessionFile}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
  }
  // The xmlrpc package writes a string with < or & as CDATA, which a "]]>" would end early.
  if (!/^[^:\s]+:\S/.test(session) || session.includes(']]>')) {
    const where = 'session' in source ? 'the configured session' : `the session file ${source.sessionFile}`;
    throw new AppError('config', `${where} is not of the form user:password (without "]]>")`);
  }
  return session;
}
