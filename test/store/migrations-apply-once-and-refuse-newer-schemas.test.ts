/** Contract: migrations apply in order exactly once, are all-or-nothing, and a newer database is refused. */
import { describe, expect, it } from 'vitest';
import { AppError } from '../../common/index.js';
import type { Migration } from '../../store/index.js';
import { testBackends } from '../support/stores.js';
import { useFreshStore } from './support/fresh-store.js';

const notes1: Migration = {
  stage: 'notes',
  version: 1,
  name: 'notes table',
  steps: [
    {
      createTable: {
        name: 'notes',
        columns: [
          { name: 'id', type: 'bigint', autoIncrement: true },
          { name: 'body', type: 'varchar', notNull: true },
        ],
        indexes: [{ name: 'body', columns: ['body'] }],
      },
    },
  ],
};

const notes2: Migration = {
  stage: 'notes',
  version: 2,
  name: 'notes get an author',
  steps: [{ addColumn: { table: 'notes', column: { name: 'author', type: 'varchar', notNull: true, default: 'nobody' } } }],
};

const tags1: Migration = {
  stage: 'tags',
  version: 1,
  name: 'tags table',
  steps: [{ createTable: { name: 'tags', columns: [{ name: 'tag', type: 'varchar', length: 64, notNull: true }], primaryKey: ['tag'] } }],
};

/** Creates a table, then fails on a statement no database accepts. */
const broken: Migration = {
  stage: 'tags',
  version: 2,
  name: 'half-done tag colours',
  steps: [
    { createTable: { name: 'tag_colours', columns: [{ name: 'tag', type: 'varchar', length: 64 }, { name: 'colour', type: 'varchar' }] } },
    { sql: 'THIS IS NOT SQL' },
  ],
};

/** The same migration with its bad step corrected. */
const fixed: Migration = { ...broken, steps: [broken.steps[0]!, { sql: "INSERT INTO tag_colours (tag, colour) VALUES ('red', '#f00')" }] };

