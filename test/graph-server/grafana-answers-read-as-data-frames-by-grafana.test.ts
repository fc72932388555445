/**
 * Every `/query` answer of every shipped dashboard, read by Grafana's own `toDataFrame` (`@grafana/data`, which the
 * simPod JSON plugin runs on the answer): series become a time field and a number field named for the pivot, tables
 * keep their columns and types. Debian ships no Grafana; this is Grafana's code for the step the datasource feeds.
 */
import { createRequire } from 'node:module';
import type * as GrafanaData from '@grafana/data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Frame } from '../../graph-server/grafana/index.js';
import { dashboardAnswers, startDatasource, type DatasourceUnderTest } from './grafana-fixtures/datasource-under-test.js';

// Its ESM build imports moment-timezone by a named export Node cannot give from CommonJS; its CommonJS build loads.
const { toDataFrame, FieldType } = createRequire(import.meta.url)('@grafana/data') as typeof GrafanaData;

let ds: DatasourceUnderTest;
beforeAll(async () => {
  ds = await startDatasource();
});
afterAll(() => ds?.close());

/** Every frame of every dashboard's answer, with the panel it answers. */
async function dashboardFrames(): Promise<{ panel: string; frame: Frame }[]> {
  const out: { panel: string; frame: Frame }[] = [];
  for (const { dashboard, status, frames } of await dashboardAnswers(ds)) {
    expect(status, JSON.stringify(frames)).toBe(200);
    for (const frame of frames) out.push({ panel: `${dashboard.title}: ${dashboard.panels[Number(frame.refId.slice(1))]!.title}`, frame });
  }
  return out;
}

describe('Grafana reads the datasource answers', () => {
  it('each time series is a frame named for its pivot with a time field and a number field holding its points', async () => {
    const series = (await dashboardFrames()).filter((f) => !('type' in f.frame));
    expect(series.length).toBeGreaterThan(20);
    for (const { panel, frame } of series) {
      if ('type' in frame) continue;
      const df = toDataFrame(frame);
      expect(df.name, panel).toBe(frame.target);
      expect(df.refId, panel).toBe(frame.refId);
      expect(df.length, panel).toBe(frame.datapoints.length);
      expect(df.fields.map((f) => f.type), panel).toEqual([FieldType.time, FieldType.number]);
      expect(df.fields[0]!.values, panel).toEqual(frame.datapoints.map((p) => p[1]));
      expect(df.fields[1]!.values, panel).toEqual(frame.datapoints.map((p) => p[0]));
      // Oldest first, as Grafana draws them.
      const times = df.fields[0]!.values as number[];
      expect(times, panel).toEqual([...times].sort((a, b) => a - b));
    }
  });

  it('each table is a frame with its columns as fields of their types and every row', async () => {
    const tables = (await dashboardFrames()).filter((f) => 'type' in f.frame);
    expect(tables.length).toBeGreaterThan(3);
    const kinds = { time: FieldType.time, string: FieldType.string, number: FieldType.number } as const;
    for (const { panel, frame } of tables) {
      if (!('type' in frame)) continue;
      const df = toDataFrame(frame);
      expect(df.refId, panel).toBe(frame.refId);
      expect(df.length, panel).toBe(frame.rows.length);
      expect(df.fields.map((f) => f.name), panel).toEqual(frame.columns.map((c) => c.text));
      expect(df.fields.map((f) => f.type), panel).toEqual(frame.columns.map((c) => kinds[c.type]));
      frame.columns.forEach((_, i) => expect(df.fields[i]!.values, panel).toEqual(frame.rows.map((r) => r[i])));
      // A pie needs a number to size its slices by.
      expect(df.fields.some((f) => f.type === FieldType.number), panel).toBe(true);
    }
  });
});
