/** `GET /nagios/objects.cfg`: the generated object config as text (read role), the same text `appliance nagios-config --check` prints. */
import express, { type RequestHandler, type Router } from 'express';
import { errorMessage, silentLogger, type Logger } from '../../common/index.js';
import type { GeneratedObjectConfig } from './generate-object-config.js';

export const OBJECT_CONFIG_PATH = '/nagios/objects.cfg';

export interface ObjectConfigRouterOptions {
  /** Generates the text now (the composition root binds the store and the settings in effect). */
  generate: () => Promise<GeneratedObjectConfig>;
  requireRead: RequestHandler;
  logger?: Logger;
}

export function objectConfigRouter(options: ObjectConfigRouterOptions): Router {
  const logger = options.logger ?? silentLogger;
  const router = express.Router();
  router.get(OBJECT_CONFIG_PATH, options.requireRead, (_req, res) => {
    options.generate().then(
      ({ text }) => {
        res.type('text/plain; charset=utf-8').set('Cache-Control', 'no-store').send(text);
      },
      (err: unknown) => {
        // Logged once here; the client gets no SQL or path detail.
        logger.error('nagios bridge: generating the object config failed', { error: errorMessage(err) });
        res.status(500).type('text/plain; charset=utf-8').send('# generating the Nagios object config failed; the appliance log says why\n');
      },
    );
  });
  return router;
}
