/** Through the appliance: a VO has one colour on the bar page and the pie page (whose pivot sets differ), and again after a restart on the same store. */
import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { startAppliance, type RunningAppliance } from '../../appliance.js';
import { removeTempDirs, tempDir } from '../support/temp-files.js';

let app: RunningAppliance | undefined;
afterAll(async () => {
  await app?.stop();
  removeTempDirs();
});

/** Pivot name → colour in the chart spec a query page embeds. */
async function pageColors(base: string, path: string): Promise<Map<string, string>> {
  const html = await (await fetch(new URL(path, base))).text();
  const json = /<script type="application\/json" id="chart-spec">(.*?)<\/script>/s.exec(html)?.[1];
  expect(json, path).toBeDefined();
  const spec = JSON.parse(json!) as { options: { series?: { name: string; color?: string; data: unknown[] }[] } };
  const out = new Map<string, string>();
  for (const s of spec.options.series ?? []) {
    if (s.color) out.set(s.name, s.color);
    for (const p of s.data as { name?: string; color?: string }[]) if (p && typeof p === 'object' && p.name && p.color) out.set(p.name, p.color);
  }
  return out;
}

describe('pivot colours in the appliance', () => {
  it('are the same on two pages with different pivot sets, and after a restart', async () => {
    const dataDir = join(tempDir(), 'data');
    app = await startAppliance(0, { dataDir });
    const bars = await pageColors(app.url, 'gratia/html/vo_hours_bar_smry?vo=cms|atlas');
    const pie = await pageColors(app.url, 'gratia/html/osg_vo_hours');
    expect([...bars.keys()].sort()).toEqual(['atlas', 'cms']);
    expect(pie.size).toBeGreaterThan(2);
    expect(pie.get('cms')).toBe(bars.get('cms'));
    expect(pie.get('atlas')).toBe(bars.get('atlas'));
    await app.stop();
    app = await startAppliance(0, { dataDir });
    const again = await pageColors(app.url, 'gratia/html/osg_vo_hours');
    expect(Object.fromEntries(again)).toEqual(Object.fromEntries(pie));
  }, 240_000);
});
