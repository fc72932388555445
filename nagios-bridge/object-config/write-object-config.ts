/** Replaces the generated object file only after `nagios4 -v` accepted a configuration that uses the new text. */
import { execFile } from 'node:child_process';
import { chmodSync, closeSync, fsyncSync, mkdtempSync, openSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { AppError } from '../../common/index.js';
import { readHandWrittenObjects } from './hand-written-objects.js';

export const DEFAULT_NAGIOS_BIN = '/usr/sbin/nagios4';

export interface WriteObjectConfigOptions {
  text: string;
  /** The generated file to replace (created when missing). */
  out: string;
  /** The Nagios main config the file belongs to. */
  nagiosCfg: string;
  /** Default /usr/sbin/nagios4. */
  nagiosBin?: string;
}

/** `nagios4 -v` refused the new text: the previous file is unchanged; `output` is what Nagios printed. */
export class ObjectConfigRejectedError extends AppError {
  constructor(
    message: string,
    readonly output: string,
  ) {
    super('unprocessable', message);
    this.name = 'ObjectConfigRejectedError';
  }
}

/** Main-config directives whose relative paths Nagios reads from the main config's directory. */
const PATH_KEYS = new Set(['cfg_file', 'cfg_dir', 'resource_file']);

/**
 * A scratch main config: the given one with its `cfg_file`/`cfg_dir` lines replaced by the hand-written object files
 * (the generated file left out) and the candidate file, so the check sees exactly what Nagios would load.
 */
function scratchConfig(nagiosCfg: string, handFiles: readonly string[], candidate: string): string {
  const base = dirname(resolve(nagiosCfg));
  const lines: string[] = [];
  for (const raw of readFileSync(nagiosCfg, 'utf8').split('\n')) {
    const m = /^\s*([a-z_]+)\s*=\s*(.*?)\s*$/.exec(raw);
    if (m && (m[1] === 'cfg_file' || m[1] === 'cfg_dir')) continue;
    if (m && PATH_KEYS.has(m[1]!) && !isAbsolute(m[2]!)) lines.push(`${m[1]}=${resolve(base, m[2]!)}`);
    else lines.push(raw);
  }
  return [...lines, ...handFiles.map((f) => `cfg_file=${f}`), `cfg_file=${candidate}`, ''].join('\n');
}

function run(bin: string, args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((done) => {
    execFile(bin, args, { timeout: 120_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : -1) : 0;
      done({ code, output: `${stdout}${stderr}${err && code === -1 ? `\n${err.message}` : ''}` });
    });
  });
}

/** `host` and `host\u0000service` of every definition in a generated text (one directive a line, as object-format.ts writes them). */
function definedIn(text: string): Set<string> {
  const out = new Set<string>();
  for (const block of text.split(/^define /m).slice(1)) {
    const type = /^(\w+)/.exec(block)?.[1];
    const value = (key: string) => new RegExp(`^ {2}${key} +(.*)$`, 'm').exec(block)?.[1];
    const host = value('host_name');
    if (type === 'host' && host) out.add(host);
    const service = value('service_description');
    if (type === 'service' && host && service) out.add(`${host}\u0000${service}`);
  }
  return out;
}

/**
 * The lines of `nagios4 -v` output that say what is wrong: errors, and duplicate definitions of objects the new text
 * defines (Nagios names whichever definition it read first, so the line may name the hand-written file).
 */
function problemLines(output: string, text: string, candidate: string, out: string): string[] {
  const defined = definedIn(text);
  return output
    .split('\n')
    .filter((l) => {
      if (/\bError\b/.test(l)) return true;
      const dup = /Duplicate definition found for (host|service) '([^']*)'(?: on host '([^']*)')?/.exec(l);
      return dup !== null && defined.has(dup[1] === 'host' ? dup[2]! : `${dup[3]}\u0000${dup[2]}`);
    })
    .map((l) => l.trim().split(candidate).join(out));
}

/**
 * Writes `text` to a temporary file beside `out`, runs `nagios4 -v` on a scratch main config that loads it instead of
 * `out`, and only when that passes (exit 0 and no duplicate definition of an object the new file defines, which Nagios
 * only warns about for services but which would clash with a hand-written one) renames it over `out`. Otherwise the temporary file is
 * removed, `out` stays as it was, and {@link ObjectConfigRejectedError} carries Nagios's words.
 */
export async function writeObjectConfig(options: WriteObjectConfigOptions): Promise<{ out: string; checkedWith: string }> {
  const out = resolve(options.out);
  const bin = options.nagiosBin ?? DEFAULT_NAGIOS_BIN;
  let hand;
  try {
    hand = readHandWrittenObjects(options.nagiosCfg, out);
  } catch (err) {
    throw new AppError('bad_request', `cannot read the Nagios config ${options.nagiosCfg}: ${(err as Error).message}; pass --nagios-cfg with Nagios's main config file`);
  }
  // Beside the target (same file system, so the rename is atomic), and not ending in .cfg, so a cfg_dir never loads it.
  const candidate = join(dirname(out), `.${basename(out)}.${process.pid}.new`);
  const scratch = mkdtempSync(join(tmpdir(), 'appliance-nagios-check-'));
  try {
    const fd = openSync(candidate, 'w', 0o644);
    try {
      writeFileSync(fd, options.text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    const cfg = join(scratch, 'nagios.cfg');
    writeFileSync(cfg, scratchConfig(options.nagiosCfg, hand.files, candidate), { mode: 0o644 });
    // Run as root, nagios4 -v reads the object files after dropping to its nagios_user: that user must read the scratch config.
    chmodSync(scratch, 0o755);
    const result = await run(bin, ['-v', cfg]);
    const problems = problemLines(result.output, options.text, candidate, out);
    if (result.code !== 0 || problems.length) {
      const what = problems.length ? problems.join('\n') : result.output.trim().split('\n').slice(-5).join('\n');
      throw new ObjectConfigRejectedError(`${bin} -v refused the generated config (exit ${result.code}); ${out} was not changed:\n${what}`, result.output);
    }
    renameSync(candidate, out);
    // The rename is durable once the directory is synced.
    const dirFd = openSync(dirname(out), 'r');
    try {
      fsyncSync(dirFd);
    } finally {
      closeSync(dirFd);
    }
    return { out, checkedWith: bin };
  } finally {
    try {
      unlinkSync(candidate);
    } catch {
      // Renamed, or never written.
    }
    rmSync(scratch, { recursive: true, force: true });
  }
}
