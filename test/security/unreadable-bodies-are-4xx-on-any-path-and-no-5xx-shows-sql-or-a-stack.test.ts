/**
 * A body the app's parsers cannot read (an unknown charset or Content-Encoding, too many form parameters, too
 * large, broken compression) or a path parameter that does not decode is a one-line 415, 413 or 400 on any path,
 * before authentication, never a 500 with a stack; and a 500 (here a store failure) never carries the SQL statement
 * or the driver's message.
 */
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useFreshStore } from '../store/support/fresh-store.js';
import { sqliteBackend } from '../support/stores.js';
import { COLLECTOR_APP_MIGRATIONS, startCollectorApp, type CollectorApp } from '../collector/support/collector-app.js';

const form = (n: number) => Array.from({ length: n }, (_, i) => `p${i}=1`).join('&');

describe('unreadable request bodies', () => {
  const fresh = useFreshStore(sqliteBackend, { per: 'suite', migrations: COLLECTOR_APP_MIGRATIONS });
  let app: CollectorApp;
  beforeAll(async () => {
    // Writes need credentials, so an anonymous request shows what answers before authentication.
    app = await startCollectorApp(fresh().store, { settings: { allowLoopbackWrites: false } });
  });
  afterAll(() => app?.close());

  const send = (path: string, headers: Record<string, string>, body: string | Buffer) =>
    fetch(app.url + path, { method: 'POST', headers, body: typeof body === 'string' ? body : new Uint8Array(body) });

  const cases: [string, Record<string, string>, string | Buffer, number, RegExp][] = [
    ['a JSON body in latin9', { 'content-type': 'application/json; charset=latin9' }, '{"a":1}', 415, /charset "latin9" is not supported; send UTF-8/],
    ['a form in an unknown charset', { 'content-type': 'application/x-www-form-urlencoded; charset=klingon' }, 'a=1', 415, /charset "klingon" is not supported/],
    ['Content-Encoding: compress', { 'content-type': 'application/json', 'content-encoding': 'compress' }, '{}', 415, /Content-Encoding "compress" is not supported/],
    ['Content-Encoding: br that is not brotli', { 'content-type': 'application/json', 'content-encoding': 'br' }, '{"a":1}', 400, /cannot be read \(does it match its Content-Encoding\?\)/],
    ['gzip that is not gzip', { 'content-type': 'application/x-www-form-urlencoded', 'content-encoding': 'gzip' }, 'a=1', 400, /cannot be read/],
    ['1,001 form parameters', { 'content-type': 'application/x-www-form-urlencoded' }, form(1001), 413, /more parameters than this endpoint takes \(1000\)/],
    ['a 2 MB JSON body', { 'content-type': 'application/json' }, `{"a":"${'x'.repeat(2 * 1024 * 1024)}"}`, 413, /larger than this endpoint's limit of 1048576 bytes/],
    ['gzip of a 2 MB JSON body', { 'content-type': 'application/json', 'content-encoding': 'gzip' }, gzipSync(`{"a":"${'x'.repeat(2 * 1024 * 1024)}"}`), 413, /larger than/],
    ['malformed JSON', { 'content-type': 'application/json' }, '{"a":', 400, /^request body: malformed JSON: /],
  ];

  for (const path of ['/nowhere', '/api/v1/admin/reload', '/login', '/grafana/query']) {
    it.each(cases)(`${path}: %s is a one-line %#`, async (_what, headers, body, status, message) => {
      const res = await send(path, headers, body);
      const text = await res.text();
      expect(res.status).toBe(status);
      expect(text).not.toMatch(/ at |node_modules|Error:|\\n/);
      expect((JSON.parse(text) as { message: string }).message).toMatch(message);
    });
  }

  it.each([
    ['GET', '/rsv/metric/%ff'],
    ['GET', '/rsv/host/%E0%A4%A'],
    ['DELETE', '/api/v1/tokens/%ff'],
  ])('%s %s, a path parameter that does not decode, is a 400 naming the path', async (method, path) => {
    const res = await fetch(app.url + path, { method });
    expect(res.status).toBe(400);
    expect((await res.json()) as unknown).toMatchObject({ message: expect.stringMatching(/^the path has a malformed %-escape: Failed to decode param/) as unknown, error: { field: 'path' } });
  });

  it('a store failure is a 500 that names neither the statement nor the driver error, and the log has both', async () => {
    await fresh().store.execute('ALTER TABLE samples RENAME TO samples_gone');
    try {
      const res = await fetch(`${app.url}/api/v1/samples?node=wn1`);
      const text = await res.text();
      expect(res.status).toBe(500);
      expect(text).not.toMatch(/SELECT|samples|SQL|no such table/i);
      expect(JSON.parse(text)).toEqual({ message: 'internal error; the appliance log has the details', error: { code: 'internal', message: 'internal error; the appliance log has the details' } });
      const page = await fetch(`${app.url}/api/v1/samples?node=wn1`, { headers: { accept: 'text/html' } });
      expect(page.status).toBe(500);
      expect(await page.text()).not.toMatch(/SELECT|no such table/i);
    } finally {
      await fresh().store.execute('ALTER TABLE samples_gone RENAME TO samples');
    }
  });
});
