/** Every mount sits behind the access stage's requireRead; the vendored browser libraries and the static files do not need it. */
import express from 'express';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { usersClassType } from '../../access/index.js';
import { packageRoot } from '../../common/index.js';
import * as charts from '../../graph-server/charts/index.js';
import { createGraphRoutes } from '../../graph-server/web/index.js';
import { queryEngineClassTypes } from '../../query-engine/index.js';
import { loadConfig } from '../../grammar/index.js';

let url = '';
let close = () => {};
const ran: string[] = [];
beforeAll(async () => {
  const config = loadConfig(join(packageRoot(), 'config'), { classTypes: [...queryEngineClassTypes, usersClassType], env: { APPLIANCE_DATA: '/nonexistent' } });
  // Access is what is under test: the engine must never be reached.
  const engine = { queries: () => [], runQuery: (name: string) => (ran.push(name), Promise.reject(new Error('not reached'))) };
  const routes = createGraphRoutes({ config, engine, charts, requireRead: (_req, res) => void res.status(401).json({ error: { code: 'unauthorized' } }) });
  const app = express();
  app.use(routes.router);
  const server = app.listen(0, '127.0.0.1');
  await new Promise((ok) => server.once('listening', ok));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => server.close();
});
afterAll(() => close());

it('mounts answer 401 without read access; Highcharts and the XSL are served to anyone', async () => {
  for (const path of ['/gratia/xml/', '/gratia/xml/vo_hours_bar_smry', '/gratia/html/vo_hours_bar_smry', '/gratia/bar_graphs/vo_hours_bar_smry', '/gratia/csv/run/vo_job_cnt']) {
    expect((await fetch(`${url}${path}`)).status, path).toBe(401);
  }
  expect(ran).toEqual([]);
  expect((await fetch(`${url}/gratia/vendor/highcharts/highcharts.js`)).status).toBe(200);
  expect((await fetch(`${url}/gratia/static/content/xml_results.xsl`)).status).toBe(200);
});
