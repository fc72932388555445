/** The SQLite REGEXP emulation remembers answers per text: every answer stays right past the memo's size and text limits. */
import { describe, expect, it } from 'vitest';
import { openStore } from '../../store/index.js';

describe('REGEXP on the embedded store', () => {
  it('answers as the pattern does for 10,000 distinct texts, repeated texts and texts over the memo length', async () => {
    const store = openStore({ interface: 'sqlite', file: ':memory:' });
    try {
      await store.execute('CREATE TABLE t (id int, name text)');
      const names = Array.from({ length: 10_000 }, (_, i) => (i % 3 === 0 ? `cms-${i}` : `atlas-${i}`));
      // Twice each (memo hits) and two texts longer than the memo keeps.
      const rows = [...names, ...names, `cms-${'x'.repeat(300)}`, `atlas-${'x'.repeat(300)}`].map((name, id) => [id, name]);
      await store.insertMany('t', ['id', 'name'], rows);
      const found = await store.query<{ name: string }>('SELECT name FROM t WHERE name REGEXP ? ORDER BY id', ['^CMS-[0-9]*[05]$|^cms-x+$']);
      const expected = rows.map((r) => r[1] as string).filter((n) => /^CMS-[0-9]*[05]$|^cms-x+$/i.test(n));
      expect(expected.length).toBeGreaterThan(1000);
      expect(found.map((r) => r.name)).toEqual(expected);
    } finally {
      await store.close();
    }
  });
});
