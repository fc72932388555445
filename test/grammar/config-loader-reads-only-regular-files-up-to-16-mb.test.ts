/** `<import file="/dev/zero"/>` or a huge file is a config error at the import's position, read no further than the limit. */
import { truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatIssue, graphToolPassThroughTypes, loadConfig } from '../../grammar/index.js';
import { removeTempDirs, tempDir } from '../support/temp-files.js';
import { mkfifoSync } from './support/mkfifo.js';

afterAll(removeTempDirs);

const importing = (target: string) => `<graphtool-config>\n  <import file="${target}"/>\n</graphtool-config>\n`;

function load(dir: string) {
  const config = loadConfig(dir, { classTypes: graphToolPassThroughTypes, env: {} });
  return config.issues.map(formatIssue).map((l) => l.replaceAll(dir + '/', ''));
}

describe('configuration files are read with a size limit', () => {
  it('refuses /dev/zero at once, naming the import', () => {
    const dir = tempDir({ 'a.xml': importing('/dev/zero') });
    expect(load(dir)).toEqual(['a.xml:2:3: cannot read /dev/zero: not a regular file; a configuration file must be a plain file']);
  });

  it('refuses a FIFO without waiting for a writer', () => {
    const dir = tempDir({ 'a.xml': importing('pipe.xml') });
    mkfifoSync(join(dir, 'pipe.xml'));
    expect(load(dir)).toEqual(['a.xml:2:3: cannot read pipe.xml: not a regular file; a configuration file must be a plain file']);
  });

  it('refuses a file over 16 MiB', () => {
    const dir = tempDir({ 'a.xml': importing('big.xml') });
    const big = join(dir, 'big.xml');
    writeFileSync(big, '<graphtool-config>');
    truncateSync(big, 16 * 1024 * 1024 + 1);
    expect(load(dir)).toEqual(['a.xml:2:3: cannot read big.xml: 16777217 bytes is larger than the 16 MiB a configuration file may have']);
  });

  it('still reads an ordinary imported file', () => {
    const dir = tempDir({ 'a.xml': importing('b.xml'), 'b.xml': '<graphtool-config/>\n' });
    expect(load(dir)).toEqual([]);
  });
});
