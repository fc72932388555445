/** The production OpenNebula client against the XML-RPC stand-in: replies decoded, every failure a typed, bounded error. */
import { existsSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpenNebulaClient, OpenNebulaError, type OpenNebulaClient, type OpenNebulaErrorKind } from '../../opennebula/index.js';
import { fixtureRecords, generateHistory, generatedRecords, startOpenNebulaStandin, type OpenNebulaStandin } from '../support/opennebula-standin.js';
import { serviceMissing } from '../support/services.js';
import { removeTempDirs, tempDir } from '../support/temp-files.js';

const FIXTURES = join(import.meta.dirname, '../../../shared/fixtures/opennebula');
const PASSWORD = 'S3cr3t-pass';

let one: OpenNebulaStandin;
let client: OpenNebulaClient;

beforeAll(async () => {
  one = await startOpenNebulaStandin({ session: `oneadmin:${PASSWORD}` });
  client = createOpenNebulaClient({ url: one.url, session: one.session, timeoutMs: 2_000 });
});
afterAll(async () => {
  await one.close();
  removeTempDirs();
});

async function failure(p: Promise<unknown>): Promise<OpenNebulaError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(OpenNebulaError);
  const e = err as OpenNebulaError;
  // Whatever failed, the password never appears in what a log or a page would show.
  expect(e.message).not.toContain(PASSWORD);
  expect(JSON.stringify(e.context)).not.toContain(PASSWORD);
  return e;
}

describe('successful replies', () => {
  it('decodes one.system.version and sends the session first', async () => {
    one.version = '6.10.0';
    expect(await client.systemVersion()).toBe('6.10.0');
    expect(one.calls.at(-1)).toMatchObject({ method: 'one.system.version', params: [], authenticated: true });
  });

  it("returns one.vmpool.accounting's document raw, selected as oned selects (open records always, ordered by vid, seq)", async () => {
    const t0 = 1_800_000_000;
    one.records = [
      ...generatedRecords({ id: 7 }, [{ seq: 0, stime: t0, etime: t0 + 100 }, { seq: 1, stime: t0 + 100, etime: 0 }]),
      ...generatedRecords({ id: 3, uid: 5 }, [{ seq: 0, stime: t0 + 500, etime: t0 + 900 }]),
      ...generatedRecords({ id: 9 }, [{ seq: 0, stime: t0 - 1000, etime: t0 - 10 }]),
    ];
    const xml = await client.vmpoolAccounting(-2, t0 + 200, t0 + 600);
    expect(xml.startsWith('<HISTORY_RECORDS><HISTORY><OID>3</OID><SEQ>0</SEQ>')).toBe(true);
    expect([...xml.matchAll(/<HISTORY><OID>(\d+)<\/OID><SEQ>(\d+)<\/SEQ>/g)].map((m) => `${m[1]}/${m[2]}`)).toEqual(['3/0', '7/1']);
    expect(one.calls.at(-1)?.params).toEqual([-2, t0 + 200, t0 + 600]);
    // -1 is no bound on either side; a user id filters by the VM owner.
    expect((await client.vmpoolAccounting(-2, -1, -1)).match(/<HISTORY>/g)).toHaveLength(4);
    expect((await client.vmpoolAccounting(5, -1, -1)).match(/<HISTORY>/g)).toHaveLength(1);
    // A record ending exactly at start is not returned (etime > start), nor one starting at end (stime < end).
    expect(await client.vmpoolAccounting(-2, t0 + 900, t0 + 100)).toBe('<HISTORY_RECORDS></HISTORY_RECORDS>');
  });

  it('decodes a large generated history within the default bounds', async () => {
    one.records = generateHistory({ vms: 1_000, start: 1_800_000_000, segmentsPerVm: 2 });
    const patient = createOpenNebulaClient({ url: one.url, session: one.session, timeoutMs: 60_000 });
    const xml = await patient.vmpoolAccounting(-2, -1, -1);
    expect(xml.match(/<HISTORY>/g)).toHaveLength(2_000);
    expect(xml.length).toBeGreaterThan(1_000_000);
  }, 120_000);

  it.skipIf(!existsSync(FIXTURES))('serves the fixture VM documents through vm.info and vmpool.info(extended), state filtered', async () => {
    const { vms, records } = fixtureRecords(FIXTURES);
    one.vms = vms;
    one.records = records;
    const doc = await client.vmInfo(36551);
    expect(doc).toContain('<ID>36551</ID>');
    expect(doc).toContain('<HISTORY_RECORDS>');
    const all = await client.vmpoolInfoExtended(-2, -1, -1, -2);
    expect(all.startsWith('<VM_POOL><VM>')).toBe(true);
    expect(all.match(/<VM>/g)).toHaveLength(vms.size);
    const done = [...vms.values()].filter((d) => /<STATE>6<\/STATE>/.test(d)).length;
    expect((await client.vmpoolInfo(-2, -1, -1, 6)).match(/<VM>/g) ?? []).toHaveLength(done);
    expect((await client.vmpoolInfo(-2, 36551, 36551, -2)).match(/<VM>/g)).toHaveLength(1);
    // The accounting call returns each fixture HISTORY with its VM body inside.
    const acct = await client.vmpoolAccounting(-2, -1, -1);
    expect(acct.match(/<HISTORY>/g)).toHaveLength(records.length);
    expect(acct).toContain('<SEQ>1</SEQ>');
  });
  if (!existsSync(FIXTURES)) serviceMissing('shared fixtures', `${FIXTURES} is missing`);

  it('decodes predefined entities and CDATA in values', async () => {
    one.behave('one.system.version', { kind: 'raw', body: '<?xml version="1.0"?><methodResponse><params><param><value><array><data><value><boolean>1</boolean></value><value><string>a &amp; b &lt;c&gt;</string></value><value><int>0</int></value></data></array></value></param></params></methodResponse>' }, 1);
    expect(await client.systemVersion()).toBe('a & b <c>');
  });
});

