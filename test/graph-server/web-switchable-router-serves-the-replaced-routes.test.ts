/** A configuration reload swaps the graph routes: the switchable router forwards to the routes it was last given, and falls through when they do not match. */
import express, { Router } from 'express';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { switchableRouter } from '../../graph-server/web/index.js';

const routes = (mount: string, body: string) => {
  const r = Router();
  r.get(`${mount}/x`, (_req, res) => res.send(body));
  return r;
};

const switchable = switchableRouter(routes('/old', 'old routes'));
let url = '';
let close = () => {};
beforeAll(async () => {
  const app = express();
  app.use(switchable.router);
  app.use((_req, res) => res.status(404).send('fell through'));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((ok) => server.once('listening', ok));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => server.close();
});
afterAll(() => close());

it('forwards to the current routes and, after replace, only to the new ones', async () => {
  expect(await (await fetch(`${url}/old/x`)).text()).toBe('old routes');
  switchable.replace(routes('/new', 'new routes'));
  expect(await (await fetch(`${url}/new/x`)).text()).toBe('new routes');
  const gone = await fetch(`${url}/old/x`);
  expect(gone.status).toBe(404);
  expect(await gone.text()).toBe('fell through');
});
