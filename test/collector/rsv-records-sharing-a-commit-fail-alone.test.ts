/** Concurrent record requests share one write job; when that job fails, each request is retried alone, so only the bad one fails. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../common/index.js';
import { collectorMigrations, readRecords } from '../../collector/index.js';
import { ingestRecords } from '../../collector/record-ingest.js';
import { SampleWriter } from '../../collector/sample-writer.js';
import { gratiaMigrations, type Store } from '../../store/index.js';
import { testBackends } from '../support/stores.js';
import { wlcgRecord } from './support/collector-app.js';

const now = new Date('2026-11-20T12:00:00Z');
const keyed = (metricName: string, serviceURI: string) =>
  readRecords(Buffer.from(wlcgRecord({ metricName, serviceURI })), {
    format: 'wlcg', query: {}, now, maxRecords: 100, detailsTrimLength: 10_000, defaultGatheredAt: 'test',
  });

describe.each(testBackends())('record ingest on $name', (backend) => {
  let store: Store;
  let dispose: () => Promise<void>;
  const committed: string[] = [];

  beforeAll(async () => {
    const db = await backend.create();
    dispose = db.dispose;
    store = db.open();
    await store.migrate([...gratiaMigrations, ...collectorMigrations]);
  });
  afterAll(async () => {
    await store.close();
    await dispose();
  });

  it('a shared job that fails is retried request by request: the good request commits, the bad one alone fails', async () => {
    const writer = new SampleWriter({
      store,
      beforeInsert: async (_tx, samples) => {
        if (samples.some((s) => s.metric === 'org.example.refused')) throw new AppError('bad_request', 'metric org.example.refused is not declared');
      },
      afterCommit: (samples) => {
        committed.push(...samples.map((s) => s.metric));
      },
    });
    // Both calls are made before the writer runs, so they join one group and one job.
    const good = ingestRecords(writer, keyed('org.osg.general.ping-host', 'ce1.example.edu:2119'), now);
    const bad = ingestRecords(writer, keyed('org.example.refused', 'ce2.example.edu:2119'), now);
    await expect(bad).rejects.toThrow(/org\.example\.refused is not declared/);
    expect(await good).toMatchObject({ accepted: 1, duplicates: 0 });
    await writer.flush();
    expect(committed).toEqual(['org.osg.general.ping-host']);
    const rows = await store.query<{ n: number }>('SELECT count(*) AS n FROM probe_records');
    expect(rows[0]!.n).toBe(1);
  });

  it('requests sharing a job still see each other as duplicates', async () => {
    const writer = new SampleWriter({ store, beforeInsert: async () => {}, afterCommit: () => {} });
    const records = keyed('org.osg.general.ping-host', 'ce3.example.edu:2119');
    const [first, second] = await Promise.all([ingestRecords(writer, records, now), ingestRecords(writer, records, now)]);
    expect([first.accepted, second.accepted].sort()).toEqual([0, 1]);
    expect(first.duplicates + second.duplicates).toBe(1);
  });
});
