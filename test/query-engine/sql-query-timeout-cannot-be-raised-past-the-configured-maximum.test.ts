/** `sql_query_timeout` in a URL lowers the configured maximum, never raises it, and no value overflows a timer. */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../common/index.js';
import { loadConfig, type ConfigIssue } from '../../grammar/index.js';
import { createQueryEngine, queryEngineClassTypes, queryLimitsOf, withStatementTimeout, type QueryEngine } from '../../query-engine/index.js';
import { SqliteStore } from '../../store/sqlite/sqlite-store.js';
import { sqliteBackend, testBackends } from '../support/stores.js';
import { removeTempDirs, tempDir } from '../support/temp-files.js';

/** Above 2,147,484 s Node's timer overflows and fires at once. */
const HUGE = '3000000';

function configFor(connectionAttributes: string, queries: string, limits: string) {
  const dir = tempDir({
    'q.xml': `<graphtool-config>
      <class name="CM" type="ConnectionManager"><attribute name="default">db</attribute>
        <connection name="db">${connectionAttributes}</connection></class>
      <class type="QueryLimits" name="Limits">${limits}</class>
      <class type="SqlQueries" name="Q"><attribute name="connection_manager">CM</attribute>${queries}</class></graphtool-config>`,
  });
  return loadConfig(join(dir, 'q.xml'), { classTypes: queryEngineClassTypes, env: {} });
}

const messages = (issues: readonly ConfigIssue[]) => issues.map((i) => i.message);

describe('the configuration', () => {
  afterAll(() => removeTempDirs());

  it('ships a maximum of seconds, not GraphTool\'s 600', () => {
    const config = configFor('<attribute name="Interface">sqlite</attribute><attribute name="DatabaseFile">x.db</attribute>', '', '');
    expect(queryLimitsOf(config)).toEqual({ maxSqlQueryTimeout: 30, maxQueriesPerAddress: 1, maxQueriesPerUser: 2 });
  });

  it('refuses a maximum or a query default no timer can wait for', () => {
    const config = configFor(
      '<attribute name="Interface">sqlite</attribute><attribute name="DatabaseFile">x.db</attribute>',
      `<attribute name="sql_query_timeout">10m</attribute>
       <query name="q"><sql>SELECT 1</sql><attribute name="sql_query_timeout">${HUGE}</attribute></query>`,
      `<attribute name="max_sql_query_timeout">${HUGE}</attribute>`,
    );
    expect(messages(config.issues)).toEqual(expect.arrayContaining([
      `QueryLimits "Limits": max_sql_query_timeout "${HUGE}" is not a whole number from 1 to 2147483`,
      'SqlQueries "Q": sql_query_timeout "10m" is not a whole number of seconds from 1 to 2147483',
      `query "q": sql_query_timeout "${HUGE}" is not a whole number of seconds from 1 to 2147483`,
    ]));
  });

  it('never splices a timeout past what a timer can wait', () => {
    expect(() => withStatementTimeout('SELECT 1', 2_147_484, 'mariadb')).toThrow(/from 1 to 2147483/);
  });
});

