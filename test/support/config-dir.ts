/** A copy of the shipped configuration in a temporary directory, for tests that edit or break it. */
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../common/index.js';
import { tempDir } from './temp-files.js';

export function copyShippedConfig(): string {
  const dir = tempDir();
  cpSync(join(packageRoot(), 'config'), dir, { recursive: true });
  return dir;
}