describe.each(testBackends())('migrations on $name', (backend) => {
  const fresh = useFreshStore(backend, { per: 'test' });

  it('reports version 0 on an empty database', async () => {
    expect(await fresh().store.schemaVersion()).toEqual({ stages: {}, total: 0 });
  });

  it('applies pending migrations in order and records each one', async () => {
    const { store } = fresh();
    const report = await store.migrate([notes1, notes2, tags1]);
    expect(report.applied).toEqual([
      { stage: 'notes', version: 1, name: 'notes table' },
      { stage: 'notes', version: 2, name: 'notes get an author' },
      { stage: 'tags', version: 1, name: 'tags table' },
    ]);
    const recorded = await store.query('SELECT stage, version, name, applied_at FROM schema_migrations ORDER BY stage, version');
    expect(recorded.map((r) => [r.stage, r.version, r.name])).toEqual([
      ['notes', 1, 'notes table'],
      ['notes', 2, 'notes get an author'],
      ['tags', 1, 'tags table'],
    ]);
    for (const r of recorded) expect(r.applied_at).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    await store.execute('INSERT INTO notes (body) VALUES (?)', ['hello']);
    expect(await store.query('SELECT body, author FROM notes')).toEqual([{ body: 'hello', author: 'nobody' }]);
    expect(await store.schemaVersion()).toEqual({ stages: { notes: 2, tags: 1 }, total: 3 });
  });

  it('does nothing when run again, and keeps the data', async () => {
    const { store } = fresh();
    await store.migrate([notes1, notes2]);
    await store.execute('INSERT INTO notes (body, author) VALUES (?, ?)', ['kept', 'ann']);
    expect((await store.migrate([notes1, notes2])).applied).toEqual([]);
    expect(await store.query('SELECT body, author FROM notes')).toEqual([{ body: 'kept', author: 'ann' }]);
    expect(await store.query('SELECT count(*) AS n FROM schema_migrations')).toEqual([{ n: 2 }]);
  });

  it('applies only the migrations added since the last run, to a database that has data', async () => {
    const { store } = fresh();
    await store.migrate([notes1]);
    await store.execute('INSERT INTO notes (body) VALUES (?)', ['before v2']);
    expect((await store.migrate([notes1, notes2, tags1])).applied.map((m) => `${m.stage}:${m.version}`)).toEqual(['notes:2', 'tags:1']);
    expect(await store.query('SELECT body, author FROM notes')).toEqual([{ body: 'before v2', author: 'nobody' }]);
  });

  it('sees migrations another store on the same database applied', async () => {
    const { store, openAnother } = fresh();
    await store.migrate([notes1]);
    const other = openAnother();
    expect((await other.migrate([notes1, notes2])).applied.map((m) => m.version)).toEqual([2]);
    expect(await store.schemaVersion()).toEqual({ stages: { notes: 2 }, total: 2 });
  });

  it('applies each migration once when two stores migrate the same database at the same time', async () => {
    const { store, openAnother } = fresh();
    const other = openAnother();
    const [a, b] = await Promise.all([store.migrate([notes1, notes2, tags1]), other.migrate([notes1, notes2, tags1])]);
    expect(a.applied.length + b.applied.length).toBe(3);
    expect(await store.query('SELECT stage, version FROM schema_migrations ORDER BY stage, version')).toEqual([
      { stage: 'notes', version: 1 },
      { stage: 'notes', version: 2 },
      { stage: 'tags', version: 1 },
    ]);
  });

  it('does not record a failing migration, names it, and applies it once it is fixed', async () => {
    const { store } = fresh();
    await store.migrate([tags1]);
    const failure = await store.migrate([tags1, broken]).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(AppError);
    expect((failure as AppError).message).toContain('tags 2 (half-done tag colours)');
    expect(await store.schemaVersion()).toEqual({ stages: { tags: 1 }, total: 1 });

    expect((await store.migrate([tags1, fixed])).applied.map((m) => m.version)).toEqual([2]);
    expect(await store.query('SELECT tag, colour FROM tag_colours')).toEqual([{ tag: 'red', colour: '#f00' }]);
    expect(await store.schemaVersion()).toEqual({ stages: { tags: 2 }, total: 2 });
  });

  it.runIf(backend.name === 'sqlite')('leaves nothing of a failing migration behind (SQLite DDL is transactional)', async () => {
    const { store } = fresh();
    await expect(store.migrate([tags1, broken])).rejects.toThrow(/rolled back/);
    expect(await store.query("SELECT name FROM sqlite_master WHERE name = 'tag_colours'")).toEqual([]);
    // The migration before the failing one stays applied: each migration is its own unit.
    expect(await store.query("SELECT name FROM sqlite_master WHERE name = 'tags'")).toEqual([{ name: 'tags' }]);
  });

  it.runIf(backend.name === 'mysql')('says a failing migration is safe to run again (MySQL DDL commits as it goes)', async () => {
    await expect(fresh().store.migrate([tags1, broken])).rejects.toThrow(/safe to run again/);
  });

  it('refuses a database whose schema is newer than the code, and applies nothing', async () => {
    const { store } = fresh();
    await store.migrate([notes1, notes2]);
    const failure = await store.migrate([notes1, tags1]).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(AppError);
    expect((failure as AppError).code).toBe('conflict');
    expect((failure as AppError).message).toMatch(/"notes" schema is at version 2, newer than this appliance knows \(1\)/);
    expect(await store.schemaVersion()).toEqual({ stages: { notes: 2 }, total: 2 });
    expect(await store.query("SELECT count(*) AS n FROM schema_migrations WHERE stage = 'tags'")).toEqual([{ n: 0 }]);
  });

  it('rejects a migration list that defines a version twice', async () => {
    await expect(fresh().store.migrate([notes1, { ...notes1, name: 'again' }])).rejects.toThrow(/notes:1 is defined twice/);
  });
});
