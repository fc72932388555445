/** A broken users file stops the start like a broken configuration file: every problem with its place, before any store is opened. */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigLoadError, startAppliance } from '../../appliance.js';
import { removeTempDirs, tempDir } from '../support/temp-files.js';

afterAll(removeTempDirs);

describe('starting with a broken users file', () => {
  it('throws ConfigLoadError naming each bad line, and neither creates nor migrates a store', async () => {
    const usersFile = join(tempDir(), 'users');
    writeFileSync(usersFile, 'broken line\nerin:plaintext\n');
    const dataDir = join(tempDir(), 'data');

    const err = await startAppliance(0, { dataDir, usersFile }).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(ConfigLoadError);
    expect((err as ConfigLoadError).issues.map((i) => `${i.pos.file}:${i.pos.line}:${i.pos.column}`)).toEqual([`${usersFile}:1:1`, `${usersFile}:2:6`]);
    expect((err as ConfigLoadError).message).toContain(`${usersFile}:1:1: malformed line: expected user:hash`);
    expect(existsSync(dataDir) ? readdirSync(dataDir) : []).toEqual([]);
  });
});
