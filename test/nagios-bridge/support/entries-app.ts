/** An Express app with the real access stage and both Nagios-bridge entries, submitting into a recorder; on an ephemeral port. */
import express from 'express';
import type { AddressInfo } from 'node:net';
import { createAccess, type AccessSettings } from '../../../access/index.js';
import type { Clock } from '../../../common/index.js';
import { cmdCgiRouter, nrdpRouter, type EntrySettings } from '../../../nagios-bridge/entries/index.js';
import type { PassiveResult } from '../../../nagios-bridge/types.js';
import type { Store } from '../../../store/index.js';

export interface EntriesApp {
  url: string;
  /** Every batch `submit` was called with, in order. */
  submitted: PassiveResult[][];
  /** Makes the next `submit` calls reject (the outbox could not queue), with `fail` when it is an error. */
  failSubmits(fail: boolean | Error): void;
  close(): Promise<void>;
}

/** A fixed clock: 2026-03-01T10:00:00Z, epoch 1772359200. */
export const FIXED_NOW = new Date('2026-03-01T10:00:00Z');
export const FIXED_EPOCH = Math.floor(FIXED_NOW.getTime() / 1000);

/**
 * `mountAuthenticateFirst`: whether the app runs `authenticate` for every request before the routers (as the
 * appliance's server does) or leaves it to the cmd.cgi router.
 */
export async function startEntriesApp(
  store: Store,
  access: AccessSettings,
  settings: EntrySettings,
  options: { clock?: Clock; mountAuthenticateFirst?: boolean } = {},
): Promise<EntriesApp> {
  const clock = options.clock ?? (() => FIXED_NOW);
  const stage = createAccess({ store, settings: access, clock });
  const submitted: PassiveResult[][] = [];
  let failing: boolean | Error = false;
  const submit = async (results: readonly PassiveResult[]) => {
    await Promise.resolve();
    if (failing instanceof Error) throw failing;
    if (failing) throw new Error('outbox: SQLITE_FULL: database or disk is full');
    submitted.push(results.map((r) => ({ ...r })));
  };
  const app = express();
  if (options.mountAuthenticateFirst) app.use(stage.authenticate);
  app.use(cmdCgiRouter({ submit, access: stage, settings: () => settings, clock }));
  app.use(nrdpRouter({ submit, settings: () => settings, clock }));
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    submitted,
    failSubmits: (fail) => (failing = fail),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * RSV's nagios-consumer's request line, built as it builds it: host and service substituted raw, the output
 * stripped, spaces to `+`, Python 2 `urllib.quote` (`+` → `%2B`, newline → `%0A`), then every `%0A` → `%2B`.
 */
export function rsvQuery(service: string, host: string, state: number, details: string): string {
  const quoted = details
    .trim()
    .replace(/ /g, '+')
    .replace(/[^A-Za-z0-9_.\-/]/g, (c) => Buffer.from(c, 'utf8').toString('hex').toUpperCase().replace(/(..)/g, '%$1'))
    .replace(/%0A/g, '%2B');
  return `cmd_typ=30&cmd_mod=2&service=${service}&host=${host}&plugin_state=${state}&plugin_output=${quoted}&btnSubmit=Commited`;
}
