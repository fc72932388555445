/** `GET /grafana/dashboards/`: one ready dashboard per section, whose panels name existing metrics through the `${DS}` variable and draw as GraphTool did. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboardAnswers, startDatasource, type DatasourceUnderTest } from './grafana-fixtures/datasource-under-test.js';

interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource: { type: string; uid: string };
  targets: { refId: string; target: string; datasource: { type: string; uid: string }; format?: string; type?: string; payload?: unknown }[];
  fieldConfig: { defaults: { unit?: string; custom?: { drawStyle?: string; stacking?: { mode: string }; axisLabel?: string } } };
}
interface Dashboard {
  uid: string;
  title: string;
  schemaVersion: number;
  time: { from: string; to: string };
  templating: { list: { type: string; name: string; query?: string; datasource?: unknown }[] };
  panels: Panel[];
}

let ds: DatasourceUnderTest;
let metrics: string[];
beforeAll(async () => {
  ds = await startDatasource();
  metrics = ((await ds.post('/metrics', {})).json as { value: string }[]).map((m) => m.value);
});
afterAll(() => ds?.close());

const dashboard = async (path: string) => {
  const res = await ds.get(path);
  expect(res.status).toBe(200);
  return res.json as Dashboard;
};

describe('GET /dashboards/', () => {
  it('lists one dashboard per section with its URL', async () => {
    const res = await ds.get('/dashboards/');
    expect(res.status).toBe(200);
    const count = (section: string) => ds.engine.queries().filter((q) => q.displayName === section).length;
    expect(res.json).toEqual([
      { slug: 'bar-graphs', title: 'Bar Graphs', className: 'GratiaBarQueries', panels: count('Bar Graphs'), url: '/grafana/dashboards/bar-graphs.json' },
      { slug: 'pie-charts', title: 'Pie Charts', className: 'GratiaPieQueries', panels: count('Pie Charts'), url: '/grafana/dashboards/pie-charts.json' },
      {
        slug: 'cumulative-graphs',
        title: 'Cumulative Graphs',
        className: 'GratiaCumulativeQueries',
        panels: count('Cumulative Graphs'),
        url: '/grafana/dashboards/cumulative-graphs.json',
      },
    ]);
    expect(await ds.get('/dashboards')).toEqual(res);
  });
});

describe('GET /dashboards/<section>.json', () => {
  it.each(['bar-graphs', 'pie-charts', 'cumulative-graphs'])('%s: every panel targets an existing metric through ${DS}, laid out on the 24-column grid', async (slug) => {
    const d = await dashboard(`/dashboards/${slug}.json`);
    expect(d.uid).toBe(`appliance-${slug}`);
    expect(d.uid.length).toBeGreaterThanOrEqual(8);
    expect(d.uid.length).toBeLessThanOrEqual(40);
    expect(d.schemaVersion).toBe(39);
    expect(d.time).toEqual({ from: 'now-14d', to: 'now' });
    expect(d.templating.list[0]).toMatchObject({ type: 'datasource', name: 'DS', query: 'simpod-json-datasource' });
    expect(d.templating.list[1]).toMatchObject({ type: 'adhoc', datasource: { type: 'simpod-json-datasource', uid: '${DS}' } });
    const section = ds.engine.queries().filter((q) => q.displayName === d.title);
    expect(d.panels.map((p) => p.title)).toEqual(section.map((q) => q.title));
    expect(new Set(d.panels.map((p) => p.id)).size).toBe(d.panels.length);
    const cells = new Set<string>();
    for (const p of d.panels) {
      expect(p.datasource).toEqual({ type: 'simpod-json-datasource', uid: '${DS}' });
      expect(p.targets).toHaveLength(1);
      expect(metrics).toContain(p.targets[0]!.target);
      expect(p.targets[0]!.datasource).toEqual(p.datasource);
      expect(p.gridPos.x + p.gridPos.w).toBeLessThanOrEqual(24);
      for (let x = p.gridPos.x; x < p.gridPos.x + p.gridPos.w; x++) {
        for (let y = p.gridPos.y; y < p.gridPos.y + p.gridPos.h; y++) {
          expect(cells.has(`${x},${y}`), `${p.title} overlaps`).toBe(false);
          cells.add(`${x},${y}`);
        }
      }
    }
  });

  it('draws GratiaStackedBar as stacked bars, GratiaCumulative as stacked lines and GratiaPie as a pie of a table', async () => {
    const bars = await dashboard('/dashboards/bar-graphs.json');
    const graphTypeOf = new Map(ds.engine.queries().map((q) => [q.title, q.graphType]));
    for (const p of bars.panels) {
      // A quality map (CPU efficiency per VO) is Grafana's status history, one row per VO, not stacked bars.
      if (graphTypeOf.get(p.title) === 'QualityMap') {
        expect(p.type, p.title).toBe('status-history');
        continue;
      }
      expect(p.type).toBe('timeseries');
      expect(p.fieldConfig.defaults.custom).toMatchObject({ drawStyle: 'bars', stacking: { mode: 'normal' } });
    }
    const cumulative = await dashboard('/dashboards/cumulative-graphs.json');
    for (const p of cumulative.panels) expect(p.fieldConfig.defaults.custom).toMatchObject({ drawStyle: 'line', stacking: { mode: 'normal' } });
    const pies = await dashboard('/dashboards/pie-charts.json');
    for (const p of pies.panels) {
      expect(p.type).toBe('piechart');
      expect(p.targets[0]!.format).toBe('table');
    }
  });

  it('labels the value axis "column_names [column_units]" and gives the units to the values, as GraphTool\'s graphs did', async () => {
    const bars = await dashboard('/dashboards/bar-graphs.json');
    const byTitle = new Map(ds.engine.queries().map((q) => [q.title, q]));
    let labelled = 0;
    for (const p of bars.panels) {
      const q = byTitle.get(p.title)!;
      // A status history has no value axis to label.
      if (q.graphType === 'QualityMap') continue;
      if (q.columnNames && q.columnUnits) {
        labelled++;
        expect(p.fieldConfig.defaults.custom?.axisLabel, p.title).toBe(`${q.columnNames} [${q.columnUnits}]`);
      }
      if (q.columnUnits === '%') expect(p.fieldConfig.defaults.unit, p.title).toBe('percent');
      else if (q.columnUnits) expect(p.fieldConfig.defaults.unit, p.title).toBe(`suffix:${q.columnUnits}`);
      else expect(p.fieldConfig.defaults.unit, p.title).toBeUndefined();
    }
    expect(labelled).toBeGreaterThan(0);
    const wall = bars.panels.find((p) => byTitle.get(p.title)?.name === 'vo_hours_bar_smry')!;
    expect(wall.fieldConfig.defaults).toMatchObject({ unit: 'suffix:Hours', custom: { axisLabel: 'Wall Time [Hours]' } });
    const pies = await dashboard('/dashboards/pie-charts.json');
    for (const p of pies.panels) expect(p.fieldConfig.defaults.custom?.axisLabel).toBeUndefined();
  });

  it('every panel of every dashboard runs through /query over its default 14 days, as series for time panels and a table for pies', async () => {
    for (const { dashboard: d, status, frames } of await dashboardAnswers(ds)) {
      expect(status, JSON.stringify(frames)).toBe(200);
      d.panels.forEach((p, i) => {
        const mine = frames.filter((f) => f.refId === `P${i}`);
        expect(mine.length, p.title).toBeGreaterThan(0);
        for (const f of mine) expect('type' in f && f.type === 'table', p.title).toBe(p.type === 'piechart');
      });
    }
  });

  it('the class name names the section too', async () => {
    expect(await dashboard('/dashboards/GratiaPieQueries.json')).toEqual(await dashboard('/dashboards/pie-charts.json'));
  });

  it('?plugin=grafana-simple-json-datasource gives simple-json targets (type timeserie or table)', async () => {
    const d = await dashboard('/dashboards/pie-charts.json?plugin=grafana-simple-json-datasource');
    expect(d.templating.list[0]).toMatchObject({ type: 'datasource', query: 'grafana-simple-json-datasource' });
    expect(d.panels[0]!.targets[0]).toEqual({
      refId: 'A',
      datasource: { type: 'grafana-simple-json-datasource', uid: '${DS}' },
      target: 'osg_vo_hours',
      type: 'table',
    });
    const bars = await dashboard('/dashboards/bar-graphs.json?plugin=grafana-simple-json-datasource');
    expect(bars.panels.every((p) => p.targets[0]!.type === 'timeserie')).toBe(true);
  });
});
