/** `sql_query_timeout`: MariaDB stops the statement itself (max_statement_time), MySQL takes a hint, the SQLite store stops waiting for its worker. */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQueryEngine, queryEngineClassTypes, withStatementTimeout, type QueryEngine } from '../../query-engine/index.js';
import { loadConfig } from '../../grammar/index.js';
import { sqliteBackend, testBackends } from '../support/stores.js';
import { removeTempDirs, tempDir } from '../support/temp-files.js';

describe('the statement wrapper', () => {
  const sql = '\n  SELECT a FROM t WHERE b = ?';
  it('is SET STATEMENT on MariaDB, the MAX_EXECUTION_TIME hint on MySQL, nothing on SQLite', () => {
    expect(withStatementTimeout(sql, 30, 'mariadb')).toBe(`SET STATEMENT max_statement_time=30 FOR ${sql}`);
    expect(withStatementTimeout(sql, 30, 'mysql')).toBe('\n  SELECT /*+ MAX_EXECUTION_TIME(30000) */ a FROM t WHERE b = ?');
    expect(withStatementTimeout(' ( select 1 ) UNION (SELECT 2)', 2, 'mysql')).toBe(' ( SELECT /*+ MAX_EXECUTION_TIME(2000) */ 1 ) UNION (SELECT 2)');
    expect(withStatementTimeout(sql, 30, 'none')).toBe(sql);
  });

  it('only ever splices a whole number of seconds', () => {
    expect(() => withStatementTimeout(sql, 1.5, 'mariadb')).toThrow(/not a whole number/);
    expect(() => withStatementTimeout(sql, 0, 'mariadb')).toThrow(/not a whole number/);
  });
});

const mysql = testBackends().find((b) => b.name === 'mysql');

/** An engine over one default connection `db` (its `<attribute>`s given) and one SqlQueries class holding `query`. */
function engineFor(connectionAttributes: string, query: string): QueryEngine {
  const dir = tempDir({
    'q.xml': `<graphtool-config>
      <class name="CM" type="ConnectionManager"><attribute name="default">db</attribute>
        <connection name="db">${connectionAttributes}</connection></class>
      <class type="SqlQueries" name="Q"><attribute name="connection_manager">CM</attribute>${query}</class></graphtool-config>`,
  });
  return createQueryEngine({ config: loadConfig(join(dir, 'q.xml'), { classTypes: queryEngineClassTypes, env: {} }) });
}

describe.skipIf(!mysql)('on MariaDB', () => {
  let engine: QueryEngine;
  let dispose: () => Promise<void> = async () => {};

  beforeAll(async () => {
    const db = await mysql!.create();
    dispose = db.dispose;
    const c = db.connection;
    if (c.interface !== 'mysql') throw new Error('expected a MySQL connection');
    engine = engineFor(
      `<attribute name="Interface">MySQL</attribute><attribute name="Host">${c.host}</attribute><attribute name="Port">${c.port}</attribute>
        <attribute name="Database">${c.database}</attribute><attribute name="AuthDBUsername">${c.user}</attribute><attribute name="AuthDBPassword">${c.password}</attribute>`,
      `<query name="slow"><inputs><input name="secs" type="int" kind="sql">3</input></inputs>
        <sql>SELECT 'slept', SLEEP(:secs)</sql><results function="simple_results_parser"/></query>`,
    );
  });

  afterAll(async () => {
    await engine.close();
    await dispose();
    removeTempDirs();
  });

  it('stops a statement that runs past sql_query_timeout and reports it as the query error', async () => {
    const started = Date.now();
    const r = await engine.runQuery('slow', { sql_query_timeout: '1' });
    expect(Date.now() - started).toBeLessThan(2900);
    expect(r.sql).toBe("SET STATEMENT max_statement_time=1 FOR  SELECT 'slept', SLEEP(?) ");
    expect(r.errorStage).toBe('sql');
    expect(r.error).toMatch(/max_statement_time exceeded/);
  });

  it('lets a statement within its timeout finish (the default timeout applies when none is given)', async () => {
    const r = await engine.runQuery('slow', { secs: '0' });
    // No QueryLimits class: the shipped maximum of 30 s is the default.
    expect(r.sql).toMatch(/^SET STATEMENT max_statement_time=30 FOR /);
    expect(r.error).toBeUndefined();
    // SLEEP returns 0, and GraphTool's parsers drop zero values.
    expect(r.runs[0]!.rows).toBe(1);
  });
});

describe('on SQLite', () => {
  let engine: QueryEngine;
  let dispose: () => Promise<void> = async () => {};

  beforeAll(async () => {
    const db = await sqliteBackend.create();
    dispose = db.dispose;
    if (db.connection.interface !== 'sqlite') throw new Error('expected a SQLite connection');
    // The engine opens the file itself (the connection is not the appliance store): create it first.
    const store = db.open();
    await store.execute('CREATE TABLE t (n INTEGER)');
    await store.close();
    engine = engineFor(
      `<attribute name="Interface">sqlite</attribute><attribute name="DatabaseFile">${db.connection.file}</attribute>`,
      `<query name="count"><inputs><input name="upto" type="int" kind="sql">1000000000</input></inputs>
        <sql>WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x &lt; :upto) SELECT 'counted', count(truncate(x, 0)) FROM c</sql>
        <results function="simple_results_parser"/></query>`,
    );
  });

  afterAll(async () => {
    await engine.close();
    await dispose();
    removeTempDirs();
  });

  it('stops waiting for a statement that runs past sql_query_timeout and reports it as the query error', async () => {
    const started = Date.now();
    const r = await engine.runQuery('count', { sql_query_timeout: '1' });
    // The first statement also starts the query worker (not counted in the timeout); the count itself would take minutes.
    expect(Date.now() - started).toBeLessThan(4000);
    expect(r.sql).not.toMatch(/max_statement_time/);
    expect(r.errorStage).toBe('sql');
    expect(r.error).toBe('SQL error: the statement ran past sql_query_timeout of 1 s and was stopped');
  });

  it('lets a statement within its timeout finish (the default timeout applies when none is given)', async () => {
    const r = await engine.runQuery('count', { upto: '10' });
    expect(r.error).toBeUndefined();
    expect(r.data).toEqual({ kind: 'pivot', entries: [{ pivot: 'counted', value: 10 }] });
  });
});
