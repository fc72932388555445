/** `/nagios/config`: the generated object config as a page (text, when, what it holds and left out), beside the raw `/nagios/objects.cfg`. */
import type { Router } from 'express';
import { OBJECT_CONFIG_PATH } from '../object-config/index.js';
import type { PageDeps } from './page-deps.js';
import { utc } from './page-format.js';

export function addConfigPage(router: Router, deps: PageDeps): void {
  router.get('/nagios/config', deps.requireRead, async (_req, res) => {
    const at = deps.clock();
    const { text, stats } = await deps.generate();
    res.set('Cache-Control', 'no-store').render('nagios-config', {
      title: 'Nagios object config',
      text,
      stats,
      generatedAt: utc(at.getTime()),
      raw: OBJECT_CONFIG_PATH,
      lines: text.split('\n').length,
    });
  });
}
