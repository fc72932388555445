/**
 * A stand-in for the monitoring repository's `insertSamples`/`readAfter` over a real store table, for the export and
 * sensor-agent suites (the repository's own tests pin the repository). Times are kept to the second, as there.
 */
import { parseSqlDateTime, toSqlDateTime } from '../../common/index.js';
import type { Migration, Store } from '../../store/index.js';

export interface TestSampleInput {
  node: string;
  metric: string;
  time: Date;
  value: number;
  source: string;
  summary?: string;
  details?: string;
  tags?: Record<string, string>;
}
export interface TestStoredSample extends TestSampleInput {
  id: number;
}

export interface TestSampleTable {
  insertSamples(samples: readonly TestSampleInput[]): Promise<TestStoredSample[]>;
  readAfter(id: number, limit: number): Promise<TestStoredSample[]>;
}

const migration: Migration = {
  stage: 'test_samples',
  version: 1,
  name: 'a samples table for tests',
  steps: [{
    createTable: {
      name: 'test_samples',
      columns: [
        { name: 'id', type: 'bigint', autoIncrement: true },
        { name: 'node', type: 'varchar', notNull: true, binary: true },
        { name: 'metric', type: 'varchar', notNull: true, binary: true },
        { name: 'time', type: 'datetime', notNull: true },
        { name: 'value', type: 'double', notNull: true },
        { name: 'source', type: 'varchar', length: 64, notNull: true },
        { name: 'summary', type: 'text' },
        { name: 'details', type: 'text' },
        { name: 'tags', type: 'text' },
      ],
    },
  }],
};

interface Row {
  id: number | string;
  node: string;
  metric: string;
  time: string;
  value: number;
  source: string;
  summary: string | null;
  details: string | null;
  tags: string | null;
}

/** Creates the table (once per store) and returns the two calls over it. */
export async function testSampleTable(store: Store): Promise<TestSampleTable> {
  await store.migrate([migration]);
  return {
    async insertSamples(samples) {
      return store.transaction(async (tx) => {
        const out: TestStoredSample[] = [];
        for (const s of samples) {
          const { lastInsertId } = await tx.execute(
            'INSERT INTO test_samples (node, metric, time, value, source, summary, details, tags) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
            [s.node, s.metric, toSqlDateTime(s.time), s.value, s.source, s.summary ?? null, s.details ?? null, s.tags ? JSON.stringify(s.tags) : null],
          );
          out.push({ ...s, time: new Date(Math.floor(s.time.getTime() / 1000) * 1000), id: lastInsertId });
        }
        return out;
      });
    },
    async readAfter(id, limit) {
      const rows = await store.query<Row & Record<string, unknown>>(`SELECT * FROM test_samples WHERE id > ? ORDER BY id LIMIT ${Math.floor(limit)}`, [id]);
      return rows.map((r) => ({
        id: Number(r.id), node: r.node, metric: r.metric, time: new Date(parseSqlDateTime(r.time)), value: r.value, source: r.source,
        ...(r.summary === null ? {} : { summary: r.summary }),
        ...(r.details === null ? {} : { details: r.details }),
        ...(r.tags === null ? {} : { tags: JSON.parse(r.tags) as Record<string, string> }),
      }));
    },
  };
}