describe('the SQLite store', () => {
  it('refuses a timeout longer than Node\'s longest timer instead of failing the statement at once', async () => {
    const db = await sqliteBackend.create();
    const store = new SqliteStore(db.connection.interface === 'sqlite' ? db.connection.file : '');
    try {
      const err = await store.queryArrays('SELECT 1', [], { timeoutMs: Number(HUGE) * 1000 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe('internal');
      expect((err as AppError).message).toMatch(/at most 2147483647 ms/);
    } finally {
      await store.close();
      await db.dispose();
    }
  });
});

// A count that calls an emulated function on every row: the worker stops at the timeout; on its own it takes minutes.
const SLOW_COUNT = `<query name="count"><inputs><input name="upto" type="int" kind="sql">1000000000</input></inputs>
  <sql>WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x &lt; :upto) SELECT 'counted', count(truncate(x, 0)) FROM c</sql>
  <results function="simple_results_parser"/></query>`;

describe('on SQLite, with a maximum of 1 s', () => {
  let engine: QueryEngine;
  let dispose: () => Promise<void> = async () => {};

  beforeAll(async () => {
    const db = await sqliteBackend.create();
    dispose = db.dispose;
    if (db.connection.interface !== 'sqlite') throw new Error('expected a SQLite connection');
    const store = db.open();
    await store.execute('CREATE TABLE t (n INTEGER)');
    await store.close();
    engine = createQueryEngine({
      config: configFor(
        `<attribute name="Interface">sqlite</attribute><attribute name="DatabaseFile">${db.connection.file}</attribute>`,
        SLOW_COUNT,
        '<attribute name="max_sql_query_timeout">1</attribute>',
      ),
    });
    // Starts a worker, so the timings below are the statements' own.
    await engine.runQuery('count', { upto: '1' });
  });

  afterAll(async () => {
    await engine.close();
    await dispose();
    removeTempDirs();
  });

  it.each([
    ['GraphTool\'s 600', '600'],
    ['a value past Node\'s timers', HUGE],
    ['a value past any integer', '99999999999999999999999'],
  ])('runs a URL asking for %s with the maximum', async (_what, asked) => {
    const started = Date.now();
    const r = await engine.runQuery('count', { sql_query_timeout: asked });
    const took = Date.now() - started;
    expect(r.error).toBe('SQL error: the statement ran past sql_query_timeout of 1 s and was stopped');
    // Neither at once (an overflowed timer) nor minutes later (the asked-for timeout).
    expect(took).toBeGreaterThanOrEqual(900);
    expect(took).toBeLessThan(5000);
  }, 20_000);

  it('still answers a statement that ends within the maximum', async () => {
    const r = await engine.runQuery('count', { upto: '10', sql_query_timeout: '600' });
    expect(r.error).toBeUndefined();
    expect(r.data).toEqual({ kind: 'pivot', entries: [{ pivot: 'counted', value: 10 }] });
  });

  it('still takes 0 and text as the client\'s error naming the input', async () => {
    for (const bad of ['0', '10s', '-5']) {
      const err = await engine.runQuery('count', { sql_query_timeout: bad }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe('bad_request');
      expect((err as AppError).context.input).toBe('sql_query_timeout');
    }
  });
});

const mysql = testBackends().find((b) => b.name === 'mysql');

describe.skipIf(!mysql)('on MariaDB, with a maximum of 1 s', () => {
  let engine: QueryEngine;
  let dispose: () => Promise<void> = async () => {};

  beforeAll(async () => {
    const db = await mysql!.create();
    dispose = db.dispose;
    const c = db.connection;
    if (c.interface !== 'mysql') throw new Error('expected a MySQL connection');
    engine = createQueryEngine({
      config: configFor(
        `<attribute name="Interface">MySQL</attribute><attribute name="Host">${c.host}</attribute><attribute name="Port">${c.port}</attribute>
          <attribute name="Database">${c.database}</attribute><attribute name="AuthDBUsername">${c.user}</attribute><attribute name="AuthDBPassword">${c.password}</attribute>`,
        `<query name="slow"><inputs><input name="secs" type="int" kind="sql">3</input></inputs>
          <sql>SELECT 'slept', SLEEP(:secs)</sql><results function="simple_results_parser"/></query>
         <query name="quick" base="Q.slow"><attribute name="sql_query_timeout">5</attribute></query>`,
        '<attribute name="max_sql_query_timeout">1</attribute>',
      ),
    });
  });

  afterAll(async () => {
    await engine.close();
    await dispose();
    removeTempDirs();
  });

  it('bounds max_statement_time by the maximum whatever the URL or the query asks', async () => {
    const started = Date.now();
    const r = await engine.runQuery('slow', { sql_query_timeout: HUGE });
    expect(Date.now() - started).toBeLessThan(2900);
    expect(r.sql).toMatch(/^SET STATEMENT max_statement_time=1 FOR /);
    expect(r.error).toMatch(/max_statement_time exceeded/);
    const own = await engine.runQuery('quick', { secs: '0' });
    expect(own.sql).toMatch(/^SET STATEMENT max_statement_time=1 FOR /);
  });
});