describe('failures, each typed', () => {
  it("names an authentication failure with OpenNebula's message and code 0x100", async () => {
    const bad = createOpenNebulaClient({ url: one.url, session: 'oneadmin:wrong-S3cr3t-pass', timeoutMs: 2_000 });
    const e = await failure(bad.vmpoolAccounting(-2, -1, -1));
    expect(e.kind).toBe('authentication');
    expect(e.oneCode).toBe(256);
    expect(e.message).toBe("one.vmpool.accounting failed (authentication, code 0x100): [one.vmpool.accounting] User couldn't be authenticated, aborting call.");
    expect(e.message).not.toContain('wrong-S3cr3t');
    expect(e.transient).toBe(false);
  });

  it('maps each of OpenNebula\'s codes to its kind', async () => {
    const table: [number, OpenNebulaErrorKind][] = [
      [0x200, 'authorization'], [0x400, 'no_such_object'], [0x800, 'wrong_state'], [0x1000, 'bad_parameters'],
      [0x2000, 'internal'], [0x4000, 'allocate'], [0x8000, 'locked'], [0x3, 'unknown_code'],
    ];
    for (const [code, kind] of table) {
      one.behave('one.vm.info', { kind: 'reply', reply: [false, `[one.vm.info] code ${code}`, code] }, 1);
      const e = await failure(client.vmInfo(1));
      expect([e.kind, e.oneCode, e.message]).toEqual([kind, code, `one.vm.info failed (${kind.replace(/_/g, ' ')}, code 0x${code.toString(16)}): [one.vm.info] code ${code}`]);
    }
    one.vms = new Map();
    const missing = await failure(client.vmInfo(99));
    expect([missing.kind, missing.httpStatus]).toEqual(['no_such_object', 404]);
  });

  it('reports an XML-RPC fault (an unknown method) with its fault code', async () => {
    const e = await failure(client.call('one.vm.nosuchthing', [1]));
    expect(e.kind).toBe('fault');
    expect(e.message).toBe('one.vm.nosuchthing: XML-RPC fault -506: Method one.vm.nosuchthing not defined');
  });

  it('reports an HTTP error status', async () => {
    one.behave('one.system.version', { kind: 'http', status: 502 }, 1);
    const e = await failure(client.systemVersion());
    expect(e.kind).toBe('http');
    expect(e.message).toMatch(/answered HTTP 502/);
    expect(e.transient).toBe(true);
  });

  it('gives up on a call that does not answer within its bound', async () => {
    const quick = createOpenNebulaClient({ url: one.url, session: one.session, timeoutMs: 500 });
    one.behave('one.vmpool.accounting', { kind: 'hang' }, 1);
    const e = await failure(quick.vmpoolAccounting(-2, -1, -1));
    expect(e.kind).toBe('timeout');
    expect(e.message).toMatch(/within 500 ms/);
    // A slow answer inside the bound is fine.
    const patient = createOpenNebulaClient({ url: one.url, session: one.session, timeoutMs: 20_000 });
    one.behave('one.system.version', { kind: 'delay', ms: 20 }, 1);
    expect(await patient.systemVersion()).toBeTypeOf('string');
  });

  it('abandons an answer longer than its size bound', async () => {
    one.records = generateHistory({ vms: 200, start: 1_800_000_000 });
    const small = createOpenNebulaClient({ url: one.url, session: one.session, maxResponseBytes: 64 * 1024 });
    const e = await failure(small.vmpoolAccounting(-2, -1, -1));
    expect(e.kind).toBe('too_large');
    expect(e.message).toMatch(/longer than the 65536-byte bound/);
  });

  it('refuses a DOCTYPE in a methodResponse without expanding its entity', async () => {
    const body = '<?xml version="1.0"?><!DOCTYPE methodResponse [<!ENTITY boom "EXPANDED">]><methodResponse><params><param><value><array><data><value><boolean>1</boolean></value><value><string>&boom;</string></value><value><int>0</int></value></data></array></value></param></params></methodResponse>';
    one.behave('one.system.version', { kind: 'raw', body }, 1);
    const e = await failure(client.systemVersion());
    expect(e.kind).toBe('malformed');
    expect(e.message).toMatch(/DOCTYPE or ENTITY declaration.*no entity is expanded/);
    expect(e.message).not.toContain('EXPANDED');
  });

  it('reports a body that is not a methodResponse, or a reply not shaped [ok, value, code]', async () => {
    one.behave('one.system.version', { kind: 'raw', body: '<html>oops</html>' }, 1);
    expect((await failure(client.systemVersion())).kind).toBe('malformed');
    one.behave('one.system.version', { kind: 'reply', reply: ['6.8.0'] }, 1);
    const e = await failure(client.systemVersion());
    expect([e.kind, e.message]).toEqual(['malformed', "one.system.version: the reply is not OpenNebula's [ok, value, code] array"]);
  });

  it('reports a refused connection', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const e = await failure(createOpenNebulaClient({ url: `http://127.0.0.1:${port}/RPC2`, session: one.session }).systemVersion());
    expect(e.kind).toBe('network');
    expect(e.message).toMatch(/cannot reach http:\/\/127\.0\.0\.1:\d+\/RPC2: ECONNREFUSED/);
  });

  it('refuses parameters that are not 32-bit whole numbers before sending', async () => {
    const before = one.calls.length;
    expect((await failure(client.vmpoolAccounting(-2, 1.5, -1))).kind).toBe('bad_parameters');
    expect((await failure(client.vmInfo(2 ** 40))).kind).toBe('bad_parameters');
    expect(one.calls.length).toBe(before);
  });
});

