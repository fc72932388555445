/** Nagios's check-result spool (`check_result_path`): one `cXXXXXX` file of results plus its empty `.ok` marker. */
import { randomInt } from 'node:crypto';
import { open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { systemClock, type Clock } from '../../common/index.js';
import type { PassiveResult } from '../types.js';
import { checkNames, epochOf, pluginText } from './command-format.js';

const NAME_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** One spool record: `early_timeout=0` (NRDP's 1 makes Naemon show "timed out after 0.00 seconds"), times as `sec.usec`. */
export function spoolRecord(r: PassiveResult): string {
  checkNames(r);
  const t = `${epochOf(r)}.0`;
  const lines = [
    `host_name=${r.host}`,
    ...(r.kind === 'service' ? [`service_description=${r.service!}`] : []),
    'check_type=1',
    'check_options=0',
    'scheduled_check=0',
    'reschedule_check=0',
    'latency=0.0',
    `start_time=${t}`,
    `finish_time=${t}`,
    'early_timeout=0',
    'exited_ok=1',
    `return_code=${r.state}`,
    `output=${pluginText(r)}`,
  ];
  return `${lines.join('\n')}\n`;
}

/** The whole file: a header, `file_time`, then the records, each ended by a blank line. */
export function spoolFile(results: readonly PassiveResult[], now: Date): string {
  const records = results.map(spoolRecord);
  return `### Nagios check results written by the Fabric Appliance ###\nfile_time=${Math.floor(now.getTime() / 1000)}\n\n${records.join('\n')}`;
}

/**
 * Writes `results` as one spool file in `dir` and marks it ready. The file is complete and fsynced before the `.ok`
 * exists, because Nagios's reaper reads any file that has one. Throws the file system's error (the caller classes it).
 */
export async function writeSpoolFile(dir: string, results: readonly PassiveResult[], clock: Clock = systemClock): Promise<string> {
  const content = spoolFile(results, clock());
  for (let tries = 0; ; tries++) {
    let name = 'c';
    for (let i = 0; i < 6; i++) name += NAME_CHARS[randomInt(NAME_CHARS.length)];
    const path = join(dir, name);
    let file;
    try {
      // Exclusive create, as mkstemp: another writer's file of the same name is never overwritten.
      file = await open(path, 'wx', 0o644);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST' && tries < 10) continue;
      throw err;
    }
    try {
      await file.writeFile(content);
      await file.sync();
    } finally {
      await file.close();
    }
    await writeFile(`${path}.ok`, '', { mode: 0o644 });
    return path;
  }
}
