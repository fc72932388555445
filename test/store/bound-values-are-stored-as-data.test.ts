/** Contract: every value is bound, never spliced into SQL: hostile strings are stored and read back as plain data. */
import { describe, expect, it } from 'vitest';
import type { Migration, SqlValue } from '../../store/index.js';
import { testBackends } from '../support/stores.js';
import { useFreshStore } from './support/fresh-store.js';

const schema: Migration[] = [
  {
    stage: 'bound',
    version: 1,
    name: 'notes',
    steps: [
      {
        createTable: {
          name: 'notes',
          columns: [
            { name: 'id', type: 'int', notNull: true },
            { name: 'body', type: 'text', binary: true },
            { name: 'data', type: 'blob' },
            { name: 'flag', type: 'int' },
          ],
          primaryKey: ['id'],
        },
      },
    ],
  },
];

/** Strings that break out of a statement when spliced into it, in each backend's quoting. */
const HOSTILE = [
  "'); DROP TABLE notes; --",
  '"); DROP TABLE notes; --',
  "' OR '1'='1",
  '" OR "1"="1',
  "\\'; DELETE FROM notes; #",
  'back\\slash \\n not a newline \\0',
  '`notes`; DROP TABLE `notes`',
  'a ? b ?? c',
  '100% _like_ %s %d :name $1',
  '/* comment */ -- comment # comment',
  'line\nbreak\ttab\r\0nul',
  'ünïcödé ✓ 日本 😀',
  '',
  'x'.repeat(20_000),
];

describe.each(testBackends())('bound values on $name', (backend) => {
  const fresh = useFreshStore(backend, { per: 'suite', migrations: schema });
  const readAll = () => fresh().store.query('SELECT id, body FROM notes ORDER BY id');
  const expected = HOSTILE.map((body, id) => ({ id, body }));

  it('execute stores hostile strings verbatim, and the table survives', async () => {
    const { store } = fresh();
    await store.execute('DELETE FROM notes');
    for (const [id, body] of HOSTILE.entries()) await store.execute('INSERT INTO notes (id, body) VALUES (?, ?)', [id, body]);
    expect(await readAll()).toEqual(expected);
  });

  it('insertMany and upsert store hostile strings verbatim', async () => {
    const { store } = fresh();
    await store.execute('DELETE FROM notes');
    await store.insertMany('notes', ['id', 'body'], HOSTILE.map((body, id) => [id, 'placeholder ' + body]));
    await store.upsert('notes', ['id', 'body'], HOSTILE.map((body, id) => [id, body]), { key: ['id'] });
    expect(await readAll()).toEqual(expected);
  });

  it('a hostile string in WHERE matches only the row holding exactly it', async () => {
    const { store } = fresh();
    await store.execute('DELETE FROM notes');
    await store.insertMany('notes', ['id', 'body'], HOSTILE.map((body, id) => [id, body]));
    for (const [id, body] of HOSTILE.entries()) {
      expect(await store.query('SELECT id FROM notes WHERE body = ?', [body])).toEqual([{ id }]);
    }
    expect(await store.query('SELECT count(*) AS n FROM notes WHERE body = ? OR id = ?', ["' OR '1'='1", -1])).toEqual([{ n: 1 }]);
  });

  it('question marks inside string literals are text, not placeholders', async () => {
    const rows = await fresh().store.query(`SELECT 'why? ' AS a, "how?" AS b, ? AS c`, ['bound']);
    expect(rows).toEqual([{ a: 'why? ', b: 'how?', c: 'bound' }]);
  });

  it('binds booleans as 1/0, null as NULL, and Buffers as bytes', async () => {
    const { store } = fresh();
    await store.execute('DELETE FROM notes');
    const bytes = Buffer.from([0, 1, 2, 0x27, 0x22, 0x5c, 255]);
    const rows: SqlValue[][] = [
      [1, null, bytes, true],
      [2, 'two', null, false],
    ];
    await store.insertMany('notes', ['id', 'body', 'data', 'flag'], rows);
    const read = await store.query<{ id: number; body: string | null; data: Buffer | null; flag: number }>(
      'SELECT id, body, data, flag FROM notes ORDER BY id',
    );
    expect(read.map((r) => [r.id, r.body, r.data === null ? null : Buffer.from(r.data).toString('hex'), r.flag])).toEqual([
      [1, null, bytes.toString('hex'), 1],
      [2, 'two', null, 0],
    ]);
    expect(await store.query('SELECT id FROM notes WHERE flag = ?', [true])).toEqual([{ id: 1 }]);
    expect(await store.query('SELECT id FROM notes WHERE body IS NULL')).toEqual([{ id: 1 }]);
  });
});
