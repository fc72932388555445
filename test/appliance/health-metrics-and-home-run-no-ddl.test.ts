/** /healthz, /metrics and the home page only read the store: with the migrations table gone they create nothing (no CREATE TABLE per request). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { startAppliance, type RunningAppliance } from '../../appliance.js';
import { removeTempDirs, tempDir } from '../support/temp-files.js';

let app: RunningAppliance;

beforeAll(async () => {
  app = await startAppliance(0, { dataDir: join(tempDir(), 'data'), seedDemo: false });
}, 60_000);
afterAll(async () => {
  await app?.stop();
  removeTempDirs();
});

const migrationsTable = async () =>
  (await app.store.query<{ n: number }>("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"))[0]!.n;

describe('read-only status pages', () => {
  it('GET /healthz, /metrics and / leave a missing migrations table missing', async () => {
    await app.store.execute('DROP TABLE schema_migrations');
    for (const path of ['healthz', 'metrics', '']) {
      const res = await fetch(new URL(path, app.url));
      expect(res.status, path).toBe(200);
      await res.text();
    }
    expect(await migrationsTable()).toBe(0);
  });
});
