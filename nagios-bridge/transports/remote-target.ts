/** What the remote transports (cmd.cgi, NRDP, Icinga 2) share: secrets read from files, Basic credentials, bounded parallel requests. */
import { readFile } from 'node:fs/promises';
import { errorMessage } from '../../common/index.js';

/**
 * The text of a file an option names (a password, token or CA), without its trailing newline; an error naming the
 * option and the file when it cannot be read (the transports answer that batch as retryable).
 */
/** Where and as whom a Basic-auth HTTP transport (remote cmd.cgi, Icinga 2's API) connects. */
export interface BasicEndpoint {
  /** The target's URL (cmd.cgi's own, or Icinga's API base `https://host:5665`). */
  url: string;
  user: string;
  /** The password, or where to read it (re-read for every batch, so a changed file needs no reload). */
  password?: string;
  passwordFile?: string;
  /** PEM file of the CA (or the self-signed certificate) to trust for HTTPS. */
  caFile?: string;
  insecure?: boolean;
  /** Per request. */
  timeoutMs?: number;
}

export async function readSecret(path: string, what: string): Promise<string> {
  try {
    return (await readFile(path, 'utf8')).replace(/\r?\n$/, '');
  } catch (err) {
    throw new Error(`cannot read the target's ${what} ${path}: ${errorMessage(err)}`, { cause: err });
  }
}

/** `Basic ...` for `user` and the password given, or read from `passwordFile` (re-read each time, so a fixed file needs no reload). */
export async function basicAuthorization(user: string, password: string | undefined, passwordFile: string | undefined): Promise<string> {
  const secret = passwordFile ? await readSecret(passwordFile, 'password_file') : (password ?? '');
  return `Basic ${Buffer.from(`${user}:${secret}`, 'utf8').toString('base64')}`;
}

/** Runs `work` over `items` with at most `limit` at once, keeping each outcome in its slot. */
export async function inParallel<T, R>(items: readonly T[], limit: number, work: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return out;
}
