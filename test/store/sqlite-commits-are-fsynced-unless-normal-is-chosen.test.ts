import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig, objectsOfType } from '../../grammar/index.js';
import { connectionManagerType, toStoreConnection, type ConnectionManagerConfig } from '../../query-engine/index.js';
import { openStore, parseStoreUrl, type StoreConnection } from '../../store/index.js';
import { removeTempDirs, tempDir } from '../support/temp-files.js';

afterAll(removeTempDirs);

/** SQLite's numeric PRAGMA synchronous: 1 NORMAL, 2 FULL. */
async function synchronousOf(conn: StoreConnection): Promise<number> {
  const store = openStore(conn);
  try {
    const [row] = await store.query<{ synchronous: number }>('PRAGMA synchronous');
    return row!.synchronous;
  } finally {
    await store.close();
  }
}

function dbParam(extra: string): StoreConnection {
  const dir = tempDir({
    'DBParam.xml': `<graphtool-config><class name="M" type="ConnectionManager"><attribute name="default">s</attribute>
      <connection name="s"><attribute name="Interface">sqlite</attribute><attribute name="DatabaseFile">${tempDir()}/a.db</attribute>${extra}</connection>
      </class></graphtool-config>`,
  });
  const loaded = loadConfig(join(dir, 'DBParam.xml'), { classTypes: [connectionManagerType], env: {} });
  const errors = loaded.issues.filter((i) => i.severity === 'error');
  if (errors.length) throw new Error(errors.map((i) => i.message).join('; '));
  const [manager] = objectsOfType<ConnectionManagerConfig>(loaded, 'ConnectionManager');
  return toStoreConnection(manager!.value.connections.get('s')!);
}

describe('the embedded store syncs every commit to disk unless told otherwise', () => {
  it('opens with PRAGMA synchronous = FULL by default', async () => {
    expect(await synchronousOf({ interface: 'sqlite', file: join(tempDir(), 'a.db') })).toBe(2);
    expect(await synchronousOf(parseStoreUrl(`sqlite:${tempDir()}/a.db`))).toBe(2);
    expect(await synchronousOf(dbParam(''))).toBe(2);
  });

  it('opens with NORMAL only when the connection or URL chooses it', async () => {
    expect(await synchronousOf({ interface: 'sqlite', file: join(tempDir(), 'a.db'), synchronous: 'normal' })).toBe(1);
    const url = parseStoreUrl(`sqlite:${tempDir()}/a.db?synchronous=normal`);
    expect(url).toMatchObject({ synchronous: 'normal' });
    expect((url as { file: string }).file).toMatch(/\/a\.db$/);
    expect(await synchronousOf(url)).toBe(1);
    expect(await synchronousOf(dbParam('<attribute name="Synchronous">NORMAL</attribute>'))).toBe(1);
    expect(await synchronousOf(dbParam('<attribute name="Synchronous">full</attribute>'))).toBe(2);
  });

  it('refuses an unknown setting instead of opening with a weaker one', () => {
    expect(() => parseStoreUrl('sqlite:/tmp/a.db?synchronous=off')).toThrow(/synchronous=off is not one of full, normal/);
    expect(() => parseStoreUrl('sqlite:/tmp/a.db?journal=memory')).toThrow(/unknown sqlite URL parameter "journal"/);
    expect(() => dbParam('<attribute name="Synchronous">OFF</attribute>')).toThrow(/Synchronous "OFF" is not one of FULL/);
  });

  it("the README's durability statement names full as the default and says what each setting survives", () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const section = /\*\*Durability: what a 2xx promises\.\*\*[\s\S]*?\n\n[\s\S]*?\n\n/.exec(readme)?.[0] ?? '';
    expect(section).toMatch(/\| SQLite, `synchronous=full` \(\*\*the default\*\*\) \| every acknowledged write \| every acknowledged write/);
    expect(section).toMatch(/\| SQLite, `synchronous=normal` \(explicit choice\) \| every acknowledged write \| the last acknowledged writes .* may be lost/);
    expect(section).toMatch(/innodb_flush_log_at_trx_commit=1/);
  });
});
