/** `/nagios/`: one row per target; `/nagios/targets/:name`: its outbox with a chart of deliveries and depth per minute. */
import { createRequire } from 'node:module';
import type { Router } from 'express';
import { AppError } from '../../common/index.js';
import type { PageDeps } from './page-deps.js';
import { intField } from './page-inputs.js';
import { targetRow } from './pages-source.js';

const HOUR = 3_600_000;
/** The chart's spans offered as links; any whole number of hours up to a week is taken. */
const SPANS = [1, 6, 24, 168] as const;
const require = createRequire(import.meta.url);

export function addOverviewPages(router: Router, deps: PageDeps): void {
  const { bridge, clock } = deps;

  // Served from node_modules like the other pages' copy: no CDN, and this stage needs no other stage's route.
  router.get('/nagios/static/highcharts.js', (_req, res) => {
    res.sendFile(require.resolve('highcharts/highcharts.js'), { maxAge: '1d' });
  });

  router.get('/nagios/', deps.requireRead, async (_req, res) => {
    const targets = await Promise.all((await bridge.stats()).map((s) => targetRow(bridge, s, clock)));
    res.set('Cache-Control', 'no-store').render('nagios-overview', {
      title: 'Nagios',
      targets,
      active: deps.active(),
      dead: targets.reduce((n, t) => n + t.dead, 0),
      now: clock().toISOString(),
    });
  });

  router.get('/nagios/targets/:name', deps.requireRead, async (req, res) => {
    const name = String(req.params.name);
    const hours = intField(req.query, 'hours', 1, 168, 6);
    const stats = (await bridge.stats()).find((s) => s.name === name);
    if (!stats) throw new AppError('not_found', `no Nagios target "${name}"`);
    const now = clock();
    const minutes = await bridge.minutes.range(name, new Date(now.getTime() - hours * HOUR), now);
    const chart = {
      target: name,
      delivered: minutes.map((m) => [m.minute, m.delivered]),
      failed: minutes.map((m) => [m.minute, m.failed]),
      // Only the minutes that were sampled: a gap (the appliance was down) shows as a gap, not as zero.
      depth: minutes.flatMap((m) => (m.depth === null ? [] : [[m.minute, m.depth]])),
    };
    res.set('Cache-Control', 'no-store').render('nagios-target', {
      title: `Nagios target ${name}`,
      target: await targetRow(bridge, stats, clock),
      hours,
      spans: SPANS.map((h) => ({ hours: h, label: h < 24 ? `${h} h` : `${h / 24} d`, current: h === hours })),
      chart,
    });
  });
}
