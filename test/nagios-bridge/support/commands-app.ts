/** An Express app as the appliance mounts the commands API: the real access stage (authenticate, JSON body, CSRF) and the bridge's entries router, on an ephemeral port. */
import express, { type ErrorRequestHandler } from 'express';
import type { AddressInfo } from 'node:net';
import { createAccess, type Access, type AccessSettings } from '../../../access/index.js';
import { AppError } from '../../../common/index.js';
import { nagiosEntriesRouter, type NagiosBridge, type NagiosBridgeSettings } from '../../../nagios-bridge/index.js';
import type { Store } from '../../../store/index.js';

export interface CommandsApp {
  url: string;
  access: Access;
  close(): Promise<void>;
}

/** Serves `bridge`'s entries (cmd.cgi, NRDP, commands API) behind the access stage, answering errors as the appliance's JSON. */
export async function startCommandsApp(store: Store, access: AccessSettings, bridge: NagiosBridge, settings: NagiosBridgeSettings): Promise<CommandsApp> {
  const stage = createAccess({ store, settings: access });
  const app = express();
  app.use(stage.authenticate);
  app.use(express.json({ limit: '1mb' }));
  app.use(stage.csrf);
  app.use(stage.router());
  app.use(nagiosEntriesRouter({ submit: bridge.submit, submitCommands: bridge.submitCommands, commands: bridge.commands, access: stage, settings: () => settings, active: () => true }));
  const errors: ErrorRequestHandler = (err: unknown, _req, res, _next) => {
    const status = err instanceof AppError ? err.httpStatus : typeof (err as { status?: unknown }).status === 'number' ? (err as { status: number }).status : 500;
    res.status(status).json({ message: err instanceof Error ? err.message : String(err) });
  };
  app.use(errors);
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    access: stage,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