describe('the session', () => {
  it('is read from a file on every call, and a missing or malformed file names the file', async () => {
    const dir = tempDir({ one_auth: `${one.session}\n` });
    const file = join(dir, 'one_auth');
    const fromFile = createOpenNebulaClient({ url: one.url, sessionFile: file });
    expect(await fromFile.systemVersion()).toBeTypeOf('string');
    writeFileSync(file, 'oneadmin:rotated\n');
    expect((await failure(fromFile.systemVersion())).kind).toBe('authentication');
    writeFileSync(file, 'no-colon-here\n');
    await expect(fromFile.systemVersion()).rejects.toThrow(`the session file ${file} is not of the form user:password (without "]]>")`);
    await expect(createOpenNebulaClient({ url: one.url, sessionFile: join(dir, 'absent') }).systemVersion()).rejects.toThrow(/cannot read the OpenNebula session file .*absent: ENOENT/);
  });

  it('refuses a URL with credentials or another scheme', () => {
    expect(() => createOpenNebulaClient({ url: 'http://u:p@one:2633/RPC2', session: 'a:b' })).toThrow(/must not carry credentials/);
    expect(() => createOpenNebulaClient({ url: 'ftp://one/RPC2', session: 'a:b' })).toThrow(/must be http: or https:/);
  });
});
