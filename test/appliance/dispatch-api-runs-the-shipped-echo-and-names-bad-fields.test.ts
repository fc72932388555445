/**
 * The dispatch API inside `appliance serve` with the shipped configuration: `POST /api/v1/dispatch` of the shipped
 * `echo` on `n1` answers 202 with a handle that finishes; bad fields are 400s naming them; writes need the operator role.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppliance, type RunningAppliance } from '../../appliance.js';
import { usersFileLine } from '../../access/index.js';
import type { HandleStatus } from '../../actuators/index.js';
import { copyShippedConfig } from '../support/config-dir.js';
import { removeTempDirs, tempDir } from '../support/temp-files.js';

const operator = { Authorization: `Basic ${Buffer.from('operator:op-secret').toString('base64')}`, 'Content-Type': 'application/json' };
let app: RunningAppliance;
const post = (path: string, body: unknown, headers: Record<string, string> = operator) => fetch(new URL(path, app.url), { method: 'POST', headers, body: JSON.stringify(body) });

beforeAll(async () => {
  const usersFile = join(tempDir(), 'users');
  writeFileSync(usersFile, `${usersFileLine('operator', 'op-secret')}\n`);
  app = await startAppliance(0, { configDir: copyShippedConfig(), dataDir: join(tempDir(), 'data'), usersFile, seedDemo: false });
}, 120_000);
afterAll(async () => {
  await app?.stop();
  removeTempDirs();
});

describe('the dispatch API', () => {
  it('dispatches the shipped echo on n1: 202 with a handle, which finishes with its output', async () => {
    const res = await post('api/v1/dispatch', { actuator: 'echo', node: 'n1', params: { reason: 'test' } });
    expect(res.status).toBe(202);
    const { handle } = (await res.json()) as { handle: string };
    expect(res.headers.get('location')).toBe(`/api/v1/dispatch/${handle}`);
    let s: HandleStatus | undefined;
    for (let i = 0; i < 200; i++) {
      s = (await (await fetch(new URL(`api/v1/dispatch/${handle}`, app.url), { headers: operator })).json()) as HandleStatus;
      if (s.status === 'FINISHED') break;
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(s).toMatchObject({ status: 'FINISHED', exitCode: 0, output: 'echo n1 reason=test\n', actuator: 'echo', node: 'n1' });
    const node = (await (await fetch(new URL('api/v1/nodes/n1', app.url), { headers: operator })).json()) as { state: string };
    expect(node.state).toBe('production');
  });

  it.each([
    [{ actuator: 'nope', node: 'n1' }, 'actuator'],
    [{ node: 'n1' }, 'actuator'],
    [{ actuator: 'echo', node: 'n99' }, 'node'],
    [{ actuator: 'echo', node: 'n1', timeout: '5s' }, 'timeout'],
    [{ actuator: 'echo', node: 'n1', urgent: 'yes' }, 'urgent'],
    [{ actuator: 'echo', node: 'n1', concurrencyKey: 'n2' }, 'concurrencyKey'],
    [{ actuator: 'echo', node: 'n1', params: { x: 1 } }, 'params.x'],
    [{ actuator: 'echo', node: 'n1', extra: true }, 'extra'],
  ])('refuses %j with a 400 naming %s', async (body, field) => {
    const res = await post('api/v1/dispatch', body);
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toContain(`${field}:`);
  });

  it('node state changes check their fields, and writes need a login with the operator role', async () => {
    expect((await post('api/v1/nodes/n2/state', { state: 'repair' })).status).toBe(400);
    expect((await post('api/v1/nodes/n2/state', { state: 'maintenance', mode: 'now' })).status).toBe(400);
    expect((await post('api/v1/nodes/n9/state', { state: 'maintenance' })).status).toBe(404);
    const ok = await post('api/v1/nodes/n2/state', { state: 'maintenance', mode: 'force', reason: 'disk swap' });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ node: 'n2', state: 'maintenance', reason: 'disk swap' });
    expect((await post('api/v1/nodes/n2/state', { state: 'production' })).status).toBe(200);
    expect((await post('api/v1/dispatch', { actuator: 'echo', node: 'n1' }, { 'Content-Type': 'application/json' })).status).toBe(401);
    expect((await fetch(new URL('api/v1/dispatch/00000000-0000-0000-0000-000000000000', app.url), { headers: operator })).status).toBe(404);
  });
});
