import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gratiaMigrations, type Store } from '../../store/index.js';
import { testBackends } from '../support/stores.js';

describe.each(testBackends())('REGEXP on $name follows the column collation, as MariaDB does', (backend) => {
  let store: Store;
  let dispose: () => Promise<void>;

  beforeAll(async () => {
    const db = await backend.create();
    dispose = db.dispose;
    store = db.open();
    await store.migrate(gratiaMigrations);
    await store.insertMany('VO', ['VOName'], [['cms'], ['Unknown'], ['other']]);
    await store.insertMany('MasterSummaryData', ['EndTime', 'VOcorrid', 'ProbeName', 'ResourceType'], [
      ['2026-11-20 00:00:00', 1, 'one:fermicloud', 'OneVM'],
      ['2026-11-20 00:00:00', 1, 'condor:ce', 'Batch'],
    ]);
  });
  afterAll(async () => {
    await store.close();
    await dispose();
  });

  const names = async (where: string, param: string) =>
    (await store.query<{ VOName: string }>(`SELECT VOName FROM VO WHERE ${where} ORDER BY VOid`, [param])).map((r) => r.VOName);

  it('is case-sensitive on a binary column (VO.VOName)', async () => {
    expect(await names('VO.VOName REGEXP ?', 'CMS')).toEqual([]);
    expect(await names('VOName regexp ?', 'cms')).toEqual(['cms']);
    expect(await names('NOT (VO.VOName REGEXP ?)', 'unknown|other')).toEqual(['cms', 'Unknown']);
    expect(await names('`VOName` RLIKE ?', '^Unk')).toEqual(['Unknown']);
  });

  it('is case-insensitive on an ordinary column (ResourceType) and on string literals', async () => {
    const rows = await store.query<{ ResourceType: string }>('SELECT R.ResourceType FROM MasterSummaryData R WHERE R.ResourceType REGEXP ?', ['ONEVM.*']);
    expect(rows.map((r) => r.ResourceType)).toEqual(['OneVM']);
    expect(await store.query("SELECT 'OneVM' REGEXP ? AS m", ['^onevm$'])).toEqual([{ m: 1 }]);
  });
});
