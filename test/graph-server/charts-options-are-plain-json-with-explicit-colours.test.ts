import { describe, expect, it } from 'vitest';
import { buildChart, GRAPH_TYPES } from '../../graph-server/charts/index.js';
import { sampleFor } from './charts-samples.js';

describe('chart options for the page and the image renderer', () => {
  for (const graphType of GRAPH_TYPES) {
    it(`${graphType}: survive JSON unchanged, name no CSS variable and keep styledMode off`, () => {
      const spec = buildChart(sampleFor(graphType), {});
      const json = JSON.stringify(spec.options);
      expect(JSON.parse(json)).toEqual(spec.options);
      expect(json).not.toMatch(/var\(--/);
      expect(spec.options.chart?.styledMode).toBe(false);
      expect(spec.options.time).toEqual({ timezone: 'UTC' });
    });
  }
});
