import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { ALL_MIGRATIONS, startAppliance } from '../../appliance.js';
import { hasDemoData } from '../../store/index.js';
import { mysqlTestUrl, mysqlUrlOf, testBackends } from '../support/stores.js';
import { removeTempDirs, tempDir } from '../support/temp-files.js';

afterAll(removeTempDirs);

const mysql = testBackends().find((b) => b.name === 'mysql');

/** The version each stage reaches when every migration the appliance knows is applied. */
function latestVersions(): Record<string, number> {
  const v: Record<string, number> = {};
  for (const m of ALL_MIGRATIONS) v[m.stage] = Math.max(v[m.stage] ?? 0, m.version);
  return v;
}

describe.skipIf(!mysqlTestUrl)('the appliance on MariaDB', () => {
  it('migrates a fresh database, answers /healthz with the mysql backend, and seeds no demo data there', async () => {
    const db = await mysql!.create();
    const app = await startAppliance(0, { dataDir: join(tempDir(), 'data'), dbUrl: mysqlUrlOf(db.connection) });
    try {
      const health = (await (await fetch(new URL('healthz', app.url))).json()) as Record<string, unknown>;
      expect(health).toMatchObject({ status: 'ok', store: { backend: 'mysql' }, schemaVersion: latestVersions() });
      expect(await hasDemoData(app.store)).toBe(false);
    } finally {
      await app.stop();
      await db.dispose();
    }
  });

  it('a second appliance on the same database finds the schema in place and applies nothing twice', async () => {
    const db = await mysql!.create();
    const [a, b] = await Promise.all([
      startAppliance(0, { dataDir: join(tempDir(), 'a'), dbUrl: mysqlUrlOf(db.connection) }),
      startAppliance(0, { dataDir: join(tempDir(), 'b'), dbUrl: mysqlUrlOf(db.connection) }),
    ]);
    try {
      const rows = await a.store.query<{ stage: string; n: number }>('SELECT stage, count(*) AS n FROM schema_migrations GROUP BY stage ORDER BY stage');
      expect(rows.map((r) => ({ stage: r.stage, n: Number(r.n) }))).toEqual(
        [...new Set(ALL_MIGRATIONS.map((m) => m.stage))].sort().map((stage) => ({ stage, n: ALL_MIGRATIONS.filter((m) => m.stage === stage).length })),
      );
      expect((await fetch(new URL('healthz', b.url))).status).toBe(200);
    } finally {
      await a.stop();
      await b.stop();
      await db.dispose();
    }
  });
});
