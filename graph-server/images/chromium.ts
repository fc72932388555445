/** Starting Debian's Chromium headless through playwright-core, or saying in one line why it cannot be started. */
import { access, constants } from 'node:fs/promises';
import { chromium, type Browser } from 'playwright-core';
import { AppError, errorMessage } from '../../common/index.js';

/** Where Chromium is looked for when no path is given: `APPLIANCE_CHROMIUM`, else Debian's package. */
export const defaultChromiumPath = (): string => process.env.APPLIANCE_CHROMIUM || '/usr/bin/chromium';

/** The fix, as image URLs report it when Chromium is missing. */
export const CHROMIUM_FIX = 'apt-get install chromium (or set APPLIANCE_CHROMIUM to its path)';

/** What a request for an image answers (503) when there is no Chromium. */
export const CHROMIUM_MISSING = `PNG/SVG graphs need Chromium: ${CHROMIUM_FIX}`;

/**
 * Flags verified on these machines (reference/platform.md): without the networking ones Chromium keeps trying to
 * reach the internet. Playwright adds a fresh temporary `--user-data-dir` of its own (and removes it on close).
 */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
] as const;

/** True when `path` names an executable file. */
export async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Why a launch failed, in a few words: Playwright's message is many lines (the whole command line, a call log); what
 * helps is how the process ended and the last thing it printed on stderr.
 */
export function launchFailure(message: string): string {
  const logs = message.split('\nCall log:')[0]!;
  const printed = [...logs.matchAll(/^\[pid=\d+\]\[err\] (.*)$/gm)].map((m) => m[1]!.trim()).filter((line) => line !== '');
  const exit = /process did exit: exitCode=(\w+), signal=(\w+)/.exec(message);
  const ended = exit ? (exit[1] !== 'null' ? `exit code ${exit[1]}` : `signal ${exit[2]!}`) : '';
  const said = printed.at(-1) ?? '';
  return [ended, said].filter(Boolean).join(': ') || message.split('\n')[0]!.replace(/^browserType\.launch:\s*/, '');
}

/** Starts Chromium at `path`; a missing or failing executable is `unavailable` with the one-line fix. */
export async function launchChromium(path: string, timeoutMs: number): Promise<Browser> {
  if (!(await isExecutable(path))) throw new AppError('unavailable', CHROMIUM_MISSING, { chromiumPath: path });
  try {
    return await chromium.launch({
      executablePath: path,
      headless: true,
      args: [...CHROMIUM_FLAGS],
      timeout: timeoutMs,
      // The appliance owns its signals (SIGHUP reloads the configuration): Playwright must not close the browser on them.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
  } catch (err) {
    throw new AppError('unavailable', `PNG/SVG graphs need Chromium, but ${path} did not start (${launchFailure(errorMessage(err))}): ${CHROMIUM_FIX}`, { chromiumPath: path }, { cause: err });
  }
}
